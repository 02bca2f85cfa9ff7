#!/usr/bin/env bash
# The API reference of every language, generated from the code, as one static
# site in target/site/ (index.html links each language):
#
#   rust/     rustdoc of the core crate            (-D warnings; the crate denies missing docs)
#   python/   pdoc over the installed package       (docstrings and the .pyi stubs)
#   node/     TypeDoc over the package's .d.ts      (warnings are errors; every export documented)
#   kotlin/   Dokka over the Kotlin sources         (undocumented declarations fail, except
#             + the generated UniFFI Kotlin           UniFFI's own plumbing, listed below)
#   c/        Doxygen over include/kopokopo.h       (warnings, undocumented members included, fail)
#   fields.html  docs/fields.md: every webhook and result field in every language
#
# Installs what it needs under target/ (pdoc into the Python venv of the
# Python tests, TypeDoc into target/docs-tools, Doxygen from Debian when
# missing; Dokka comes from Maven Central). Run by scripts/test-all.sh (docs).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
site="$CARGO_TARGET_DIR/site"
build="$CARGO_TARGET_DIR/docs-build"
rm -rf "$site"
mkdir -p "$site" "$build"
failures=()

step() { echo "== docs: $*"; }

# ------------------------------------------------------------------ Rust
step "rust (rustdoc)"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p kopokopo --no-deps
cp -r "$CARGO_TARGET_DIR/doc" "$site/rust"

# ---------------------------------------------------------------- Python
step "python (pdoc)"
venv="$CARGO_TARGET_DIR/py-venv"
# The venv of the Python tests (scripts/test-all.sh python makes it; made here when absent).
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import pdoc" 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check -r bindings-python/requirements-test.txt
"$venv/bin/python" -c "import kopokopo" 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps ./bindings-python
"$venv/bin/python" scripts/docs/check_python_docs.py
"$venv/bin/pdoc" -o "$site/python" --docformat markdown kopokopo kopokopo.receiving kopokopo.fastapi kopokopo.flask

# ------------------------------------------------------------------ Node
step "node (TypeDoc)"
tools="$CARGO_TARGET_DIR/docs-tools"
if [ ! -x "$tools/node_modules/.bin/typedoc" ]; then
  mkdir -p "$tools"
  (cd "$tools" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --silent --no-audit --no-fund typedoc@0.28.20 typescript@6.0.3)
fi
[ -d bindings-node/node_modules/@types/node ] || (cd bindings-node && npm install --silent --no-audit --no-fund)
"$tools/node_modules/.bin/typedoc" \
  --entryPoints bindings-node/lib/kopokopo.d.ts bindings-node/lib/http.d.ts bindings-node/lib/express.d.ts \
  --tsconfig scripts/docs/tsconfig.node.json --name "kopokopo (Node)" --readme bindings-node/README.md \
  --disableSources --treatWarningsAsErrors --validation.notDocumented --logLevel Warn \
  --out "$site/node" || failures+=("node: TypeDoc warnings (undocumented exports) above")

# ---------------------------------------------------------------- Kotlin
step "kotlin (Dokka)"
rm -rf "$build/kotlin-src"
bash bindings-uniffi/scripts/generate.sh kotlin "$build/kotlin-src"
log="$build/dokka.log"
(cd scripts/docs/dokka && mvn -B -ntp dokka:dokka) >"$log" 2>&1 || { cat "$log"; exit 1; }
# UniFFI's own plumbing in the generated file, which its generator leaves
# undocumented: companions, destroy/close of every object, the error
# handler, the toString/message overrides (their docs are the Rust Display),
# and the custom-type aliases (documented in bindings-uniffi/README.md).
plumbing='(\.Companion/|/destroy/|/close/|/Disposable/|/InternalException/|/toString/|/message/#/|\.ErrorHandler/|/(Money|Timestamp|Timeout|JsonNumber)/ )'
undocumented="$(grep -E "Undocumented:|Couldn't resolve" "$log" | grep -Ev "$plumbing" || true)"
echo "kotlin: $(grep -c "Undocumented:" "$log" || true) undocumented UniFFI plumbing declarations skipped"
if [ -n "$undocumented" ]; then
  echo "$undocumented"
  failures+=("kotlin: undocumented declarations above")
fi

# --------------------------------------------------------------------- C
step "c (Doxygen)"
if ! command -v doxygen >/dev/null; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get install -y -q doxygen >/dev/null 2>&1 ||
    { $sudo_ apt-get update -q >/dev/null && $sudo_ apt-get install -y -q doxygen >/dev/null; }
fi
mkdir -p "$site/c"
(cat scripts/docs/Doxyfile; echo "OUTPUT_DIRECTORY = $site/c") | doxygen - || failures+=("c: Doxygen warnings above")

# ----------------------------------------------------- fields and index
step "fields.html and index.html"
"$venv/bin/python" scripts/docs/site.py "$site"

if [ ${#failures[@]} -ne 0 ]; then
  printf 'docs: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "docs: target/site/index.html ($(find "$site" -name '*.html' | wc -l) pages)"
