# The npm corpus the build and publish benchmarks embed, fetched once with
# `npm pack` into $CORPUS and copied to $ASSETS. Sourced by build.sh and
# publish.sh, which set CORPUS and ASSETS.
fetch() { # package@version folder [subfolder of the package]
    if [ ! -d "$CORPUS/$2" ]; then
        (
            cd "$CORPUS"
            tgz=$(npm pack --silent "$1" | tail -1)
            rm -rf "$2.tmp" && mkdir "$2.tmp"
            tar xzf "$tgz" -C "$2.tmp"
            mv "$2.tmp/package" "$2"
            rm -rf "$2.tmp" "$tgz"
        )
    fi
}
fetch @fortawesome/fontawesome-free@7.3.1 fontawesome-free
fetch bootstrap@5.3.9 bootstrap
rm -rf "$ASSETS" && mkdir -p "$ASSETS"
cp -r "$CORPUS/fontawesome-free" "$ASSETS/fontawesome-free"
cp -r "$CORPUS/bootstrap/dist" "$ASSETS/bootstrap"
