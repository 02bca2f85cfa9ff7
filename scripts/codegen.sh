#!/usr/bin/env bash
# Regenerates everything derived from the core's declarations:
#   schema/kopokopo.json          (k2 schema: every operation and type)
#   schema/examples.json          (k2 schema --examples: the core's JSON of the documented payloads)
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
cargo build -q -p kopokopo-mock --bin k2
k2="${CARGO_TARGET_DIR:-target}/debug/k2"
for doc in "schema/kopokopo.json" "schema/examples.json"; do
  if [[ "$doc" == schema/kopokopo.json ]]; then "$k2" schema > "$tmp"; else "$k2" schema --examples tests/fixtures > "$tmp"; fi
  if [[ -n "$check" ]]; then
    if ! cmp -s "$tmp" "$doc"; then
      echo "$doc is stale: run scripts/codegen.sh" >&2
      exit 1
    fi
  else
    cp "$tmp" "$doc"
  fi
done
python3 scripts/codegen.py $check
if [[ -z "$check" ]]; then
  bash bindings-c/scripts/gen-header.sh
  bash bindings-uniffi/scripts/generate-swift.sh
fi
