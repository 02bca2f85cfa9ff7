#!/usr/bin/env bash
# Builds libkopokopo_uniffi and generates its bindings with the pinned
# uniffi-bindgen (library mode). Names come from the repository-root
# uniffi.toml (bindings-uniffi/uniffi.toml links to it).
#
#   generate.sh kotlin OUT_DIR [NATIVE_DIR]   Kotlin sources into OUT_DIR; with NATIVE_DIR,
#                                             the library is copied to NATIVE_DIR/<jna-prefix>/
#   generate.sh swift OUT_DIR                 KopoKopo.swift, KopoKopoFFI.h, KopoKopoFFI.modulemap
#
# KOPOKOPO_SKIP_CARGO_BUILD=1 skips `cargo build` (run-tests.sh builds once).
# CARGO_TARGET_DIR defaults to <repo>/target; KOPOKOPO_PROFILE to debug.
set -euo pipefail

lang="${1:?usage: generate.sh kotlin|swift OUT_DIR [NATIVE_DIR]}"
out="${2:?usage: generate.sh kotlin|swift OUT_DIR [NATIVE_DIR]}"
native="${3:-}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
profile="${KOPOKOPO_PROFILE:-debug}"
profile_flag=()
[ "$profile" = release ] && profile_flag=(--release)

case "$(uname -s)" in
  Darwin) libfile="libkopokopo_uniffi.dylib" ;;
  *) libfile="libkopokopo_uniffi.so" ;;
esac

cd "$root"
if [ "${KOPOKOPO_SKIP_CARGO_BUILD:-0}" != 1 ]; then
  cargo build -q "${profile_flag[@]}" -p kopokopo-uniffi -p uniffi-bindgen
fi
lib="$CARGO_TARGET_DIR/$profile/$libfile"
bindgen="$CARGO_TARGET_DIR/$profile/uniffi-bindgen"
[ -f "$lib" ] || { echo "generate.sh: $lib not found (cargo build -p kopokopo-uniffi)" >&2; exit 1; }

mkdir -p "$out"
out="$(cd "$out" && pwd)"
# --no-format: the output must not depend on whether ktlint/swift-format are installed.
"$bindgen" generate --library "$lib" --language "$lang" --no-format --out-dir "$out" >/dev/null

if [ "$lang" = kotlin ]; then
  # UniFFI gives each exception case a `message` listing its fields
  # ("field=..., reason=..."); ours is the core's message, the same text in
  # every language (the error's exported Display, i.e. its `toString()`).
  # Fails loudly if a UniFFI upgrade changes the shape this rewrites.
  python3 - "$out" <<'PY'
import pathlib, re, sys
path = next(pathlib.Path(sys.argv[1]).rglob("kopokopo_uniffi.kt"))
text = path.read_text(encoding="utf-8")
start = text.index("sealed class KopoKopoException")
end = text.index("companion object ErrorHandler", start)
block, n = re.subn(r'override val message\n(\s*)get\(\) = "[^\n]*"', r"override val message\n\1get() = toString()", text[start:end])
if n != 9:
    sys.exit(f"generate.sh: expected 9 KopoKopoException messages to rewrite, found {n}")
path.write_text(text[:start] + block + text[end:], encoding="utf-8")
PY
fi

if [ "$lang" = kotlin ] && [ -n "$native" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) prefix=linux-x86-64 ;;
    Linux-aarch64) prefix=linux-aarch64 ;;
    Darwin-arm64) prefix=darwin-aarch64 ;;
    Darwin-x86_64) prefix=darwin-x86-64 ;;
    *) echo "generate.sh: no JNA resource prefix known for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
  esac
  mkdir -p "$native/$prefix"
  cp "$lib" "$native/$prefix/$libfile"
  # Debug builds carry ~100 MB of debug info; the jar does not need it.
  if [ "$(uname -s)" = Linux ] && command -v strip >/dev/null 2>&1; then
    strip --strip-debug "$native/$prefix/$libfile"
  fi
fi
