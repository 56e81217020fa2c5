#!/usr/bin/env bash
# The delta-update benchmark (BENCHMARKS.md, "Delta updates"): real
# consecutive releases of npm packages, fetched once with `npm pack`, each
# pair through `delta-bench` (benches/src/bin/delta-bench.rs): the old
# release built and exported, the new one built against that export, with
# deltas and without, cold, several times.
#
# Usage, from anywhere: bash benches/deltas.sh [repetitions, default 3]
# Needs npm and cargo. Work files go to benches/target/bench-deltas (or
# $BENCH_WORK); the packages are downloaded once, into its corpus/.
# The pipeline runs on one thread (NUM_JOBS=1, as a build script given one
# job), so that its times compare with the one-thread codec times.
set -euo pipefail
cd "$(dirname "$0")"
REPS=${1:-3}
WORK=${BENCH_WORK:-$PWD/target/bench-deltas}
CORPUS=$WORK/corpus
RELEASES=$WORK/releases
mkdir -p "$CORPUS" "$RELEASES"

# Downloads package@version once into $CORPUS/<package>-<version>.
fetch() {
    local dir=$CORPUS/${1//\//+}
    if [ ! -d "$dir" ]; then
        (
            cd "$CORPUS"
            tgz=$(npm pack --silent "$1" | tail -1)
            rm -rf "$dir.tmp" && mkdir "$dir.tmp"
            tar xzf "$tgz" -C "$dir.tmp"
            mv "$dir.tmp/package" "$dir"
            rm -rf "$dir.tmp" "$tgz"
        )
    fi
    echo "$dir"
}

# A release as an app serves it: the package's given folders (or files),
# copied under $RELEASES/<name>/<version>/, each under its own path.
release() { # name package version path...
    local name=$1 package=$2 version=$3
    shift 3
    local src dest=$RELEASES/$name/$version
    src=$(fetch "$package@$version")
    rm -rf "$dest" && mkdir -p "$dest"
    for path in "$@"; do
        mkdir -p "$dest/$(dirname "$path")"
        cp -r "$src/$path" "$dest/$path"
    done
    echo "$dest"
}

PAIRS=()
pair() { # name package old new path...
    local name=$1 package=$2 old=$3 new=$4
    shift 4
    PAIRS+=("$name $old -> $new" "$(release "$name" "$package" "$old" "$@")" "$(release "$name" "$package" "$new" "$@")")
}

# A CSS framework, patch release: the whole dist/ (CSS, JS, source maps).
pair bootstrap bootstrap 5.3.2 5.3.3 dist
# JS libraries, patch releases.
pair jquery jquery 3.7.0 3.7.1 dist
pair vue vue 3.4.37 3.4.38 dist
# JS libraries, minor releases: every dist/ folder of preact's entry points;
# lodash's builds (the package has no dist/: its builds are at the top).
pair preact preact 10.22.1 10.23.0 dist hooks/dist compat/dist debug/dist devtools/dist jsx-runtime/dist test-utils/dist
pair lodash lodash 4.16.6 4.17.0 lodash.js lodash.min.js core.js core.min.js
# Major releases, where more of each file changes: how the deltas fare when
# they are not tiny, and where they fall against the keep margin.
pair bootstrap-major bootstrap 4.6.0 5.0.0 dist
pair jquery-major jquery 2.2.4 3.0.0 dist

cargo build --release --quiet --bin delta-bench
echo "Load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# The pipeline prints its cargo:: lines on stdout, as in a build script.
NUM_JOBS=1 target/release/delta-bench --reps "$REPS" --work "$WORK/runs" "${PAIRS[@]}" |
    grep -v '^cargo::' | tee "$WORK/results.md"
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
