# Helpers shared by benches/build.sh and benches/table.sh (sourced).

# The table in an output folder: the static libraries where it is linked
# (lib<name>.a, or <name>.lib for MSVC; the index, runs of smaller blobs,
# and each blob of 4 MiB or more in one of its own), else table.bin and its
# parts (table.<16 hex>.bin).
table_of() {
    local libs
    libs=$(ls "$1"/libasset_table_*.a "$1"/asset_table_*.lib 2>/dev/null || true)
    if [ -n "$libs" ]; then echo "$libs"; return; fi
    echo "$1"/table*.bin
}

# The size of those files together.
size_of() { cat "$@" | wc -c; }
