#!/usr/bin/env bash
# The build script's peak memory while it writes a large linked table
# (BENCHMARKS.md "Generated code"): a user's crate (benches/corpus) built
# in release once, then its build script run alone (as cargo runs it, with
# an empty OUT_DIR each time) on MB megabytes of random bytes in files of
# 16 MiB named .woff2 (stored as they are): wall time, peak RSS (GNU time)
# and the output folder's size, with the table linked and through
# include_bytes!.
#
# Usage, from the repository root: bash benches/link-memory.sh [MB]
# (default 1024). Needs GNU time and about 4 x MB of free disk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MB=${1:-1024}
WORK=${BENCH_WORK:-$ROOT/target/bench-link-memory}
CRATE=$WORK/crate
ASSETS=$WORK/files-$MB
export CARGO_TARGET_DIR=$WORK/target
HOST=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p "$WORK"
rm -rf "$CRATE" && mkdir -p "$CRATE/src"
sed "s|@ROOT@|$ROOT|g" benches/corpus/Cargo.toml.in >"$CRATE/Cargo.toml"
cp benches/corpus/build.rs "$CRATE/"
cp benches/corpus/src/main.rs "$CRATE/src/"
cp Cargo.lock "$CRATE/Cargo.lock"
if [ ! -d "$ASSETS" ]; then
    mkdir -p "$ASSETS.tmp"
    head -c $((MB * 1024 * 1024)) /dev/urandom | split -a 3 -d -b 16M --additional-suffix=.woff2 - "$ASSETS.tmp/f"
    mv "$ASSETS.tmp" "$ASSETS"
fi
mkdir -p "$WORK/small" && echo 'a {}' >"$WORK/small/a.css"
(cd "$CRATE" && BENCH_ASSETS=$WORK/small cargo build --quiet --release)
script=$(find "$CARGO_TARGET_DIR/release/build" -path '*bench-corpus-*' -name build-script-build -type f | head -1)

echo "$MB MiB in $(ls "$ASSETS" | wc -l) files; load before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo ""
echo "| embedding | build script wall s | peak RSS MiB | OUT_DIR MiB |"
echo "|---|---|---|---|"
for embed in link include_bytes; do
    out=$WORK/out
    rm -rf "$out" "$CARGO_TARGET_DIR/asset-build-cache" && mkdir -p "$out"
    /usr/bin/time -o "$WORK/time.txt" -f "%e %M" env \
        OUT_DIR="$out" CARGO_MANIFEST_DIR="$CRATE" CARGO_PKG_NAME=bench-corpus \
        CARGO_CFG_TARGET_ARCH=x86_64 CARGO_CFG_TARGET_OS=linux CARGO_CFG_TARGET_ENDIAN=little \
        CARGO_CFG_TARGET_POINTER_WIDTH=64 CARGO_CFG_TARGET_ENV=gnu \
        NUM_JOBS="$(nproc)" PROFILE=release OPT_LEVEL=3 DEBUG=false \
        TARGET="$HOST" HOST="$HOST" BENCH_ASSETS="$ASSETS" ASSET_BUILD_EMBED=$embed \
        "$script" >"$WORK/script-output.txt"
    if grep -q 'cargo::error' "$WORK/script-output.txt"; then
        cat "$WORK/script-output.txt" >&2
        exit 1
    fi
    read -r wall rss <"$WORK/time.txt"
    echo "| $embed | $wall | $((rss / 1024)) | $(($(du -sk "$out" | cut -f1) / 1024)) |"
done
rm -rf "$WORK/out"
echo ""
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."
