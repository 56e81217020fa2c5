#!/usr/bin/env bash
# Compression speeds at opt-level 0, the profile cargo gives build scripts
# and their dependencies unless told otherwise, and at opt-level 3, on
# Bootstrap 5.3.9's dist/css/bootstrap.css from the npm registry
# (BENCHMARKS.md "Profile lines after the hashing moved").
#
# Usage, from the repository root: bash benches/compress-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_WORK:-$PWD/target/bench-compress-speed}
mkdir -p "$WORK/src"
if [ ! -f "$WORK/bootstrap.css" ]; then
    (cd "$WORK" && tgz=$(npm pack --silent bootstrap@5.3.9 | tail -1) && tar xzf "$tgz" package/dist/css/bootstrap.css && mv package/dist/css/bootstrap.css . && rm -rf package "$tgz")
fi
cp benches/compress-speed/Cargo.toml.in "$WORK/Cargo.toml"
cp benches/compress-speed/src/main.rs "$WORK/src/"
cp Cargo.lock "$WORK/Cargo.lock"
echo "Load before: $(cut -d' ' -f1-3 /proc/loadavg); input $(wc -c <"$WORK/bootstrap.css") bytes."
for level in 0 3; do
    echo ""
    echo "| opt-level $level | MB/s | bytes |"
    echo "|---|---|---|"
    (cd "$WORK" && CARGO_PROFILE_DEV_OPT_LEVEL=$level CARGO_TARGET_DIR=$WORK/target-$level cargo run --quiet -- "$WORK/bootstrap.css")
done
