#!/usr/bin/env bash
# Builds every release artefact of this version into dist/ (git-ignored), for
# x86_64 and aarch64 Linux, from a checkout on an x86_64 Linux machine:
#
#   scripts/dist.sh            (then scripts/dist-check.sh proves the artefacts)
#
#   kopokopo-<v>-cp39-abi3-manylinux_2_17_{x86_64,aarch64}.*.whl, kopokopo-<v>.tar.gz (sdist)
#   kopokopo-<v>.tgz, kopokopo-linux-{x64,arm64}-gnu-<v>.tgz          (npm, napi-rs v3 layout)
#   kopokopo-sdk-<v>.jar, -sources.jar, -javadoc.jar, .pom             (Maven, JNA natives for
#                                                                       linux-x86-64 and linux-aarch64)
#   kopokopo-<v>-{x86_64,aarch64}-unknown-linux-gnu.tar.gz             (C: .so/.a, header, pkg-config, CMake)
#   k2-<v>-{x86_64,aarch64}-unknown-linux-musl.tar.gz                   (the simulator, static)
#   SHA256SUMS
#
# Needs rustup + cargo, Python 3.9+ (with venv), Node.js/npm, Maven + JDK 17,
# and the registries (crates.io, PyPI, npm, Maven Central). Cross-compiles
# with zig (the `ziglang` PyPI package): glibc 2.17 floor (manylinux2014) for
# the gnu targets, static musl for k2. The build tools (maturin, ziglang,
# cargo-zigbuild, auditwheel) go into a venv under the cargo target directory.
# One cargo invocation at a time; honours CARGO_TARGET_DIR.
#
# KOPOKOPO_DIST_EXTRA=DIR adds artefacts built elsewhere (the release
# workflow's macOS, Windows, Android and Apple jobs), in this layout:
#   DIR/wheels/*.whl                          copied to dist/
#   DIR/npm/<platform>/kopokopo.<platform>.node   packed as kopokopo-<platform> (bindings-node/npm/<platform>)
#   DIR/jna/<jna-prefix>/<library>            added to the jar (darwin-aarch64, win32-x86-64, ...)
#   DIR/files/*                               copied to dist/ (k2 archives, AAR, XCFramework zip)
#
# The version is the workspace's ([workspace.package] in Cargo.toml); the
# other manifests must agree (scripts/check-version.py runs first).
set -euo pipefail

checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$checkout/target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
export CARGO_TARGET_DIR="$target"
dist="$checkout/dist"
work="$target/dist-work"
tools="$target/dist-tools"
start=$SECONDS

# Everything is built from a snapshot of the checkout (the files git tracks or
# would track: no ignored file, no build output), so that all the artefacts
# come from one state of the sources even while the tree is being edited.
root="$target/dist-src"
rm -rf "$root"
mkdir -p "$root"
(cd "$checkout" && git ls-files -z --cached --others --exclude-standard \
    | python3 -c 'import os, sys; sys.stdout.buffer.write(b"".join(p + b"\0" for p in sys.stdin.buffer.read().split(b"\0") if p and os.path.lexists(p)))' \
    | tar --null -T - -cf - | tar -xf - -C "$root")
cd "$root"

log() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - start)); }
die() { echo "dist.sh: $*" >&2; exit 1; }

python3 scripts/check-version.py
version="$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["workspace"]["package"]["version"])')"
# Reproducible archives: every file dated at the last commit. Not exported: build scripts
# that watch SOURCE_DATE_EPOCH would make cargo rebuild what it has already built.
epoch="${SOURCE_DATE_EPOCH:-$(git -C "$checkout" log -1 --format=%ct 2>/dev/null || date +%s)}"

ARCHES=(x86_64 aarch64)
GLIBC=2.17                                 # manylinux_2_17 == manylinux2014
declare -A NODE_PLATFORM=([x86_64]=linux-x64-gnu [aarch64]=linux-arm64-gnu)
declare -A JNA_PREFIX=([x86_64]=linux-x86-64 [aarch64]=linux-aarch64)

rm -rf "$dist" "$work"
mkdir -p "$dist" "$work"

# ---------------------------------------------------------------- tools
log "build tools (venv in $tools/venv)"
if [ ! -x "$tools/venv/bin/cargo-zigbuild" ] || [ ! -x "$tools/venv/bin/auditwheel" ]; then
    python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install -q --disable-pip-version-check \
        "maturin==1.16.0" "ziglang==0.17.1" "cargo-zigbuild==0.24.1" "auditwheel==6.8.2"
fi
export PATH="$tools/venv/bin:$PATH"
rustup target add "${ARCHES[@]/%/-unknown-linux-gnu}" "${ARCHES[@]/%/-unknown-linux-musl}" >/dev/null
maturin --version; cargo-zigbuild --version; echo "zig $(python3 -m ziglang version)"

# ---------------------------------------------------------------- native builds
# Node addon, C library and UniFFI library: one cargo invocation per target.
for arch in "${ARCHES[@]}"; do
    log "cargo zigbuild $arch-unknown-linux-gnu.$GLIBC: kopokopo-node, kopokopo-c, kopokopo-uniffi"
    cargo zigbuild --release --locked --target "$arch-unknown-linux-gnu.$GLIBC" \
        -p kopokopo-node -p kopokopo-c -p kopokopo-uniffi
done
for arch in "${ARCHES[@]}"; do
    log "maturin wheel $arch (abi3, manylinux_2_17, zig)"
    maturin build --release --locked --zig --target "$arch-unknown-linux-gnu" \
        --compatibility manylinux_2_17 -m bindings-python/Cargo.toml --out "$work/wheels"
done
log "maturin sdist"
maturin sdist -m bindings-python/Cargo.toml --out "$dist"
sdist_list="$(tar -tzf "$dist/kopokopo-$version.tar.gz")"
for needed in pyproject.toml PKG-INFO python/kopokopo/py.typed core/src/lib.rs; do
    grep -q "^kopokopo-$version/\(.*/\)\?$needed\$" <<<"$sdist_list" || die "the sdist lacks $needed"
done
for arch in "${ARCHES[@]}"; do
    log "k2 $arch-unknown-linux-musl (static)"
    cargo zigbuild --release --locked --target "$arch-unknown-linux-musl" -p kopokopo-mock --bin k2
done
log "uniffi-bindgen (host)"
cargo build --locked -q -p uniffi-bindgen

# ---------------------------------------------------------------- Python
log "Python wheels: auditwheel show + contents"
for arch in "${ARCHES[@]}"; do
    whl="$(ls "$work/wheels/kopokopo-$version-cp39-abi3-manylinux"*"$arch.whl")"
    report="$(auditwheel show "$whl")"
    echo "$report"
    grep -q "manylinux_2_17_$arch" <<<"$report" || die "$whl is not manylinux_2_17_$arch"
    python3 - "$whl" "$arch" <<'PY'
import sys, zipfile
whl, arch = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(whl)
names = z.namelist()
sos = [n for n in names if n.endswith(".so")]
assert sos == ["kopokopo/_kopokopo.abi3.so"], f"{whl}: native files {sos}"
elf = z.read(sos[0])[:20]
machine = int.from_bytes(elf[18:20], "little")
assert machine == {"x86_64": 62, "aarch64": 183}[arch], f"{whl}: ELF machine {machine}"
assert "kopokopo/py.typed" in names and "kopokopo/_kopokopo.pyi" in names, whl
meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
for needed in ("License: MIT OR Apache-2.0", "Classifier: License :: OSI Approved", "Project-URL: Repository",
               "Requires-Python: >=3.9", "Description-Content-Type: text/markdown", "# kopokopo"):
    assert needed in meta, f"{whl}: METADATA lacks {needed!r}"
print(f"{whl.rsplit('/', 1)[-1]}: {len(names)} files, metadata complete")
PY
    cp "$whl" "$dist/"
done
extra="${KOPOKOPO_DIST_EXTRA:-}"
if [ -n "$extra" ]; then
    for f in "$extra"/wheels/*.whl "$extra"/files/*; do
        [ -f "$f" ] && cp "$f" "$dist/" && echo "extra: $(basename "$f")"
    done
fi

# ---------------------------------------------------------------- C
log "C tarballs"
for arch in "${ARCHES[@]}"; do
    triple="$arch-unknown-linux-gnu"
    name="kopokopo-$version-$triple"
    stage="$work/c/$name"
    # install.sh installs from $CARGO_TARGET_DIR/release; the cross build lives in target/<triple>/release.
    CARGO_TARGET_DIR="$target/$triple" K2_NO_BUILD=1 bindings-c/install.sh "$stage" >/dev/null
    cp bindings-c/README.md "$stage/README.md"
    so="$stage/lib/libkopokopo.so.$version"
    readelf -d "$so" | grep -q "SONAME.*libkopokopo.so" || die "$so has no SONAME"
    echo "$name: $(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/SONAME \1/p'), $(file -b "$so" | cut -d, -f1-2)"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
        -C "$work/c" -czf "$dist/$name.tar.gz" "$name"
done

# ---------------------------------------------------------------- k2
log "k2 tarballs"
for arch in "${ARCHES[@]}"; do
    triple="$arch-unknown-linux-musl"
    name="k2-$version-$triple"
    mkdir -p "$work/k2/$name"
    install -m 0755 "$target/$triple/release/k2" "$work/k2/$name/k2"
    cp mock/README.md "$work/k2/$name/README.md"
    file -b "$work/k2/$name/k2" | grep -q "statically linked" || die "$name/k2 is not static: $(file -b "$work/k2/$name/k2")"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
        -C "$work/k2" -czf "$dist/$name.tar.gz" "$name"
done

# ---------------------------------------------------------------- Node
# The napi-rs v3 layout: bindings-node/npm/<platform>/package.json per target,
# each packed with its .node; the main package gets `optionalDependencies` on
# them at packing time (what `napi prepublish` does), so that the repository's
# own `npm install` never asks the registry for unpublished platform packages.
log "npm packages"
node_built=()
for arch in "${ARCHES[@]}"; do
    platform="${NODE_PLATFORM[$arch]}"
    stage="$work/npm/$platform"
    mkdir -p "$stage"
    cp bindings-node/npm/"$platform"/{package.json,README.md} "$stage/"
    install -m 0755 "$target/$arch-unknown-linux-gnu/release/libkopokopo_node.so" "$stage/kopokopo.$platform.node"
    (cd "$stage" && npm pack --silent --pack-destination "$dist" >/dev/null)
    node_built+=("$platform")
done
for addon in ${extra:+"$extra"/npm/*/kopokopo.*.node}; do
    [ -f "$addon" ] || continue
    platform="$(basename "$(dirname "$addon")")"
    stage="$work/npm/$platform"
    mkdir -p "$stage"
    cp bindings-node/npm/"$platform"/{package.json,README.md} "$stage/"
    install -m 0755 "$addon" "$stage/"
    (cd "$stage" && npm pack --silent --pack-destination "$dist" >/dev/null)
    node_built+=("$platform")
done
main="$work/npm/kopokopo"
mkdir -p "$main"
cp -r bindings-node/lib bindings-node/index.js bindings-node/index.d.ts bindings-node/README.md "$main/"
KOPOKOPO_NPM_PLATFORMS="${KOPOKOPO_NPM_PLATFORMS:-${node_built[*]}}" \
node - "$root/bindings-node/package.json" "$main/package.json" <<'JS'
const fs = require('node:fs')
const [src, dst] = process.argv.slice(2)
const pkg = JSON.parse(fs.readFileSync(src, 'utf8'))
// Prebuilt only: no install-time build, no dev tooling in the published manifest.
delete pkg.scripts
delete pkg.devDependencies
pkg.files = ['lib/', 'index.js', 'index.d.ts', 'README.md']
pkg.optionalDependencies = {}
for (const p of process.env.KOPOKOPO_NPM_PLATFORMS.split(/\s+/).filter(Boolean)) {
  pkg.optionalDependencies[`kopokopo-${p}`] = pkg.version
}
fs.writeFileSync(dst, JSON.stringify(pkg, null, 2) + '\n')
JS
(cd "$main" && npm pack --silent --pack-destination "$dist" >/dev/null)
ls -l "$dist"/*.tgz

# ---------------------------------------------------------------- Kotlin / JVM
log "Kotlin jar (generated bindings + JNA natives)"
kt="$work/kotlin"
mkdir -p "$kt/fake-target/release"
# generate.sh reads $CARGO_TARGET_DIR/<profile>/{libkopokopo_uniffi.so,uniffi-bindgen}. The release
# .so is stripped (profile.release strip = "symbols"), which removes the UniFFI metadata symbols
# library mode reads: it is given the static library of the same build instead (uniffi-bindgen
# recognises an archive by its content, whatever the name).
ln -s "$target/x86_64-unknown-linux-gnu/release/libkopokopo_uniffi.a" "$kt/fake-target/release/libkopokopo_uniffi.so"
ln -s "$target/debug/uniffi-bindgen" "$kt/fake-target/release/"
CARGO_TARGET_DIR="$kt/fake-target" KOPOKOPO_PROFILE=release KOPOKOPO_SKIP_CARGO_BUILD=1 \
    bash bindings-uniffi/scripts/generate.sh kotlin "$kt/kotlin"
for arch in "${ARCHES[@]}"; do
    mkdir -p "$kt/native/${JNA_PREFIX[$arch]}"
    install -m 0644 "$target/$arch-unknown-linux-gnu/release/libkopokopo_uniffi.so" "$kt/native/${JNA_PREFIX[$arch]}/"
done
if [ -n "$extra" ] && [ -d "$extra/jna" ]; then cp -r "$extra"/jna/. "$kt/native/"; fi
ls "$kt/native"
mvn -B -q -Dkotlin.compiler.daemon=false -f bindings-uniffi/kotlin/pom.xml -Pdist -Dkopokopo.dist.input="$kt" package
for suffix in .jar -sources.jar -javadoc.jar; do
    cp "$kt/build/kopokopo-sdk-$version$suffix" "$dist/"
done
cp bindings-uniffi/kotlin/pom.xml "$dist/kopokopo-sdk-$version.pom"
jar_list="$(unzip -Z1 "$dist/kopokopo-sdk-$version.jar")"
for needed in linux-x86-64/libkopokopo_uniffi.so linux-aarch64/libkopokopo_uniffi.so \
              com/kopokopo/sdk/KopoKopo.class com/kopokopo/sdk/WebhookEvent.class; do
    grep -qx "$needed" <<<"$jar_list" || die "kopokopo-sdk-$version.jar lacks $needed"
done
grep -q 'kopokopo_uniffi.kt$' <<<"$(unzip -Z1 "$dist/kopokopo-sdk-$version-sources.jar")" \
    || die "the sources jar lacks the generated kopokopo_uniffi.kt"
grep -qx 'index.html' <<<"$(unzip -Z1 "$dist/kopokopo-sdk-$version-javadoc.jar")" || die "the javadoc jar is empty"

# ---------------------------------------------------------------- checksums
log "SHA256SUMS"
(cd "$dist" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort \
    | xargs sha256sum > SHA256SUMS)
(cd "$dist" && ls -l --time-style=+ | awk 'NR > 1 { printf "%10d  %s\n", $5, $NF }')
echo "dist.sh: $(wc -l < "$dist/SHA256SUMS") artefacts for kopokopo $version in $((SECONDS - start))s"
