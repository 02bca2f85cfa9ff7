#!/usr/bin/env bash
# Builds KopoKopoFFI.xcframework (the Rust static library for iOS, the iOS
# simulator and macOS, with the generated C header and module map), zips it
# and prints the SwiftPM binary target that serves it.
#
#   bindings-uniffi/scripts/build-apple.sh [OUT_DIR]     (macOS with Xcode 15+)
#
# Steps:
#   1. cargo build --release -p kopokopo-uniffi for aarch64-apple-ios,
#      aarch64-apple-ios-sim + x86_64-apple-ios (joined with lipo),
#      aarch64-apple-darwin + x86_64-apple-darwin (joined with lipo);
#      deployment targets iOS 13 / macOS 10.15, as in swift/Package.swift;
#   2. generate-swift.sh (into a temporary directory) for KopoKopoFFI.h and
#      module.modulemap; they go to Headers/KopoKopoFFI/ of every slice (not
#      to Headers/ itself, where the module maps of two XCFrameworks in one
#      app would collide);
#   3. xcodebuild -create-xcframework, zipped with ditto, checksummed with
#      `swift package compute-checksum`.
#
# Output in OUT_DIR (default bindings-uniffi/swift/build/): KopoKopoFFI.xcframework
# and KopoKopoFFI.xcframework.zip. Then publish the zip (a release asset) and,
# in the Package.swift that apps depend on, replace the KopoKopoFFI target by
#   .binaryTarget(name: "KopoKopoFFI", url: "<URL of the zip>", checksum: "<printed>")
# KOPOKOPO_RELEASE_URL (the URL the zip will have) fills in the printed url.
#
# Needs: macOS, Xcode (xcodebuild, lipo, swift), rustup with the five targets
# (`rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# aarch64-apple-darwin x86_64-apple-darwin`). On any other system it exits 2.
set -euo pipefail

if [ "$(uname -s)" != Darwin ]; then
  echo "build-apple.sh: needs macOS with Xcode (xcodebuild, lipo, swift); this is $(uname -s): nothing was built." >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(cd "$here/.." && pwd)"
root="$(cd "$crate/.." && pwd)"
out="${1:-$crate/swift/build}"
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
lib=libkopokopo_uniffi.a

for tool in xcodebuild lipo swift ditto; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-apple.sh: $tool not found (install Xcode)" >&2; exit 1; }
done
if command -v rustup >/dev/null 2>&1; then
  installed="$(rustup target list --installed)"
  for t in "${targets[@]}"; do
    grep -qx "$t" <<<"$installed" || { echo "build-apple.sh: missing Rust target $t: rustup target add $t" >&2; exit 1; }
  done
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-13.0}"
export MACOSX_DEPLOYMENT_TARGET="${MACOSX_DEPLOYMENT_TARGET:-10.15}"
cd "$root"

echo "== 1. static libraries"
for t in "${targets[@]}"; do
  cargo build --release -p kopokopo-uniffi --target "$t"
done
rel() { echo "$CARGO_TARGET_DIR/$1/release/$lib"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ios" "$work/ios-sim" "$work/macos"
cp "$(rel aarch64-apple-ios)" "$work/ios/$lib"
lipo -create "$(rel aarch64-apple-ios-sim)" "$(rel x86_64-apple-ios)" -output "$work/ios-sim/$lib"
lipo -create "$(rel aarch64-apple-darwin)" "$(rel x86_64-apple-darwin)" -output "$work/macos/$lib"

echo "== 2. header and module map"
"$here/generate-swift.sh" "$work/swift"
headers="$work/headers"
mkdir -p "$headers/KopoKopoFFI"
cp "$work/swift/Sources/KopoKopoFFI/include/KopoKopoFFI.h" \
   "$work/swift/Sources/KopoKopoFFI/include/module.modulemap" "$headers/KopoKopoFFI/"

echo "== 3. XCFramework"
mkdir -p "$out"
xcf="$out/KopoKopoFFI.xcframework"
zip_file="$xcf.zip"
rm -rf "$xcf" "$zip_file"
xcodebuild -create-xcframework \
  -library "$work/ios/$lib" -headers "$headers" \
  -library "$work/ios-sim/$lib" -headers "$headers" \
  -library "$work/macos/$lib" -headers "$headers" \
  -output "$xcf"
(cd "$out" && ditto -c -k --sequesterRsrc --keepParent KopoKopoFFI.xcframework KopoKopoFFI.xcframework.zip)
checksum="$(swift package compute-checksum "$zip_file")"

url="${KOPOKOPO_RELEASE_URL:-https://example.com/releases/KopoKopoFFI.xcframework.zip}"
echo "XCFramework: $xcf"
echo "zip:         $zip_file"
echo "SwiftPM binary target:"
echo "    .binaryTarget(name: \"KopoKopoFFI\", url: \"$url\", checksum: \"$checksum\"),"
