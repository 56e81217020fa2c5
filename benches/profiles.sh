#!/usr/bin/env bash
# Profile lines and the shared compression cache (BENCHMARKS.md "Build
# profiles"): a user's crate (benches/corpus) embedding Bootstrap 5.3.9's
# dist/ (from the npm registry), built cold (`cargo build --release` in an
# empty target directory, shared cache off) with each of four profile
# sections; for each: the whole cargo build's wall time, and the build
# script run alone (cold OUT_DIR) under GNU time. Then, with the best
# section, `cargo build` (dev) followed by the first `cargo build --release`
# with the shared cache on: the release build script's run.
#
# Usage, from the repository root: bash benches/profiles.sh
# Needs npm, cargo and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/target/bench-profiles}
CORPUS=${BENCH_CORPUS:-$ROOT/target/bench-build/corpus}
ASSETS=$WORK/static
mkdir -p "$CORPUS" "$WORK"
source benches/corpus.sh
rm -rf "$ASSETS" && mkdir -p "$ASSETS"
cp -r "$CORPUS/bootstrap/dist" "$ASSETS/bootstrap"
files=$(find "$ASSETS" -type f | wc -l)
bytes=$(find "$ASSETS" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
HOST=$(rustc -vV | sed -n 's/^host: //p')

readme_lines='[profile.dev.package.brotli]
opt-level = 3
[profile.dev.package.libdeflate-sys]
opt-level = 3
[profile.release.package.brotli]
opt-level = 3
[profile.release.package.libdeflate-sys]
opt-level = 3'
asset_build_lines="$readme_lines
[profile.dev.package.asset-build]
opt-level = 3
[profile.release.package.asset-build]
opt-level = 3"
override_lines='[profile.dev.build-override]
opt-level = 3
[profile.release.build-override]
opt-level = 3'

crate_with() { # folder profile-lines
    rm -rf "$1" && mkdir -p "$1/src"
    sed "s|@ROOT@|$ROOT|g" benches/corpus/Cargo.toml.in | sed '/^\[profile/,$d' >"$1/Cargo.toml"
    printf '%s\n\n[workspace]\n' "$2" >>"$1/Cargo.toml"
    cp benches/corpus/build.rs "$1/"
    cp benches/corpus/src/main.rs "$1/src/"
    cp Cargo.lock "$1/Cargo.lock"
}
run_script() { # target-dir profile OUT_DIR: "wall cpu" of the build script alone
    local script
    script=$(find "$1/$2/build" -path '*bench-corpus-*' -name build-script-build -type f | head -1)
    rm -rf "$3" && mkdir -p "$3"
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S" env \
        OUT_DIR="$3" CARGO_MANIFEST_DIR="$WORK/crate" CARGO_PKG_NAME=bench-corpus \
        NUM_JOBS="$(nproc)" PROFILE="$2" TARGET="$HOST" HOST="$HOST" BENCH_ASSETS="$ASSETS" \
        "${@:4}" "$script" >/dev/null
    awk '{ printf "%.2f %.2f", $1, $2 + $3 }' "$WORK/time.txt"
}

echo "Corpus: Bootstrap 5.3.9 dist/: $files files, $bytes bytes. Load before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo ""
echo "| profile lines | cold \`cargo build --release\` wall s | build script alone: wall s / CPU s |"
echo "|---|---|---|"
for variant in none readme asset-build build-override; do
    case $variant in
    none) lines='' ;;
    readme) lines=$readme_lines ;;
    asset-build) lines=$asset_build_lines ;;
    build-override) lines=$override_lines ;;
    esac
    crate_with "$WORK/crate" "$lines"
    target=$WORK/target-$variant
    rm -rf "$target"
    start=$(date +%s.%N)
    (cd "$WORK/crate" && ASSET_BUILD_CACHE=off BENCH_ASSETS=$ASSETS CARGO_TARGET_DIR=$target \
        cargo build --release --quiet)
    total=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }")
    script=$(run_script "$target" release "$WORK/out" ASSET_BUILD_CACHE=off)
    echo "| $variant | $total | ${script// / \/ } |"
done

# The shared cache: dev build, then the first release build.
echo ""
crate_with "$WORK/crate" "$readme_lines"
target=$WORK/target-shared
rm -rf "$target"
(cd "$WORK/crate" && BENCH_ASSETS=$ASSETS CARGO_TARGET_DIR=$target cargo build --quiet)
(cd "$WORK/crate" && BENCH_ASSETS=$ASSETS CARGO_TARGET_DIR=$target cargo build --release --quiet)
cold=$(run_script "$target" release "$WORK/out" ASSET_BUILD_CACHE=off)
shared=()
for _ in 1 2 3; do
    shared+=("$(run_script "$target" release "$WORK/out" ASSET_BUILD_CACHE="$target/asset-build-cache" | cut -d' ' -f1)")
done
median=$(printf '%s\n' "${shared[@]}" | sort -g | sed -n 2p)
echo "| release build script, README lines | wall s |"
echo "|---|---|"
echo "| cold (no shared cache) | ${cold%% *} |"
echo "| first run in the release profile after a dev build (shared cache filled by it; median of 3) | $median |"
echo "| ratio | $(awk "BEGIN { printf \"%.3f\", $median / ${cold%% *} }") |"
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."
