#!/usr/bin/env bash
# The build benchmark (BENCHMARKS.md): a large real corpus from the npm
# registry embedded by a user's crate (benches/corpus), measuring
#   - the build script's run alone, cold (empty OUT_DIR) and after changing
#     one file (a small SVG, a large stylesheet) or none: wall time, CPU
#     time and peak RSS (GNU time);
#   - rustc on the crate that includes the generated table: wall time and
#     peak RSS (benches/rustc-time.sh as RUSTC_WRAPPER), with the table
#     linked (the default here) and through include_bytes!;
#   - whole `cargo build --release` runs of that crate: cold (its build
#     script's output and the shared compression cache removed) and after
#     changing one SVG;
#   - the binary size the assets add, against the sum of stored variants;
#   - rustc's time and peak RSS at 500 to 4,000 assets of 100 bytes and of
#     16 KiB, to show how they grow.
#
# Usage, from the repository root: bash benches/build.sh
# Needs npm, GNU time (/usr/bin/time) and cargo. Work files go to
# target/bench-build (or $BENCH_WORK); the corpus is downloaded once.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/target/bench-build}
CORPUS=$WORK/corpus
CRATE=$WORK/crate
ASSETS=$WORK/static
export CARGO_TARGET_DIR=$WORK/target
export RUSTC_WRAPPER=$ROOT/benches/rustc-time.sh
export RUSTC_TIMES=$WORK/rustc-times.txt
JOBS=$(nproc)
HOST=$(rustc -vV | sed -n 's/^host: //p')
RESULTS=$WORK/results.md
mkdir -p "$CORPUS"
: >"$RESULTS"

say() { echo "$*" | tee -a "$RESULTS"; }
sum_sizes() { find "$@" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
calc() { awk "BEGIN { printf \"%.${2:-4}f\", $1 }"; }

# --- The corpus ------------------------------------------------------------
source benches/corpus.sh
files=$(find "$ASSETS" -type f | wc -l)
bytes=$(sum_sizes "$ASSETS")

say "## Build benchmark"
say ""
say "Corpus: @fortawesome/fontawesome-free 7.3.1 (whole package) + bootstrap 5.3.9 (dist/), from the npm registry: $files files, $bytes bytes."
say "Load before: $(cut -d' ' -f1-3 /proc/loadavg). Build script with NUM_JOBS=$JOBS."
say ""

# --- The user's crate ----------------------------------------------------------
rm -rf "$CRATE" && mkdir -p "$CRATE/src"
sed "s|@ROOT@|$ROOT|g" benches/corpus/Cargo.toml.in >"$CRATE/Cargo.toml"
cp benches/corpus/build.rs "$CRATE/"
cp benches/corpus/src/main.rs "$CRATE/src/"
cp Cargo.lock "$CRATE/Cargo.lock"
build() { (cd "$CRATE" && BENCH_ASSETS=$1 cargo build --release --quiet); }
binary=$CARGO_TARGET_DIR/release/bench-corpus

# Baseline: the same crate embedding one 4-byte file.
ONE=$WORK/one-file
rm -rf "$ONE" && mkdir -p "$ONE" && echo one >"$ONE/one.txt"
build "$ONE"
base_size=$(stat -c %s "$binary")

# The corpus, built by cargo (its build script run is not timed here).
: >"$RUSTC_TIMES"
build "$ASSETS"
full_size=$(stat -c %s "$binary")
# What the table adds besides the blobs: strings (paths, URLs, ETags,
# integrity) in .rodata with the blobs, pointers in .data.rel.ro, and one
# relocation per pointer in .rela.dyn (position-independent executables).
sections=$(size -A "$binary" | awk '$1 == ".rodata" || $1 == ".data.rel.ro" || $1 == ".rela.dyn" {printf "%s%s %s", sep, $1, $2; sep = ", "}')
out=$(dirname "$(find "$CARGO_TARGET_DIR/release/build" -path '*bench-corpus-*/out/asset-build/manifest.json' | head -1)")
blob_bytes=$(sum_sizes "$out/blobs")
blob_count=$(find "$out/blobs" -type f ! -name '*.skip' | wc -l)
variant_line=$("$binary")
code_bytes=$(stat -c %s "$out/assets.rs")
table_file=$(table_of "$out")
table_bytes=$(size_of $table_file)
# rustc on the crate with the generated code, twice more after a touch.
for _ in 1 2; do
    touch "$CRATE/src/main.rs"
    build "$ASSETS"
done
rustc_wall=$(median3 $(cut -d' ' -f1 "$RUSTC_TIMES"))
rustc_rss=$(median3 $(cut -d' ' -f2 "$RUSTC_TIMES"))
# The same with the table through include_bytes! (the build script runs
# again, from its cache, when the variable changes).
: >"$RUSTC_TIMES"
(cd "$CRATE" && ASSET_BUILD_EMBED=include_bytes BENCH_ASSETS=$ASSETS cargo build --release --quiet)
for _ in 1 2; do
    touch "$CRATE/src/main.rs"
    (cd "$CRATE" && ASSET_BUILD_EMBED=include_bytes BENCH_ASSETS=$ASSETS cargo build --release --quiet)
done
included_wall=$(median3 $(cut -d' ' -f1 "$RUSTC_TIMES"))
included_rss=$(median3 $(cut -d' ' -f2 "$RUSTC_TIMES"))
build "$ASSETS"

# --- Whole cargo builds (release): cold, then one file changed ----------------
small_file=$ASSETS/fontawesome-free/svgs/solid/house.svg
timed_build() { # prints the wall seconds of one `cargo build --release`
    local start end
    start=$(date +%s.%N)
    build "$ASSETS"
    end=$(date +%s.%N)
    calc "$end - $start" 2
}
(cd "$CRATE" && cargo clean --quiet --release -p bench-corpus)
rm -rf "$CARGO_TARGET_DIR/asset-build-cache"
: >"$RUSTC_TIMES"
whole_cold=$(timed_build)
declare -a whole_edit edit_rustc
for i in 1 2 3; do
    echo "<!-- whole-build edit $i -->" >>"$small_file"
    : >"$RUSTC_TIMES"
    whole_edit+=("$(timed_build)")
    edit_rustc+=("$(cut -d' ' -f1 "$RUSTC_TIMES" | tail -1)")
done
cp "$CORPUS/fontawesome-free/svgs/solid/house.svg" "$small_file"
build "$ASSETS"

# --- The build script alone ----------------------------------------------------
script=$(find "$CARGO_TARGET_DIR/release/build" -path '*bench-corpus-*' -name build-script-build -type f | head -1)
run_script() { # OUT_DIR; writes "wall peakKiB user sys" to $WORK/time.txt
    /usr/bin/time -o "$WORK/time.txt" -f "%e %M %U %S" env \
        OUT_DIR="$1" CARGO_MANIFEST_DIR="$CRATE" CARGO_PKG_NAME=bench-corpus \
        CARGO_CFG_TARGET_ARCH=x86_64 CARGO_CFG_TARGET_OS=linux CARGO_CFG_TARGET_ENDIAN=little \
        NUM_JOBS="$JOBS" PROFILE=release OPT_LEVEL=3 DEBUG=false \
        TARGET="$HOST" HOST="$HOST" BENCH_ASSETS="$ASSETS" \
        "$script" >"$WORK/script-output.txt"
    if grep -q 'cargo::error' "$WORK/script-output.txt"; then
        cat "$WORK/script-output.txt" >&2
        exit 1
    fi
}
OUT=$WORK/out
rm -rf "$OUT" && mkdir -p "$OUT"
run_script "$OUT"
read -r cold_wall cold_rss cold_user cold_sys <"$WORK/time.txt"

declare -a none_wall none_rss small_wall small_rss large_wall large_rss
for i in 1 2 3; do
    run_script "$OUT"
    read -r w r _ _ <"$WORK/time.txt"
    none_wall+=("$w") none_rss+=("$r")
done
for i in 1 2 3; do
    echo "<!-- edit $i -->" >>"$small_file"
    run_script "$OUT"
    read -r w r _ _ <"$WORK/time.txt"
    small_wall+=("$w") small_rss+=("$r")
done
large_file=$ASSETS/bootstrap/css/bootstrap.css
for i in 1 2 3; do
    sed -i "1i /* edit $i */" "$large_file"
    run_script "$OUT"
    read -r w r _ _ <"$WORK/time.txt"
    large_wall+=("$w") large_rss+=("$r")
done
cp "$CORPUS/fontawesome-free/svgs/solid/house.svg" "$small_file"
cp "$CORPUS/bootstrap/dist/css/bootstrap.css" "$large_file"

largest=$(find "$ASSETS" -type f -printf '%s %P\n' | sort -n | tail -1)

say "| measure | value |"
say "|---|---|"
say "| build script, cold (empty OUT_DIR) | ${cold_wall} s wall, $(calc "$cold_user + $cold_sys" 2) s CPU, peak RSS $((cold_rss / 1024)) MiB |"
say "| build script, nothing changed (median of 3) | $(median3 "${none_wall[@]}") s, peak RSS $(($(median3 "${none_rss[@]}") / 1024)) MiB |"
say "| build script, one SVG changed ($(stat -c %s "$small_file") bytes; median of 3) | $(median3 "${small_wall[@]}") s, peak RSS $(($(median3 "${small_rss[@]}") / 1024)) MiB |"
say "| build script, bootstrap.css changed ($(stat -c %s "$large_file") bytes; it and its map recompressed; median of 3) | $(median3 "${large_wall[@]}") s, peak RSS $(($(median3 "${large_rss[@]}") / 1024)) MiB |"
say "| one-SVG rebuild / cold | $(calc "$(median3 "${small_wall[@]}") / $cold_wall") |"
say "| bootstrap.css rebuild / cold | $(calc "$(median3 "${large_wall[@]}") / $cold_wall") |"
say "| largest file | ${largest} bytes |"
say "| rustc, crate with the generated table, linked (median of 3) | ${rustc_wall} s wall, peak RSS $((rustc_rss / 1024)) MiB |"
say "| rustc, crate with the generated table, include_bytes! (median of 3) | ${included_wall} s wall, peak RSS $((included_rss / 1024)) MiB |"
say "| whole cargo build --release, cold (package cleaned, no compression cache) | ${whole_cold} s |"
say "| whole cargo build --release, one SVG changed (median of 3) | $(median3 "${whole_edit[@]}") s (rustc $(median3 "${edit_rustc[@]}") s) = $(calc "$(median3 "${whole_edit[@]}") / $whole_cold") x cold |"
say "| generated code (assets.rs) | $code_bytes bytes |"
say "| the table ($(basename "$table_file")) | $table_bytes bytes |"
say "| stored blobs (distinct identity and compressed contents) | $blob_count files, $blob_bytes bytes |"
say "| every asset's variants, duplicates counted | $variant_line |"
say "| binary, one 4-byte asset (stripped) | $base_size bytes |"
say "| binary, corpus (stripped) | $full_size bytes |"
say "| added by the corpus | $((full_size - base_size)) bytes = $(calc "($full_size - $base_size) / $blob_bytes") x the stored blobs, $(calc "($full_size - $base_size - $blob_bytes) / $files" 0) bytes more per asset |"
say "| sections of the corpus binary (bytes) | $sections |"
say ""

# --- Scaling: rustc against asset count and bytes ------------------------------
say "rustc on the crate with the generated table, by number of assets and file size (each file distinct, random bytes named .woff2, so stored as is: one variant each):"
say ""
say "| assets | bytes per file | total bytes | table bytes | rustc wall s | rustc peak RSS MiB | rest of the cargo build (build script) s |"
say "|---|---|---|---|---|---|---|"
for n in 500 1000 2000 4000; do
    for size in 100 16384; do
        dir=$WORK/scale/$n-$size
        if [ ! -d "$dir" ]; then
            mkdir -p "$dir.tmp"
            head -c $((n * size)) /dev/urandom | split -a 5 -d -b "$size" --additional-suffix=.woff2 - "$dir.tmp/f"
            mv "$dir.tmp" "$dir"
        fi
        : >"$RUSTC_TIMES"
        start=$(date +%s.%N)
        build "$dir"
        end=$(date +%s.%N)
        read -r w r _ _ <"$RUSTC_TIMES"
        code=$(size_of $(table_of "$out"))
        say "| $n | $size | $((n * size)) | $code | $w | $((r / 1024)) | $(calc "$end - $start - $w" 2) |"
    done
done
say ""
say "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Results in $RESULTS"
