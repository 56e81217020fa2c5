#!/usr/bin/env bash
# Bytes on disk (BENCHMARKS.md "Bytes on disk"): a user's crate
# (benches/corpus, profile sections removed) embedding Bootstrap 5.3.9's
# dist/ from the npm registry beside a 200 MiB file of random bytes, built
# in a debug build and then a release build, by the tree at REV and by the
# working tree, each with a target directory of its own. For each: the
# stored bytes (the table's files), OUT_DIR's asset-build
# folder, the shared compression cache, and the whole target directory.
#
# Usage, from the repository root: bash benches/disk.sh [REV]
# Needs npm, cargo, git and about 4 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REV=${1:-HEAD}
WORK=${BENCH_WORK:-$ROOT/target/bench-disk}
CORPUS=$WORK/corpus
mkdir -p "$CORPUS"
if [ ! -d "$CORPUS/bootstrap" ]; then
    (cd "$CORPUS" && tgz=$(npm pack --silent bootstrap@5.3.9 | tail -1) && mkdir b.tmp && tar xzf "$tgz" -C b.tmp && mv b.tmp/package bootstrap && rm -rf b.tmp "$tgz")
fi
[ -f "$WORK/big.bin" ] || head -c $((200 << 20)) /dev/urandom >"$WORK/big.bin"
assets=$WORK/static
rm -rf "$assets" && mkdir -p "$assets"
cp -r "$CORPUS/bootstrap/dist" "$assets/bootstrap"
cp "$WORK/big.bin" "$assets/video.mp4"
export BENCH_ASSETS=$assets
unset CARGO_INCREMENTAL

rm -rf "$WORK/tree-rev"
git worktree remove --force "$WORK/tree-rev" 2>/dev/null || true
git worktree add --detach --quiet "$WORK/tree-rev" "$REV"
trap 'git worktree remove --force "$WORK/tree-rev" 2>/dev/null || true' EXIT

source benches/lib.sh
mib() { python3 -c "print(f'{$1 / 1048576:.1f}')"; }
bytes() { du -sb "$@" 2>/dev/null | awk '{s += $1} END {print s + 0}'; }

echo "| tree | profile | stored (table) MiB | OUT_DIR asset-build MiB | OUT_DIR / stored | shared cache MiB | whole target dir MiB |"
echo "|---|---|---|---|---|---|---|"
for tree in rev work; do
    src=$([ $tree = rev ] && echo "$WORK/tree-rev" || echo "$ROOT")
    label=$([ $tree = rev ] && git rev-parse --short "$REV" || echo "this tree")
    crate=$WORK/crate-$tree
    rm -rf "$crate" && mkdir -p "$crate/src"
    sed "s|@ROOT@|$src|g" benches/corpus/Cargo.toml.in | sed '/^\[profile/,$d' >"$crate/Cargo.toml"
    printf '\n[workspace]\n' >>"$crate/Cargo.toml"
    cp benches/corpus/build.rs "$crate/"
    cp benches/corpus/src/main.rs "$crate/src/"
    cp "$src/Cargo.lock" "$crate/Cargo.lock"
    export CARGO_TARGET_DIR=$WORK/target-$tree
    rm -rf "$CARGO_TARGET_DIR"
    for profile in dev release; do
        cargo build --quiet --manifest-path "$crate/Cargo.toml" --profile $profile 2>"$WORK/build.log" || { cat "$WORK/build.log" >&2; exit 1; }
        dir=$([ $profile = dev ] && echo debug || echo release)
        out=$(ls -d "$CARGO_TARGET_DIR/$dir/build"/bench-corpus-*/out/asset-build)
        stored=$(bytes $(table_of "$out"))
        output=$(bytes "$out")
        cache=$(bytes "$CARGO_TARGET_DIR/asset-build-cache")
        target=$(bytes "$CARGO_TARGET_DIR")
        ratio=$(python3 -c "print(f'{$output / $stored:.3f}')")
        echo "| $label | $profile | $(mib "$stored") | $(mib "$output") | $ratio | $(mib "$cache") | $(mib "$target") |"
    done
done
