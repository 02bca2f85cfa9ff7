#!/usr/bin/env bash
# Regenerates bindings-c/include/kopokopo.h with the pinned cbindgen (scripts/cbindgen-version,
# installed by install-cbindgen.sh if missing). Usage: gen-header.sh [OUT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(cd "$here/.." && pwd)"
out="${1:-$crate/include/kopokopo.h}"
cbindgen="$("$here/install-cbindgen.sh")"
"$cbindgen" --quiet --config "$crate/cbindgen.toml" --crate kopokopo-c --output "$out" "$crate"
