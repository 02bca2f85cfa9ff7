#!/usr/bin/env bash
# Builds the Android library of the Kotlin package: an AAR with the Kotlin
# bindings (classes.jar) and libkopokopo_uniffi.so for every Android ABI.
#
#   ANDROID_NDK_HOME=/path/to/ndk bindings-uniffi/scripts/build-android.sh
#
# Steps:
#   1. `cargo ndk` builds libkopokopo_uniffi.so (release) for arm64-v8a,
#      armeabi-v7a and x86_64 into the Android library layout
#      bindings-uniffi/android/src/main/jniLibs/<abi>/;
#   2. generate.sh kotlin writes the generated Kotlin sources into
#      bindings-uniffi/android/src/main/kotlin/ (plus the hand-written
#      KopoKopo.kt and Groups.kt), for a Gradle build that wants sources.
#      UniFFI's `android = true` is not needed: the generated code falls back
#      to JNA's cleaner where java.lang.ref.Cleaner is missing (API < 33);
#   3. the AAR: with Gradle and a bindings-uniffi/android/build.gradle(.kts),
#      `gradle assembleRelease`; otherwise it is assembled by hand, the AAR
#      format being a zip of AndroidManifest.xml, classes.jar (the Maven jar of
#      bindings-uniffi/kotlin, whose bytecode is the same on Android, minus its
#      desktop native libraries), jni/<abi>/*.so, proguard.txt and R.txt.
#      Output: bindings-uniffi/android/build/kopokopo-android-<version>.aar.
#
# The AAR has no POM: an app adds its dependencies itself (versions as in
# bindings-uniffi/kotlin/pom.xml), e.g. with Gradle:
#   implementation(files("libs/kopokopo-android-<version>.aar"))
#   implementation("net.java.dev.jna:jna:5.19.1@aar")
#   implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.11.0")
# The classes target Java 17 bytecode (Android Gradle Plugin 8 or later).
#
# Needs: ANDROID_NDK_HOME, cargo-ndk (`cargo install cargo-ndk`), the Rust
# targets (`rustup target add aarch64-linux-android armv7-linux-androideabi
# x86_64-linux-android`), a JDK and Maven (the host build of generate.sh), and
# zip or the JDK's jar. ANDROID_PLATFORM sets the minimum API level (21).
# Without ANDROID_NDK_HOME it prints what it needs and exits 2.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(cd "$here/.." && pwd)"
root="$(cd "$crate/.." && pwd)"
android="$crate/android"
abis=(arm64-v8a armeabi-v7a x86_64)
rust_targets=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android)
platform="${ANDROID_PLATFORM:-21}"

if [ -z "${ANDROID_NDK_HOME:-}" ]; then
  cat >&2 <<EOF
build-android.sh: ANDROID_NDK_HOME is not set; nothing was built.
It needs:
  - the Android NDK (r26 or later), its path in ANDROID_NDK_HOME;
  - cargo-ndk:     cargo install cargo-ndk
  - Rust targets:  rustup target add ${rust_targets[*]}
  - a JDK 17+ and Maven (for the Kotlin classes), and zip (or the JDK's jar).
EOF
  exit 2
fi
[ -d "$ANDROID_NDK_HOME" ] || { echo "build-android.sh: ANDROID_NDK_HOME=$ANDROID_NDK_HOME is not a directory" >&2; exit 1; }
if ! cargo ndk --version >/dev/null 2>&1; then
  echo "build-android.sh: cargo-ndk is missing: cargo install cargo-ndk" >&2
  exit 1
fi
if command -v rustup >/dev/null 2>&1; then
  installed="$(rustup target list --installed)"
  for t in "${rust_targets[@]}"; do
    grep -qx "$t" <<<"$installed" || { echo "build-android.sh: missing Rust target $t: rustup target add $t" >&2; exit 1; }
  done
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"

echo "== 1. libkopokopo_uniffi.so for ${abis[*]} (API $platform)"
jni="$android/src/main/jniLibs"
rm -rf "$jni"
mkdir -p "$jni"
ndk_args=()
for abi in "${abis[@]}"; do ndk_args+=(-t "$abi"); done
cargo ndk "${ndk_args[@]}" --platform "$platform" -o "$jni" build --release -p kopokopo-uniffi
strip_tool="$(find "$ANDROID_NDK_HOME/toolchains/llvm/prebuilt" -name llvm-strip -type f 2>/dev/null | head -n1 || true)"
for abi in "${abis[@]}"; do
  so="$jni/$abi/libkopokopo_uniffi.so"
  [ -f "$so" ] || { echo "build-android.sh: cargo ndk did not write $so" >&2; exit 1; }
  if [ -n "$strip_tool" ]; then "$strip_tool" --strip-unneeded "$so"; fi
done

echo "== 2. Kotlin sources"
kt="$android/src/main/kotlin"
rm -rf "$kt"
"$here/generate.sh" kotlin "$kt"
cp "$crate/kotlin/src/main/kotlin/com/kopokopo/sdk/"*.kt "$kt/com/kopokopo/sdk/"

version="$(cargo pkgid -p kopokopo-uniffi | sed 's/.*[#@]//')"
mkdir -p "$android/build"
aar="$android/build/kopokopo-android-$version.aar"

echo "== 3. AAR"
if command -v gradle >/dev/null 2>&1 && { [ -f "$android/build.gradle.kts" ] || [ -f "$android/build.gradle" ]; }; then
  gradle -p "$android" assembleRelease
  echo "AAR: $(find "$android/build/outputs/aar" -name '*.aar' | head -n1)"
  exit 0
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
# classes.jar: the Maven jar (generated + hand-written Kotlin), without the
# desktop native libraries it packs as JNA resources.
(cd "$crate/kotlin" && mvn -B -ntp -q package -DskipTests)
jar_file="$(find "$crate/kotlin/target" -maxdepth 1 -name 'kopokopo-sdk-*.jar' | head -n1)"
[ -n "$jar_file" ] || { echo "build-android.sh: no kopokopo-sdk jar in $crate/kotlin/target" >&2; exit 1; }
mkdir -p "$stage/classes"
(cd "$stage/classes" && unzip -q "$jar_file" && rm -rf linux-* darwin-* win32-* META-INF/MANIFEST.MF)

mkdir -p "$stage/aar"
cat >"$stage/aar/AndroidManifest.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.kopokopo.sdk">
    <uses-sdk android:minSdkVersion="$platform" />
    <uses-permission android:name="android.permission.INTERNET" />
</manifest>
EOF
# JNA reaches the generated structures and callbacks by reflection.
cat >"$stage/aar/proguard.txt" <<'EOF'
-keep class com.sun.jna.** { *; }
-keep class * implements com.sun.jna.** { *; }
-keep class com.kopokopo.sdk.** { *; }
-dontwarn java.awt.**
EOF
: >"$stage/aar/R.txt"
mkdir -p "$stage/aar/jni"
cp -R "$jni/." "$stage/aar/jni/"

zip_dir() { # zip_dir DIR OUT: OUT holds DIR's contents at its root
  rm -f "$2"
  if command -v zip >/dev/null 2>&1; then
    (cd "$1" && zip -qr -X "$2" .)
  else
    (cd "$1" && jar --create --no-manifest --file "$2" .)
  fi
}
zip_dir "$stage/classes" "$stage/aar/classes.jar"
zip_dir "$stage/aar" "$aar"
echo "AAR: $aar"
