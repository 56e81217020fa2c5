# Helpers shared by benches/build.sh and benches/table.sh (sourced).

# The table in an output folder: the static library where it is linked
# (lib<name>.a, or <name>.lib for MSVC), else table.bin and its parts
# (table.1.bin, ...).
table_of() {
    for f in "$1"/libasset_table_*.a "$1"/asset_table_*.lib; do
        if [ -f "$f" ]; then echo "$f"; return; fi
    done
    echo "$1"/table*.bin
}

# The size of those files together.
size_of() { cat "$@" | wc -c; }
