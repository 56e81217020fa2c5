#!/usr/bin/env bash
# Instructions per request, counted by callgrind: each in-process app
# (src/bin/inproc.rs) called 200 and then 1,200 times; the difference over
# 1,000 is the cost of one request without the setup. Counts are the same
# from run to run on a shared machine, where times are not; they weigh every
# instruction alike (no cache misses, no stalls), so they show what work a
# path does, not how long it takes.
#
#   bash benches/instructions.sh          # needs valgrind
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet --bin inproc
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # kind mode n
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        target/release/inproc "$1" "$2" "$3" >/dev/null 2>"$out/log"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/log"
}

per_request() { # kind mode
    local small large
    small=$(count "$1" "$2" 200)
    large=$(count "$1" "$2" 1200)
    echo $(( (large - small) / 1000 ))
}

echo "| app | instructions per request | against the first row |"
echo "|---|---|---|"
report() { # kind base modes...
    local kind=$1 base="" n
    shift
    for mode in "$@"; do
        n=$(per_request "$kind" "$mode")
        [ -z "$base" ] && base=$n
        printf '| %s `%s` | %s | %s |\n' "$kind" "$mode" "$n" \
            "$(python3 -c "print(f'{$n / $base:.3f}x')")"
    done
}
report asset ceiling ours-layer ceiling-nest ours-nest
report page plain noop tagged layer
