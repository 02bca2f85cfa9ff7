#!/usr/bin/env bash
# Installs the dev dependencies, builds the native addon from source and runs
# every Node test (vectors, k2 mock, examples, packaging). Needs Node.js >= 20.17,
# npm, Rust >= 1.88 (cargo) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund
npm test
