#!/usr/bin/env bash
# Builds and tests the kopokopo C library, end to end:
#
#   1. tools: installs cmake, valgrind, gcc/g++, make, python3, pkg-config,
#      clang-format via apt-get if (and only if) one is missing; then the
#      clang-format check of tests/ and examples/c (scripts/check-format.sh)
#   2. Rust: libkopokopo (release by default), the `k2` simulator, the
#      crate's unit tests
#   3. drift checks: the generated per-operation functions (src/operations.rs,
#      scripts/codegen/c.py) and the header (made with exactly the cbindgen
#      of scripts/cbindgen-version, installed from crates.io if missing);
#      every ```c block of README.md compiled against the header
#      (tests/readme_snippets.py)
#   4. install into a staging prefix (bindings-c/install.sh)
#   5. C tests with CMake + CTest against the installed package: unit tests,
#      shared vectors, every operation against `k2 mock`, static and shared
#      library, C++ header check, and the same under valgrind memcheck
#   6. pkg-config and CMake consumers: examples/c built and run against `k2 mock`
#      (webhook_amount: a signed webhook's amount read exactly)
#   7. the tests again, built with -fsanitize=address,undefined
#   8. library sizes
#
# Usage: bindings-c/run-tests.sh [--debug] [--no-valgrind] [--no-sanitize]
# Exits non-zero on any failure. Honours CARGO_TARGET_DIR; builds in
# $CARGO_TARGET_DIR/bindings-c (override with K2_C_BUILD_DIR).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
profile=release
valgrind=ON
sanitize=1
for arg in "$@"; do
    case "$arg" in
    --debug) profile=debug ;;
    --release) profile=release ;;
    --no-valgrind) valgrind=OFF ;;
    --no-sanitize) sanitize=0 ;;
    *) echo "usage: $0 [--debug] [--no-valgrind] [--no-sanitize]" >&2; exit 2 ;;
    esac
done
work="${K2_C_BUILD_DIR:-$CARGO_TARGET_DIR/bindings-c}"
prefix="$work/prefix"
jobs="$(nproc 2>/dev/null || echo 2)"

step() { printf '\n==> %s\n' "$*"; }

# ------------------------------------------------------------------ 1. tools
step "checking tools"
missing=()
for pair in cmake:cmake valgrind:valgrind gcc:gcc g++:g++ make:make python3:python3 pkg-config:pkg-config \
    clang-format:clang-format; do
    tool="${pair%%:*}"; pkg="${pair#*:}"
    if [ "$tool" = valgrind ] && [ "$valgrind" = OFF ]; then continue; fi
    command -v "$tool" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v cargo >/dev/null 2>&1 || { echo "cargo is required (https://rustup.rs)" >&2; exit 1; }
cmake --version | head -n 1
gcc --version | head -n 1

step "clang-format check (tests, examples)"
"$here/scripts/check-format.sh"

# ------------------------------------------------------------------- 2. Rust
step "building libkopokopo ($profile), the k2 simulator, and running the crate's unit tests"
cd "$repo"
cargo_flags=()
[ "$profile" = release ] && cargo_flags+=(--release)
cargo build -p kopokopo-c "${cargo_flags[@]}"
cargo build -p kopokopo-mock --bin k2
k2_bin="$CARGO_TARGET_DIR/debug/k2"
[ -x "$k2_bin" ] || { echo "k2 simulator not built at $k2_bin" >&2; exit 1; }
cargo test -p kopokopo-c

# ---------------------------------------------------------- 3. drift checks
step "generated per-operation functions and header drift check"
python3 - "$repo" <<'PY'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
sys.path.insert(0, str(root / "scripts"))
from codegen import c
schema = json.loads((root / "schema" / "kopokopo.json").read_text(encoding="utf-8"))
stale = [rel for rel, text in c.generate(schema).items()
         if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != text]
if stale:
    sys.exit("stale generated files (run scripts/codegen.sh): " + ", ".join(stale))
print("codegen check: bindings-c generated files are up to date")
PY
"$here/scripts/check-header.sh"

step "README: every C block of bindings-c/README.md compiles (-Wall -Wextra -Werror)"
python3 "$here/tests/readme_snippets.py" --cc "${CC:-gcc}" --include "$here/include" "$here/README.md"

# ---------------------------------------------------------------- 4. install
step "installing into $prefix"
rm -rf "$prefix"
install_flags=()
[ "$profile" = debug ] && install_flags+=(--debug)
K2_NO_BUILD=1 "$here/install.sh" "${install_flags[@]}" "$prefix"

# ------------------------------------------------------------------ 5. tests
step "C tests (CTest; valgrind memcheck: $valgrind)"
rm -rf "$work/tests"
cmake -S "$here/tests" -B "$work/tests" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH="$prefix" \
    -DK2_MOCK_BIN="$k2_bin" -DK2_REPO_ROOT="$repo" -DK2_VALGRIND="$valgrind"
cmake --build "$work/tests" -j "$jobs"
ctest --test-dir "$work/tests" --output-on-failure

# --------------------------------------------------------------- 6. examples
step "examples/c: pkg-config and CMake consumers, run against k2 mock"
mock_dir="$work/examples-mock"
trap 'sh "$here/tests/mock.sh" stop "$mock_dir" >/dev/null 2>&1 || true' EXIT
rm -rf "$work/examples" "$work/pkgconfig-example"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pkg-config --exists --print-errors "kopokopo >= 0.1"
mkdir -p "$work/pkgconfig-example"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Werror -o "$work/pkgconfig-example/webhook_verify" "$repo/examples/c/webhook_verify.c" \
    $(pkg-config --cflags --libs kopokopo) -Wl,-rpath,"$(pkg-config --variable=libdir kopokopo)"
"$work/pkgconfig-example/webhook_verify" --demo
cmake -S "$repo/examples/c" -B "$work/examples" -DCMAKE_PREFIX_PATH="$prefix"
cmake --build "$work/examples" -j "$jobs"
sh "$here/tests/mock.sh" start "$k2_bin" "$mock_dir"
K2_BASE_URL="$(cat "$mock_dir/url")" K2_CALLBACK_URL="http://127.0.0.1:9/k2/results" "$work/examples/quickstart"
K2_BASE_URL="$(cat "$mock_dir/url")" K2_CALLBACK_URL="http://127.0.0.1:9/k2/results" "$work/examples/quickstart_cpp"
"$work/examples/webhook_verify" --demo
# The same event through a file, with a signature from the simulator's signer.
printf '%s' '{"topic":"customer_created","id":"c1","created_at":"2026-01-01T00:00:00+03:00","event":{"type":"Customer Created","resource":{"first_name":"Jane","last_name":"Doe","phone_number":"+254712345678"}}}' \
    >"$work/examples/event.json"
sig="$("$k2_bin" sign --api-key k2-mock-api-key <"$work/examples/event.json")"
"$work/examples/webhook_verify" "$work/examples/event.json" "$sig"
if "$work/examples/webhook_verify" "$work/examples/event.json" "0000$sig" >/dev/null; then
    echo "webhook_verify accepted a bad signature" >&2
    exit 1
fi
# A webhook's amount read exactly (k2_json_get; 12345678901234567.89 keeps every digit), and
# the Daraja structure's amount from a signed fixture.
"$work/examples/webhook_amount" --demo
daraja="$repo/tests/fixtures/webhook.buygoods_transaction_received.daraja.json"
out="$("$work/examples/webhook_amount" "$daraja" "$("$k2_bin" sign --api-key k2-mock-api-key <"$daraja")")"
echo "$out"
case "$out" in *"amount: 100 KES (10000 cents)"*) ;; *) echo "webhook_amount: wrong Daraja amount" >&2; exit 1 ;; esac
if "$work/examples/webhook_amount" "$daraja" "0000$sig" >/dev/null; then
    echo "webhook_amount accepted a bad signature" >&2
    exit 1
fi
# A body over the 1 MiB cap is refused (413) before it is verified.
head -c 1048577 /dev/zero | tr '\0' ' ' >"$work/examples/big.json"
if out="$("$work/examples/webhook_verify" "$work/examples/big.json" "$sig")" || [ "${out#*answer 413}" = "$out" ]; then
    echo "webhook_verify did not refuse a body over 1 MiB: $out" >&2
    exit 1
fi
sh "$here/tests/mock.sh" stop "$mock_dir"

# -------------------------------------------------------------- 7. sanitizers
if [ "$sanitize" = 1 ]; then
    step "C tests built with -fsanitize=address,undefined"
    rm -rf "$work/tests-asan"
    cmake -S "$here/tests" -B "$work/tests-asan" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH="$prefix" \
        -DK2_MOCK_BIN="$k2_bin" -DK2_REPO_ROOT="$repo" -DK2_VALGRIND=OFF -DK2_SANITIZE=ON
    cmake --build "$work/tests-asan" -j "$jobs"
    ctest --test-dir "$work/tests-asan" --output-on-failure
fi

# ------------------------------------------------------------------ 8. sizes
step "library sizes ($profile)"
so="$CARGO_TARGET_DIR/$profile/libkopokopo.so"
a="$CARGO_TARGET_DIR/$profile/libkopokopo.a"
stripped="$work/libkopokopo.stripped.so"
strip --strip-all -o "$stripped" "$so"
printf '%-28s %10s bytes\n' "libkopokopo.so" "$(stat -c %s "$so")" \
    "libkopokopo.a" "$(stat -c %s "$a")" "libkopokopo.so (stripped)" "$(stat -c %s "$stripped")"
step "all C library checks passed"
