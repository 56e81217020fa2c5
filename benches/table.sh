#!/usr/bin/env bash
# rustc on the generated table (BENCHMARKS.md "Generated code"): a user's
# crate (benches/corpus) embedding N distinct files of S random bytes named
# .woff2 (stored as they are, one variant each), built with cargo in the
# dev and release profiles; rustc's wall time and peak RSS on the crate
# that includes the table (benches/rustc-time.sh), and the size of the
# generated code.
#
# Usage, from the repository root: bash benches/table.sh [N:S ...]
# (default 20000:100 2000:100 2000:16384). Needs cargo and GNU time.
# ASSET_BUILD_EMBED=include_bytes measures the include_bytes! form.
# BENCH_TARGET=<triple> (e.g. x86_64-pc-windows-msvc, aarch64-apple-darwin;
# `rustup target add` it first) builds the crate as a library for that
# target instead: rustc's whole compile of the crate for the target,
# without a link, which needs that target's linker.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/target/bench-table}
CRATE=$WORK/crate
export CARGO_TARGET_DIR=$WORK/target
export RUSTC_WRAPPER=$ROOT/benches/rustc-time.sh
export RUSTC_TIMES=$WORK/rustc-times.txt
# Whole compiles, not incremental ones: what a build after the table changed costs.
export CARGO_INCREMENTAL=0
mkdir -p "$WORK"
rm -rf "$CRATE" && mkdir -p "$CRATE/src"
sed "s|@ROOT@|$ROOT|g" benches/corpus/Cargo.toml.in >"$CRATE/Cargo.toml"
cp benches/corpus/build.rs "$CRATE/"
SOURCE=main.rs
TARGET_ARGS=()
if [ -n "${BENCH_TARGET:-}" ]; then
    SOURCE=lib.rs
    TARGET_ARGS=(--lib --target "$BENCH_TARGET")
    echo '//! The table, for a target this machine cannot link for.' >"$CRATE/src/lib.rs"
    echo 'asset_runtime::include_assets!(pub static ASSETS);' >>"$CRATE/src/lib.rs"
else
    cp benches/corpus/src/main.rs "$CRATE/src/"
fi
cp Cargo.lock "$CRATE/Cargo.lock"

echo "Target: ${BENCH_TARGET:-the host}. Load before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo ""
echo "| assets | bytes per file | profile | assets.rs bytes | table, bytes | rustc wall s | rustc peak RSS MiB |"
echo "|---|---|---|---|---|---|---|"
for spec in "${@:-20000:100 2000:100 2000:16384}"; do
    for one in $spec; do
        n=${one%%:*} size=${one##*:}
        dir=$WORK/files/$n-$size
        if [ ! -d "$dir" ]; then
            mkdir -p "$dir.tmp"
            head -c $((n * size)) /dev/urandom | split -a 5 -d -b "$size" --additional-suffix=.woff2 - "$dir.tmp/f"
            mv "$dir.tmp" "$dir"
        fi
        for profile in dev release; do
            : >"$RUSTC_TIMES"
            (cd "$CRATE" && BENCH_ASSETS=$dir cargo build --quiet --profile "$profile" "${TARGET_ARGS[@]}")
            # Once more after a touch: rustc alone (the build script does not run).
            : >"$RUSTC_TIMES"
            touch "$CRATE/src/$SOURCE"
            (cd "$CRATE" && BENCH_ASSETS=$dir cargo build --quiet --profile "$profile" "${TARGET_ARGS[@]}")
            read -r w r _ _ <"$RUSTC_TIMES"
            profile_dir=$([ "$profile" = dev ] && echo debug || echo release)
            out=$(dirname "$(ls -t "$CARGO_TARGET_DIR"/${BENCH_TARGET:+$BENCH_TARGET/}$profile_dir/build/bench-corpus-*/out/asset-build/assets.rs | head -1)")
            # The table: a static library where it is linked, else table.bin.
            table=$(table_of "$out")
            echo "| $n | $size | $profile | $(stat -c %s "$out/assets.rs") | $(set -- $table; case "$1" in *table.bin) echo "table.bin + $(($# - 1)) parts" ;; *) [ $# -eq 1 ] && basename "$1" || echo "$# libraries" ;; esac) $(size_of $table) | $w | $((r / 1024)) |"
        done
    done
done
echo ""
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."
