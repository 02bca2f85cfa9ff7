#!/usr/bin/env bash
# Installs the dev dependencies, builds the native addon from source and runs
# every Node test (vectors, k2 mock, examples, packaging), after two checks:
# the generated files are current (scripts/codegen.py --check: the TypeScript
# declarations and the operation table come from schema/kopokopo.json) and
# the JavaScript and declarations lint clean (Biome, pinned in package.json).
# Needs Node.js >= 20.17, npm, Python 3, Rust >= 1.88 (cargo) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund
echo "== codegen drift check (scripts/codegen.py --check)"
npm run --silent codegen:check
echo "== lint (biome)"
npm run --silent lint
npm test
