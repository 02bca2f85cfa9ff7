#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the documentation fixtures.
set -euo pipefail
cd "$(dirname "$0")"
F=../tests/fixtures
for t in verify_signature parse_webhook parse_result parse_response validate_request; do mkdir -p corpus/$t; done
for f in "$F"/webhook.*.json "$F"/variants/webhook.*.json; do cp "$f" corpus/parse_webhook/; cp "$f" corpus/verify_signature/; done
for f in "$F"/result.*.json "$F"/response.*.json "$F"/variants/response.*.json; do cp "$f" corpus/parse_result/; done
i=0
for f in "$F"/response.*.json "$F"/error.*.json; do
  for op in $(seq 0 20); do
    printf "\\x$(printf %02x $op)\\x$(printf %02x $((i % 8)))" > corpus/parse_response/$op-$(basename "$f")
    cat "$f" >> corpus/parse_response/$op-$(basename "$f")
  done
  i=$((i + 1))
done
for f in "$F"/request.*.json; do
  for op in $(seq 0 20); do
    printf "\\x$(printf %02x $op)" > corpus/validate_request/$op-$(basename "$f")
    cat "$f" >> corpus/validate_request/$op-$(basename "$f")
  done
done
