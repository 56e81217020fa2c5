#!/usr/bin/env bash
# Hash speeds at opt-level 0, the profile cargo gives build scripts and
# their dependencies unless told otherwise, and at opt-level 3
# (BENCHMARKS.md "Hashing in the build script").
#
# Usage, from the repository root: bash benches/hash-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_WORK:-$PWD/target/bench-hash-speed}
mkdir -p "$WORK/src"
cp benches/hash-speed/Cargo.toml.in "$WORK/Cargo.toml"
cp benches/hash-speed/src/main.rs "$WORK/src/"
cp Cargo.lock "$WORK/Cargo.lock"
echo "Load before: $(cut -d' ' -f1-3 /proc/loadavg); $(grep -c -w sha_ni /proc/cpuinfo || true) cores report SHA-NI."
for level in 0 3; do
    echo ""
    echo "| opt-level $level | MB/s |"
    echo "|---|---|"
    (cd "$WORK" && CARGO_PROFILE_DEV_OPT_LEVEL=$level CARGO_TARGET_DIR=$WORK/target-$level cargo run --quiet)
done
