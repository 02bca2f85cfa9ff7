#!/usr/bin/env bash
# Makes a small aarch64 Debian userland with CPython 3.11 (and pip's wheel) for
# scripts/dist-check.sh, which then installs the aarch64 wheel into it and
# runs the Python smoke test under qemu-aarch64:
#
#   scripts/dist/arm64-python-sysroot.sh [DIR]   (default: target/dist-tools/arm64-sysroot)
#
# Debian bookworm, as root: adds the arm64 architecture to dpkg for as long as
# `apt-get download` needs it (and removes it again), downloads the .debs
# (about 14 MB) and unpacks them with `dpkg -x`; nothing is installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-${CARGO_TARGET_DIR:-$root/target}/dist-tools/arm64-sysroot}"
debs="$(mktemp -d)"
trap 'rm -rf "$debs"' EXIT
added=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    added=1
fi
apt-get update -q >/dev/null
(cd "$debs" && chmod 0777 . && apt-get download -q \
    python3.11-minimal:arm64 libpython3.11-minimal:arm64 libpython3.11-stdlib:arm64 libc6:arm64 libgcc-s1:arm64 \
    zlib1g:arm64 libexpat1:arm64 libffi8:arm64 libssl3:arm64 libbz2-1.0:arm64 liblzma5:arm64 libsqlite3-0:arm64 \
    libuuid1:arm64 libcrypt1:arm64 libncursesw6:arm64 libtinfo6:arm64 libreadline8:arm64 libnsl2:arm64 \
    libtirpc3:arm64 libdb5.3:arm64 libgdbm6:arm64 python3-pip-whl)
if [ "$added" = 1 ]; then
    dpkg --remove-architecture arm64
    apt-get update -q >/dev/null
fi
rm -rf "$out"
mkdir -p "$out"
for deb in "$debs"/*.deb; do dpkg -x "$deb" "$out"; done
echo "aarch64 CPython userland in $out: $(du -sh "$out" | cut -f1)"
