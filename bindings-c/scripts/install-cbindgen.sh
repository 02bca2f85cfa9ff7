#!/usr/bin/env bash
# Installs cbindgen 0.29.x from crates.io into a cargo root (default: ~/.cargo,
# shared by every checkout on the machine) unless a 0.29 cbindgen is already there.
# Prints the path of the cbindgen binary on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
root="${CBINDGEN_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
bin="$root/bin/cbindgen"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -Eq '^cbindgen 0\.29\.'; then
    echo "$bin"
    exit 0
fi
echo "installing cbindgen ^0.29 into $root" >&2
# Build it in its own target dir so it never fights the workspace lock.
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}/cbindgen-build" cargo install cbindgen --version '^0.29' --locked --root "$root" >&2
"$bin" --version >&2
echo "$bin"
