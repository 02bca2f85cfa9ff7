#!/usr/bin/env bash
# Installs exactly the cbindgen version pinned in scripts/cbindgen-version
# (the one the committed include/kopokopo.h was generated with) from
# crates.io into a cargo root (default: ~/.cargo, shared by every checkout on
# the machine), unless that version is already there. Another version gives a
# slightly different header, so gen-header.sh and check-header.sh only use
# the pinned one. Prints the path of the cbindgen binary on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="$(tr -d '[:space:]' <"$here/cbindgen-version")"
root="${CBINDGEN_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
bin="$root/bin/cbindgen"
if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "cbindgen $version" ]; then
    echo "$bin"
    exit 0
fi
echo "installing cbindgen $version into $root" >&2
# Build it in its own target dir so it never fights the workspace lock.
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}/cbindgen-build" \
    cargo install cbindgen --version "=$version" --locked --force --root "$root" >&2
"$bin" --version >&2
echo "$bin"
