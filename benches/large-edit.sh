#!/usr/bin/env bash
# Edits in a debug build with no profile lines at all (BENCHMARKS.md
# "Large files in a debug build"): a user's crate (benches/corpus, its
# profile sections removed) embedding Bootstrap 5.3.9's dist/ from the npm
# registry, alone and beside a 200 MiB file of random bytes (`video.mp4`,
# stored as it is). After a first build, each row is a whole `cargo build`
# (dev) after one change, its wall time:
#   - a one-line edit of dist/css/bootstrap.css (median of 3);
#   - adding a new 200 MiB random file (then removed again).
#
# Usage, from the repository root: bash benches/large-edit.sh
# Needs npm, cargo and about 2 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/target/bench-large-edit}
CORPUS=$WORK/corpus
mkdir -p "$CORPUS"
if [ ! -d "$CORPUS/bootstrap" ]; then
    (cd "$CORPUS" && tgz=$(npm pack --silent bootstrap@5.3.9 | tail -1) && mkdir b.tmp && tar xzf "$tgz" -C b.tmp && mv b.tmp/package bootstrap && rm -rf b.tmp "$tgz")
fi
[ -f "$WORK/big-1.bin" ] || head -c $((200 << 20)) /dev/urandom >"$WORK/big-1.bin"
[ -f "$WORK/big-2.bin" ] || head -c $((200 << 20)) /dev/urandom >"$WORK/big-2.bin"
export CARGO_TARGET_DIR=$WORK/target
unset CARGO_INCREMENTAL

median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
timed() { # a whole `cargo build`: its wall seconds on stdout
    /usr/bin/time -o "$WORK/time.txt" -f "%e" cargo build --quiet --manifest-path "$WORK/crate/Cargo.toml" 2>"$WORK/build.log" || { cat "$WORK/build.log" >&2; exit 1; }
    cat "$WORK/time.txt"
}

echo "Load before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo ""
echo "| assets | change | whole cargo build, s (median of 3) |"
echo "|---|---|---|"
for with_big in no yes; do
    rm -rf "$WORK/crate" && mkdir -p "$WORK/crate/src"
    sed "s|@ROOT@|$ROOT|g" benches/corpus/Cargo.toml.in | sed '/^\[profile/,$d' >"$WORK/crate/Cargo.toml"
    printf '\n[workspace]\n' >>"$WORK/crate/Cargo.toml"
    cp benches/corpus/build.rs "$WORK/crate/"
    cp benches/corpus/src/main.rs "$WORK/crate/src/"
    cp Cargo.lock "$WORK/crate/Cargo.lock"
    assets=$WORK/static-$with_big
    rm -rf "$assets" && mkdir -p "$assets"
    cp -r "$CORPUS/bootstrap/dist" "$assets/bootstrap"
    if [ $with_big = yes ]; then cp "$WORK/big-1.bin" "$assets/video.mp4"; fi
    export BENCH_ASSETS=$assets
    rm -rf "$CARGO_TARGET_DIR/debug/build"/bench-corpus-* "$CARGO_TARGET_DIR/asset-build-cache"
    timed >/dev/null
    # Older than the racy window, as files are between real edits.
    sleep 3
    label=$([ $with_big = yes ] && echo "Bootstrap dist/ + 200 MiB" || echo "Bootstrap dist/")
    walls=()
    for i in 1 2 3; do
        echo "/* edit $i */" >>"$assets/bootstrap/css/bootstrap.css"
        walls+=("$(timed)")
        sleep 3
    done
    echo "| $label | one-line edit of bootstrap.css | $(median3 "${walls[@]}") (${walls[*]}) |"
    if [ $with_big = yes ]; then
        cp "$WORK/big-2.bin" "$assets/video-2.mp4"
        echo "| $label | a new 200 MiB file | $(timed) |"
        rm "$assets/video-2.mp4"
    fi
done
echo ""
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)."
