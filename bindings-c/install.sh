#!/usr/bin/env bash
# Builds libkopokopo and installs it with its header, pkg-config file and
# CMake package:
#
#   bindings-c/install.sh [--debug] PREFIX
#
#   PREFIX/include/kopokopo.h
#   PREFIX/lib/libkopokopo.so -> libkopokopo.so.0.1 -> libkopokopo.so.0.1.0
#   PREFIX/lib/libkopokopo.a
#   PREFIX/lib/pkgconfig/kopokopo.pc
#   PREFIX/lib/cmake/kopokopo/kopokopoConfig.cmake, kopokopoConfigVersion.cmake
#
# Release build by default. Honours CARGO_TARGET_DIR. Set K2_NO_BUILD=1 to
# install what was already built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
profile=release
if [ "${1:-}" = "--debug" ]; then profile=debug; shift; fi
if [ $# -ne 1 ]; then
    echo "usage: $0 [--debug] PREFIX" >&2
    exit 2
fi
mkdir -p "$1"
prefix="$(cd "$1" && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"

if [ "${K2_NO_BUILD:-0}" != 1 ]; then
    flags=()
    [ "$profile" = release ] && flags+=(--release)
    (cd "$repo" && cargo build -p kopokopo-c "${flags[@]}")
fi

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n1)"
[ -n "$version" ] || { echo "cannot read the version from Cargo.toml" >&2; exit 1; }
major="${version%%.*}"; rest="${version#*.}"; minor="${rest%%.*}"
if [ "$major" = 0 ]; then soname="libkopokopo.so.0.$minor"; else soname="libkopokopo.so.$major"; fi

libdir="$prefix/lib"
mkdir -p "$prefix/include" "$libdir/pkgconfig" "$libdir/cmake/kopokopo"
install -m 0644 "$here/include/kopokopo.h" "$prefix/include/kopokopo.h"
install -m 0755 "$target/$profile/libkopokopo.so" "$libdir/libkopokopo.so.$version"
ln -sf "libkopokopo.so.$version" "$libdir/$soname"
ln -sf "$soname" "$libdir/libkopokopo.so"
install -m 0644 "$target/$profile/libkopokopo.a" "$libdir/libkopokopo.a"
sed "s/@K2_VERSION@/$version/g" "$here/cmake/kopokopo.pc.in" > "$libdir/pkgconfig/kopokopo.pc"
install -m 0644 "$here/cmake/kopokopoConfig.cmake" "$libdir/cmake/kopokopo/kopokopoConfig.cmake"
sed "s/@K2_VERSION@/$version/g" "$here/cmake/kopokopoConfigVersion.cmake.in" \
    > "$libdir/cmake/kopokopo/kopokopoConfigVersion.cmake"
echo "installed kopokopo $version ($profile) into $prefix"
