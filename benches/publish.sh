#!/usr/bin/env bash
# The publish benchmark (BENCHMARKS.md): the npm corpus (benches/corpus.sh)
# embedded in a user's crate with the publish commands (benches/publish),
# exported to a folder, then uploaded to one local S3 server (moto, on
# loopback) two ways, side by side in each round, each into a fresh bucket:
#   - ours:    bench-publish publish-assets s3://<bucket>/static/ --precompressed
#   - aws-cli: aws s3 sync <exported folder> s3://<bucket>/static/
#              --cache-control "public, max-age=31536000, immutable"
# first upload, then a rerun with nothing changed (ours also with --verify,
# which lists every key as aws s3 sync does). The order alternates from
# round to round.
#
# Usage, from the repository root: bash benches/publish.sh [rounds]
# Needs npm, cargo, and from PyPI: pip install "moto[server]==5.2.1" "awscli==1.45.11"
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/target/bench-publish}
CORPUS=${BENCH_CORPUS:-$ROOT/target/bench-build/corpus}
ASSETS=$WORK/static
CRATE=$WORK/crate
EXPORT=$WORK/export
export CARGO_TARGET_DIR=$WORK/target
mkdir -p "$CORPUS" "$WORK"
source benches/corpus.sh

rm -rf "$CRATE" && mkdir -p "$CRATE/src"
sed "s|@ROOT@|$ROOT|g" benches/publish/Cargo.toml.in >"$CRATE/Cargo.toml"
cp benches/corpus/build.rs "$CRATE/"
cp benches/publish/src/main.rs "$CRATE/src/"
cp Cargo.lock "$CRATE/Cargo.lock"
(cd "$CRATE" && BENCH_ASSETS=$ASSETS cargo build --release --quiet)
bin=$CARGO_TARGET_DIR/release/bench-publish
rm -rf "$EXPORT"
"$bin" export-assets "$EXPORT" >/dev/null
rm "$EXPORT/manifest.json" # the deploy tool's own record; ours writes a release manifest
objects=$(find "$EXPORT" -type f | wc -l)
bytes=$(find "$EXPORT" -type f -printf '%s\n' | awk '{s += $1} END {print s}')

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$WORK/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break
    sleep 0.1
done
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 \
    AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
bucket() { aws s3api create-bucket --bucket "$1" >/dev/null; }
moto_cpu() { awk '{ print ($14 + $15) / 100 }' "/proc/$moto/stat"; } # utime + stime, in s (100 Hz ticks)
timed() { # command...: prints "wall client-cpu server-cpu"
    local before after
    before=$(moto_cpu)
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S" "$@" >/dev/null
    after=$(moto_cpu)
    awk -v m="$(calc "$after - $before")" '{ printf "%.2f %.2f %.2f", $1, $2 + $3, m }' "$WORK/time.txt"
}
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
ours() { timed "$bin" publish-assets "s3://$1/static/" --precompressed --no-progress "${@:2}"; }
theirs() { timed aws s3 sync --only-show-errors "$EXPORT" "s3://$1/static/" --cache-control "public, max-age=31536000, immutable"; }
keys() { aws s3api list-objects-v2 --bucket "$1" --query 'length(Contents)' --output text | awk '{ s += $1 } END { print s }'; }

echo "objects: $objects, bytes: $bytes; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Each cell: wall s / client CPU s / S3 server (moto) CPU s."
echo ""
echo "| round | tool | first upload | no-change rerun | no-change rerun, every key listed | keys in the bucket |"
echo "|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    tools=(ours ours10 aws)
    [ $((round % 2)) -eq 0 ] && tools=(aws ours10 ours)
    for tool in "${tools[@]}"; do
        b="r$round-$tool"
        bucket "$b"
        case $tool in
        ours) first=$(ours "$b"); rerun=$(ours "$b"); listed=$(ours "$b" --verify) ;;
        ours10) first=$(ours "$b" --concurrency 10); rerun=$(ours "$b" --concurrency 10); listed=$(ours "$b" --concurrency 10 --verify) ;;
        aws) first=$(theirs "$b"); rerun=$(theirs "$b"); listed=$rerun ;;
        esac
        echo "| $round | $tool | ${first// / \/ } | ${rerun// / \/ } | ${listed// / \/ } | $(keys "$b") |"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
