#!/usr/bin/env bash
# Regenerates the committed Swift package sources in bindings-uniffi/swift/
# (or in OUT_ROOT, for the drift check):
#
#   Sources/KopoKopo/KopoKopo.swift                 generated Swift bindings
#   Sources/KopoKopoFFI/include/KopoKopoFFI.h       generated C header
#   Sources/KopoKopoFFI/include/module.modulemap    generated KopoKopoFFI.modulemap
#                                                   (SwiftPM wants this file name)
#
# usage: generate-swift.sh [OUT_ROOT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_root="${1:-$here/../swift}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$here/generate.sh" swift "$tmp"
for f in KopoKopo.swift KopoKopoFFI.h KopoKopoFFI.modulemap; do
  [ -f "$tmp/$f" ] || { echo "generate-swift.sh: uniffi-bindgen did not write $f" >&2; ls "$tmp" >&2; exit 1; }
done
mkdir -p "$out_root/Sources/KopoKopo" "$out_root/Sources/KopoKopoFFI/include"
cp "$tmp/KopoKopo.swift" "$out_root/Sources/KopoKopo/KopoKopo.swift"
cp "$tmp/KopoKopoFFI.h" "$out_root/Sources/KopoKopoFFI/include/KopoKopoFFI.h"
cp "$tmp/KopoKopoFFI.modulemap" "$out_root/Sources/KopoKopoFFI/include/module.modulemap"
