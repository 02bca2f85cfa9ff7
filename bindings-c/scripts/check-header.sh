#!/usr/bin/env bash
# Fails when the committed include/kopokopo.h differs from a fresh generation.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(cd "$here/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/gen-header.sh" "$tmp/kopokopo.h"
if ! diff -u "$crate/include/kopokopo.h" "$tmp/kopokopo.h"; then
    echo "error: bindings-c/include/kopokopo.h is stale; run bindings-c/scripts/gen-header.sh and commit it" >&2
    exit 1
fi
echo "header check: include/kopokopo.h is up to date"
