#!/usr/bin/env bash
# Regenerates everything derived from the core's declarations:
#   schema/kopokopo.json          (k2 schema: every operation and type)
#   bindings' generated files     (scripts/codegen.py, from schema/kopokopo.json)
#   bindings-c/include/kopokopo.h (cbindgen, pinned, over the compiled C binding)
#   bindings-uniffi/swift/...     (uniffi-bindgen over the compiled UniFFI library)
# `scripts/codegen.sh --check` changes nothing and fails if the manifest or a file
# generated from it is stale (the header and Swift drift checks run in the c and
# uniffi sections of scripts/test-all.sh, which build those libraries anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
check=""
[[ "${1:-}" == "--check" ]] && check="--check"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
cargo run -q -p kopokopo-mock -- schema > "$tmp"
if [[ -n "$check" ]]; then
  if ! cmp -s "$tmp" schema/kopokopo.json; then
    echo "schema/kopokopo.json is stale: run scripts/codegen.sh" >&2
    exit 1
  fi
else
  cp "$tmp" schema/kopokopo.json
fi
python3 scripts/codegen.py $check
if [[ -z "$check" ]]; then
  bash bindings-c/scripts/gen-header.sh
  bash bindings-uniffi/scripts/generate-swift.sh
fi
