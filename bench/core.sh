#!/usr/bin/env bash
# Benchmarks webhook signature verification against OpenSSL's SHA-256.
#
# Runs, in one go:
#   cargo bench -p kopokopo --bench webhooks          (criterion; HMAC-SHA256 verify of 1 MiB,
#                                                       and verify-then-parse per fixture)
#   openssl speed -evp sha256 -bytes 1048576 -seconds 3
# and prints both 1 MiB throughputs and their ratio (kopokopo / openssl).
#
# Extra arguments are passed to the criterion binary, e.g. `bench/core.sh verify_signature`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
LOG="$(mktemp -d)"
trap 'rm -rf "$LOG"' EXIT

echo "== cargo bench -p kopokopo --bench webhooks $*"
cargo bench -p kopokopo --bench webhooks -- "$@" 2>&1 | tee "$LOG/cargo.txt"

echo
echo "== openssl speed -evp sha256 -bytes 1048576 -seconds 3"
openssl speed -evp sha256 -bytes 1048576 -seconds 3 2>&1 | tee "$LOG/openssl.txt"

# `openssl speed` divides by CPU time; criterion measures wall-clock time. On a
# busy machine the two differ, so also run openssl on wall-clock time.
echo
echo "== openssl speed -elapsed -evp sha256 -bytes 1048576 -seconds 3"
openssl speed -elapsed -evp sha256 -bytes 1048576 -seconds 3 2>&1 | tee "$LOG/openssl-elapsed.txt"

python3 - "$CARGO_TARGET_DIR/criterion" "$LOG/openssl.txt" "$LOG/openssl-elapsed.txt" <<'PY'
import json, os, re, sys

criterion_dir, openssl_log, openssl_elapsed_log = sys.argv[1], sys.argv[2], sys.argv[3]

def estimate(group, bench):
    path = os.path.join(criterion_dir, group, bench, "new", "estimates.json")
    with open(path) as f:
        e = json.load(f)
    return e["mean"]["point_estimate"]  # nanoseconds per iteration

MIB = 1 << 20
ns = estimate("verify_signature", "1MiB")
ours = MIB / (ns / 1e9)

def openssl_speed(path):
    for line in open(path):
        m = re.match(r"^sha256\s+([0-9.]+)k\s*$", line.strip())
        if m:
            return float(m.group(1)) * 1000.0  # "1000s of bytes per second"
    sys.exit(f"could not read the openssl speed result in {path}")

openssl = openssl_speed(openssl_log)
openssl_wall = openssl_speed(openssl_elapsed_log)

def fmt(bps):
    return f"{bps / MIB:8.1f} MiB/s ({bps / 1e9:.3f} GB/s)"

print()
print("== summary (1 MiB bodies)")
print(f"kopokopo verify_signature (HMAC-SHA256): {fmt(ours)}  [{ns / 1e6:.3f} ms per MiB]")
print(f"openssl speed -evp sha256:               {fmt(openssl)}")
print(f"ratio kopokopo / openssl:                {ours / openssl:.3f}")
print(f"openssl speed -elapsed (wall clock):     {fmt(openssl_wall)}")
print(f"ratio kopokopo / openssl (wall clock):   {ours / openssl_wall:.3f}")

group = os.path.join(criterion_dir, "verify_then_parse")
if os.path.isdir(group):
    print()
    print("== verify_then_parse (per fixture, mean)")
    for name in sorted(os.listdir(group)):
        p = os.path.join(group, name, "new", "estimates.json")
        if os.path.exists(p):
            with open(p) as f:
                t = json.load(f)["mean"]["point_estimate"]
            print(f"  {name:<58} {t / 1e3:8.2f} us")
PY
