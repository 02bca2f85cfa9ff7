#!/usr/bin/env bash
# Runs every test suite of the project: Rust (core, simulator, hardening),
# Python, Node, C, Kotlin/Swift, parity and examples. Installs what it needs.
# Usage: scripts/test-all.sh [section ...]   (default: every section)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR=never
export K2_BIN="$CARGO_TARGET_DIR/debug/k2"

ALL_SECTIONS=(rust-lint rust python node c uniffi docs hardening parity)
SECTIONS=("${@:-${ALL_SECTIONS[@]}}")
passed=0
failed=0
failed_names=()

run_section() {
  local name=$1; shift
  echo
  echo "=================== $name ==================="
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "--- $name: ok ($((SECONDS - start))s)"
  else
    failed=$((failed + 1)); failed_names+=("$name"); echo "--- $name: FAILED ($((SECONDS - start))s)"
  fi
}

rust_lint() {
  python3 scripts/check-msrv.py &&
  python3 scripts/check-version.py &&
  bash scripts/check-workflows.sh &&
  cargo fmt --all -- --check &&
  cargo clippy --workspace --all-targets -- -D warnings &&
  RUSTDOCFLAGS="-D warnings" cargo doc -p kopokopo --no-deps -q
}

rust_tests() {
  cargo build -p kopokopo-mock --bins &&
  cargo test -p kopokopo -p kopokopo-mock &&
  cargo run -q -p kopokopo-mock --example demo >/dev/null &&
  python3 tests/vectors/generate.py --check &&
  bash scripts/codegen.sh --check &&
  # Mutation testing of the core lines changed since the merge base (scripts/mutants.sh):
  # every change brings the tests that catch its mutants. Empty diff: no work.
  bash scripts/mutants.sh --in-diff
}

for s in "${SECTIONS[@]}"; do
  case "$s" in
    rust-lint) run_section "rust-lint (msrv, version, workflows, fmt, clippy, rustdoc)" rust_lint ;;
    rust) run_section "rust (core, simulator, vectors, demo)" rust_tests ;;
    python) run_section "python (pytest, mypy, examples)" bash bindings-python/run-tests.sh ;;
    node) run_section "node (node --test, tsc, examples)" bash bindings-node/run-tests.sh ;;
    c) run_section "c (ctest, valgrind, sanitizers, examples)" bash bindings-c/run-tests.sh ;;
    uniffi) run_section "kotlin/swift (uniffi, junit)" bash bindings-uniffi/run-tests.sh ;;
    docs) run_section "docs (API reference of every language into target/site)" bash scripts/docs.sh ;;
    hardening) run_section "hardening (fuzz smoke, cargo deny)" bash scripts/hardening.sh ;;
    parity) run_section "parity (every operation and every field in every binding)" python3 scripts/parity.py --check --strict ;;
    *) echo "unknown section $s (known: ${ALL_SECTIONS[*]})"; failed=$((failed + 1)); failed_names+=("$s") ;;
  esac
done

echo
echo "sections: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
  echo "failed sections: ${failed_names[*]}"
  exit 1
fi
