#!/usr/bin/env bash
# Hardening checks in the test run: a short libFuzzer run of every fuzz target
# (FUZZ_SECONDS each, default 30) and cargo-deny (licences, bans, sources).
# Installs cargo-fuzz and cargo-deny (cargo install, into ~/.cargo/bin) if missing.
# Long runs: FUZZ_SECONDS=600 scripts/hardening.sh fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-30}"
what="${1:-all}"

install_tool() { # crate binary
  if ! command -v "$2" >/dev/null 2>&1; then
    echo "installing $1 (cargo install --locked)"
    cargo install "$1" --locked --quiet
  fi
}

if [ "$what" = all ] || [ "$what" = fuzz ]; then
  install_tool cargo-fuzz cargo-fuzz
  bash fuzz/seed.sh
  cd fuzz
  # cargo-fuzz passes -Zsanitizer=address; RUSTC_BOOTSTRAP lets the stable
  # toolchain (the only one on this machine) accept it.
  export RUSTC_BOOTSTRAP=1
  cargo fuzz build -O
  for t in $(cargo fuzz list); do
    log="$ROOT/target/fuzz-$t.log"
    if cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 >"$log" 2>&1; then
      echo "fuzz $t: $(grep -E '^Done' "$log" | tail -1)"
    else
      echo "fuzz $t: CRASH"; tail -40 "$log"; exit 1
    fi
  done
  cd "$ROOT"
fi

if [ "$what" = all ] || [ "$what" = deny ]; then
  install_tool cargo-deny cargo-deny
  # Advisories need the RustSec database (network); see deny.toml.
  cargo deny --all-features check licenses bans sources
fi
