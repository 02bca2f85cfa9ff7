#!/usr/bin/env bash
# k2 mock under load: requests/second and p50/p99 latency for token and
# status requests, measured with wrk (installed from Debian if missing) on
# loopback. Writes bench/out/mock.json. Usage: bench/mock.sh [seconds] [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DUR=${1:-10}
REPEATS=${2:-3}
OUT="$ROOT/bench/out"; mkdir -p "$OUT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build -q --release -p kopokopo-mock --bin k2
K2="$CARGO_TARGET_DIR/release/k2"
LOG=$(mktemp)
"$K2" mock --port 0 --callback-delay-ms 100 >"$LOG" &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG" "$LUA_TOKEN" "$LUA_STATUS"' EXIT
for _ in $(seq 50); do [ -s "$LOG" ] && break; sleep 0.1; done
BASE=$(head -1 "$LOG")
TOKEN=$(curl -s -X POST "$BASE/oauth/token" -d "client_id=k2-mock-client-id&client_secret=k2-mock-client-secret&grant_type=client_credentials" | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
LOC=$(curl -s -D - -o /dev/null -X POST "$BASE/api/v2/incoming_payments" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  -d '{"payment_channel":"M-PESA STK Push","till_number":"K000000","subscriber":{"phone_number":"+254712345678"},"amount":{"currency":"KES","value":10},"_links":{"callback_url":"http://127.0.0.1:9/cb"}}' | awk 'tolower($1)=="location:"{print $2}' | tr -d '\r')
LUA_TOKEN=$(mktemp --suffix=.lua)
cat >"$LUA_TOKEN" <<LUA
wrk.method = "POST"
wrk.body = "client_id=k2-mock-client-id&client_secret=k2-mock-client-secret&grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
LUA_STATUS=$(mktemp --suffix=.lua)
cat >"$LUA_STATUS" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Accept"] = "application/json"
LUA
run() { # name url lua
  for i in $(seq "$REPEATS"); do
    wrk -t2 -c64 -d"${DUR}s" --latency -s "$3" "$2" 2>&1 | python3 -c '
import sys, re, json
text = sys.stdin.read()
def lat(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % p, text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({"bench": sys.argv[1], "rps": rps, "p50_ms": lat(50), "p99_ms": lat(99), "non2xx": int(errs.group(1)) if errs else 0}))
' "$1"
  done
}
{
  run token "$BASE/oauth/token" "$LUA_TOKEN"
  run status "$LOC" "$LUA_STATUS"
} | tee "$OUT/mock.jsonl"
