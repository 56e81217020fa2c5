#!/usr/bin/env bash
# A debug build with no profile lines against the tree of REV with the
# profile lines its README recommended (BENCHMARKS.md "Brotli in the build
# script"): a user's crate (benches/corpus) embedding Bootstrap 5.3.9's
# dist/ from the npm registry. For each setup, in a target directory of its
# own, with the shared cache off:
#   - a cold `cargo build` (empty target directory), its wall time;
#   - the build script alone on an empty OUT_DIR, wall and CPU (GNU time);
#   - a one-line edit of dist/css/bootstrap.css, the whole `cargo build`
#     after it (median of 3, each edit 3 s after the last build).
#
# Usage, from the repository root: bash benches/no-lines.sh REV
# Needs npm, cargo, git and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REV=${1:?the earlier tree, e.g. 25be7b8}
WORK=${BENCH_WORK:-$ROOT/target/bench-no-lines}
CORPUS=${BENCH_CORPUS:-$ROOT/target/bench-build/corpus}
mkdir -p "$CORPUS" "$WORK"
ASSETS=$WORK/static
source benches/corpus.sh
HOST=$(rustc -vV | sed -n 's/^host: //p')
export ASSET_BUILD_CACHE=off
unset CARGO_INCREMENTAL

rm -rf "$WORK/tree-rev"
git worktree remove --force "$WORK/tree-rev" 2>/dev/null || true
git worktree add --detach --quiet "$WORK/tree-rev" "$REV"
trap 'git worktree remove --force "$WORK/tree-rev" 2>/dev/null || true' EXIT

readme_lines='[profile.dev.package.asset-build]
opt-level = 3
[profile.dev.package.brotli]
opt-level = 3
[profile.dev.package.libdeflate-sys]
opt-level = 3'
some_lines='[profile.dev.package.asset-build]
opt-level = 3
[profile.dev.package.libdeflate-sys]
opt-level = 3'

median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
timed() { # a whole `cargo build` of $crate: its wall seconds
    /usr/bin/time -o "$WORK/time.txt" -f "%e" cargo build --quiet --manifest-path "$crate/Cargo.toml" 2>"$WORK/build.log" || { cat "$WORK/build.log" >&2; exit 1; }
    cat "$WORK/time.txt"
}

echo "Corpus: Bootstrap 5.3.9 dist/. Load before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo ""
echo "| setup | cold \`cargo build\`, s | build script alone: wall s / CPU s | one-line edit, whole build, s (median of 3) |"
echo "|---|---|---|---|"
for setup in rev-readme none some; do
    case $setup in
    rev-readme) src=$WORK/tree-rev; lines=$readme_lines; label="$(git rev-parse --short "$REV") with its README's lines (asset-build, brotli, libdeflate-sys)" ;;
    none) src=$ROOT; lines=''; label="this tree, no profile lines" ;;
    some) src=$ROOT; lines=$some_lines; label="this tree, asset-build and libdeflate-sys at opt-level 3" ;;
    esac
    crate=$WORK/crate-$setup
    rm -rf "$crate" && mkdir -p "$crate/src"
    sed "s|@ROOT@|$src|g" benches/corpus/Cargo.toml.in | sed '/^\[profile/,$d' >"$crate/Cargo.toml"
    printf '%s\n\n[workspace]\n' "$lines" >>"$crate/Cargo.toml"
    cp benches/corpus/build.rs "$crate/"
    cp benches/corpus/src/main.rs "$crate/src/"
    cp "$src/Cargo.lock" "$crate/Cargo.lock"
    assets=$WORK/static-$setup
    rm -rf "$assets" && mkdir -p "$assets"
    cp -r "$CORPUS/bootstrap/dist" "$assets/bootstrap"
    export BENCH_ASSETS=$assets
    export CARGO_TARGET_DIR=$WORK/target-$setup
    rm -rf "$CARGO_TARGET_DIR"
    cold=$(timed)
    script=$(find "$CARGO_TARGET_DIR/debug/build" -path '*bench-corpus-*' -name build-script-build -type f | head -1)
    rm -rf "$WORK/out" && mkdir -p "$WORK/out"
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S" env \
        OUT_DIR="$WORK/out" CARGO_MANIFEST_DIR="$crate" CARGO_PKG_NAME=bench-corpus \
        NUM_JOBS="$(nproc)" PROFILE=debug TARGET="$HOST" HOST="$HOST" "$script" >/dev/null
    alone=$(awk '{ printf "%.2f / %.2f", $1, $2 + $3 }' "$WORK/time.txt")
    sleep 3
    walls=()
    for i in 1 2 3; do
        echo "/* edit $i */" >>"$assets/bootstrap/css/bootstrap.css"
        walls+=("$(timed)")
        sleep 3
    done
    echo "| $label | $cold | $alone | $(median3 "${walls[@]}") (${walls[*]}) |"
done
echo ""
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."
