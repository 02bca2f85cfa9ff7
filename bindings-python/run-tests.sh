#!/usr/bin/env bash
# Builds and tests the Python package `kopokopo` from a clean slate:
#   1. a virtualenv with the test tools (PyPI only),
#   2. the `k2` simulator (cargo),
#   3. `pip install ./bindings-python` (maturin as the PEP 517 backend),
#   4. the generated files (scripts/codegen/python.py) checked against
#      schema/kopokopo.json, ruff over the package and tests, `mypy --strict`
#      over the package sources, and pytest (vectors, schema parity, exact
#      money, simulator, callbacks, errors, threads, examples, typing).
# The test tools are pinned in requirements-test.txt.
#
# Environment: PYTHON (default python3), KOPOKOPO_PY_VENV (default
# $CARGO_TARGET_DIR/py-venv), K2_BIN (default: build target/debug/k2),
# PYTEST_ARGS (extra pytest arguments).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
PYTHON="${PYTHON:-python3}"
VENV="${KOPOKOPO_PY_VENV:-$CARGO_TARGET_DIR/py-venv}"

echo "==> virtualenv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements-test.txt"

echo "==> generated Python files up to date (scripts/codegen/python.py, schema/kopokopo.json)"
"$PY" - "$REPO" <<'PYEOF'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
sys.path.insert(0, str(root / "scripts"))
from codegen import python as gen
schema = json.loads((root / "schema" / "kopokopo.json").read_text(encoding="utf-8"))
stale = [rel for rel, text in sorted(gen.generate(schema).items())
         if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != text]
if stale:
    print("stale generated files (run scripts/codegen.sh):", *stale, sep="\n  ", file=sys.stderr)
    sys.exit(1)
PYEOF

echo "==> ruff (pinned in requirements-test.txt; config in pyproject.toml)"
(cd "$HERE" && "$VENV/bin/ruff" check python tests "$REPO/examples/python" "$REPO/scripts/codegen/python.py")

if [ -z "${K2_BIN:-}" ]; then
    echo "==> cargo build -p kopokopo-mock (k2 simulator)"
    (cd "$REPO" && cargo build --quiet -p kopokopo-mock --bin k2)
    export K2_BIN="$CARGO_TARGET_DIR/debug/k2"
fi
"$K2_BIN" --help >/dev/null

echo "==> pip install ./bindings-python"
(cd "$REPO" && "$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./bindings-python)
"$PY" -c 'import kopokopo, sys; print("kopokopo", kopokopo.__version__, "from", kopokopo.__file__)'

echo "==> mypy --strict (package sources, framework helpers, and every example: quickstart, async quickstart, Flask, FastAPI, Django)"
(cd "$HERE" && "$PY" -m mypy --strict --no-incremental --cache-dir /dev/null python/kopokopo "$REPO/examples/python/quickstart.py" \
    "$REPO/examples/python/async_quickstart.py" "$REPO/examples/python/flask_receiver.py" \
    "$REPO/examples/python/fastapi_receiver.py" "$REPO/examples/python/django_receiver.py")

echo "==> README Python blocks type-check against the installed package (scripts/readme_snippets.py; the quickstarts they mirror run against k2 mock in pytest)"
python3 "$REPO/scripts/readme_snippets.py" python "$CARGO_TARGET_DIR/readme-snippets/python" "$HERE/README.md"
(cd "$CARGO_TARGET_DIR/readme-snippets/python" && "$PY" -m mypy --no-incremental --cache-dir /dev/null \
    --disable-error-code import-untyped .)

echo "==> pytest"
cd "$HERE"
# shellcheck disable=SC2086
"$PY" -m pytest tests -q ${PYTEST_ARGS:-}
