#!/bin/sh
# RUSTC_WRAPPER for benches/build.sh: runs rustc, and for the crate that
# includes the generated table (bench_corpus, not its build script) appends
# "<wall seconds> <peak RSS KiB> <user s> <system s>" to $RUSTC_TIMES.
rustc=$1
shift
case " $* " in
*" --crate-name bench_corpus "*)
    exec /usr/bin/time -a -o "$RUSTC_TIMES" -f "%e %M %U %S" "$rustc" "$@"
    ;;
esac
exec "$rustc" "$@"
