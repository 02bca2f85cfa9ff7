#!/usr/bin/env bash
# Proves the artefacts of scripts/dist.sh in a clean room: each is installed
# and used where no cargo, rustc, rustup or maturin is on PATH, in an empty
# environment (env -i, a temporary HOME), and no network is used at all
# (pip --no-index, npm --offline, mvn --offline against a temporary local
# repository):
#
#   scripts/dist-check.sh [DIST_DIR]      (default: dist/)
#
#   1. k2:     the static musl binary from dist/ runs `k2 mock --port 0`; every smoke test below
#              talks to it and checks a signature made by `k2 sign`.
#   2. Python: fresh venv, pip install --no-index of the x86_64 manylinux wheel, scripts/dist/smoke.py.
#   3. Node:   fresh npm project, npm install --offline of the main + linux-x64-gnu tarballs,
#              scripts/dist/smoke.cjs.
#   4. Kotlin: the jar + POM installed (install:install-file) into a temporary local repository,
#              the Maven project scripts/dist/kotlin built and run offline.
#   5. C:      the x86_64 tarball unpacked; scripts/dist/c built with CMake (find_package, shared and
#              static) and with pkg-config (cc `pkg-config --cflags --libs kopokopo`), all run.
#   6. aarch64: readelf/file prove the architecture of every aarch64 artefact, auditwheel the wheel's
#              manylinux tag (in a venv of its own); with qemu-aarch64 (Debian qemu-user) the aarch64
#              k2 runs, and with aarch64-linux-gnu-gcc + the arm64 libc (Debian gcc-aarch64-linux-gnu)
#              the C smoke test is built against the aarch64 tarball and run under qemu against it; with
#              an aarch64 CPython userland (scripts/dist/arm64-python-sysroot.sh) the aarch64 wheel is
#              installed with pip --no-index and the Python smoke test runs under qemu too.
#
# Needs python3 (venv), node/npm, java 17 + mvn (and the Kotlin Maven plugin,
# kotlin-stdlib, JNA and kotlinx-coroutines in ~/.m2, as after `mvn test` in
# bindings-uniffi/kotlin: they are copied, the build is offline), cmake, cc,
# pkg-config, readelf, file.
#
# Where `unshare -n` works (root, or user namespaces), the whole check runs in a
# network namespace of its own with only the loopback interface (k2 mock): no
# network at all. auditwheel, a PyPI tool rather than one of our packages, is
# downloaded before (pip download into target/dist-tools/wheelhouse).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$(cd "${1:-$root/dist}" && pwd)"
wheelhouse="${CARGO_TARGET_DIR:-$root/target}/dist-tools/wheelhouse"
if [ -z "${KOPOKOPO_CLEANROOM_NETNS:-}" ]; then
    python3 -m pip download -q --disable-pip-version-check -d "$wheelhouse" "auditwheel==6.8.2" 2>/dev/null \
        || echo "dist-check.sh: could not download auditwheel (the auditwheel check will be skipped)"
    if command -v unshare >/dev/null && unshare -n true 2>/dev/null; then
        exec unshare -n bash -c 'ip link set lo up && KOPOKOPO_CLEANROOM_NETNS=1 exec "$0" "$@"' "$0" "$dist"
    fi
    KOPOKOPO_CLEANROOM_NETNS=0
fi
start=$SECONDS
version="$(python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["workspace"]["package"]["version"])' "$root/Cargo.toml")"
room="$(mktemp -d "${TMPDIR:-/tmp}/kopokopo-cleanroom.XXXXXX")"
results=()
if [ "$KOPOKOPO_CLEANROOM_NETNS" = 1 ]; then
    results+=("NETNS network: none (unshare -n: a network namespace with only the loopback interface)")
else
    results+=("NOTE  network: unshare -n unavailable; pip --no-index, npm --offline and mvn --offline keep our packages local")
fi
k2pid=""
cleanup() {
    for pid in $k2pid ${k2armpid:-}; do kill "$pid" 2>/dev/null || true; done
    if [ "${KEEP_CLEANROOM:-0}" = 1 ]; then echo "clean room kept: $room"; else rm -rf "$room"; fi
}
trap cleanup EXIT
log() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - start)); }
die() { echo "dist-check.sh: FAIL: $*" >&2; exit 1; }
pass() { results+=("PASS  $*"); echo "PASS: $*"; }


(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || die "SHA256SUMS does not match dist/"
echo "SHA256SUMS: $(wc -l < "$dist/SHA256SUMS") files verified"

# ---------------------------------------------------------------- the clean room
# PATH: a directory of symbolic links to the tools the checks need, nothing else.
bin="$room/bin"
mkdir -p "$bin" "$room/home"
python_real="$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')"
ln -s "$python_real" "$bin/python3"
for tool in bash sh env cat cp mv rm ln ls mkdir rmdir mktemp chmod dirname basename readlink realpath \
            uname head tail tr cut sed grep awk sort uniq wc find xargs sleep kill tar gzip unzip \
            sha256sum file readelf objdump expr id tee touch stat date which \
            node npm npx java javac mvn cmake make cc gcc as ld ld.bfd collect2 pkg-config ar; do
    p="$(command -v "$tool" 2>/dev/null || true)"
    [ -n "$p" ] && [ ! -e "$bin/$tool" ] && ln -s "$p" "$bin/$tool"
done
for opt in qemu-aarch64 aarch64-linux-gnu-gcc aarch64-linux-gnu-ld aarch64-linux-gnu-as; do
    p="$(command -v "$opt" 2>/dev/null || true)"
    [ -n "$p" ] && ln -s "$p" "$bin/$opt"
done
# Run a command in the clean room: empty environment, fresh HOME, the PATH above.
clean() {
    env -i HOME="$room/home" PATH="$bin" LANG=C.UTF-8 TMPDIR="$room/tmp" npm_config_update_notifier=false \
        K2_BASE_URL="${url:-}" K2_WEBHOOK_BODY="$room/webhook.json" K2_WEBHOOK_SIGNATURE="${signature:-}" "$@"
}
# The same in the background, as one process (env execs the command): $! is the server's pid.
clean_bg() {
    local out="$1"; shift
    (exec env -i HOME="$room/home" PATH="$bin" LANG=C.UTF-8 TMPDIR="$room/tmp" "$@" > "$out" 2>&1) &
}
mkdir -p "$room/tmp"
for forbidden in cargo rustc rustup maturin cargo-zigbuild; do
    if clean bash -c "command -v $forbidden" >/dev/null; then die "$forbidden is on the clean-room PATH"; fi
done
echo "clean room: $room; PATH=$bin ($(ls "$bin" | wc -l) tools; no cargo, rustc, rustup, maturin)"

# ---------------------------------------------------------------- 1. k2
log "k2 (static, x86_64 musl) from dist/"
tar -xzf "$dist/k2-$version-x86_64-unknown-linux-musl.tar.gz" -C "$room"
k2="$room/k2-$version-x86_64-unknown-linux-musl/k2"
file -b "$k2" | grep -q "x86-64.*statically linked" || die "k2: $(file -b "$k2")"
clean_bg "$room/k2.out" "$k2" mock --port 0
k2pid=$!
for _ in $(seq 100); do [ -s "$room/k2.out" ] && break; sleep 0.1; done
url="$(head -n1 "$room/k2.out")"
[[ "$url" == http://127.0.0.1:* ]] || die "k2 mock did not print its URL: $(cat "$room/k2.out")"
cp "$root/tests/fixtures/webhook.buygoods_transaction_received.k2.json" "$room/webhook.json"
signature="$(clean "$k2" sign --api-key k2-mock-api-key < "$room/webhook.json")"
clean "$k2" verify --api-key k2-mock-api-key --signature "$signature" < "$room/webhook.json" >/dev/null
pass "k2: static x86_64 binary serves $url; k2 sign/verify"

# ---------------------------------------------------------------- 2. Python
log "Python: venv + pip install --no-index"
whl="$(ls "$dist"/kopokopo-"$version"-cp39-abi3-manylinux*_x86_64.whl)"
clean python3 -m venv "$room/venv"
clean "$room/venv/bin/pip" install -q --no-index --disable-pip-version-check "$whl"
clean "$room/venv/bin/python" "$root/scripts/dist/smoke.py"
pass "Python: $(basename "$whl") installed with pip --no-index; smoke test against k2"

# ---------------------------------------------------------------- 3. Node
log "Node: npm install --offline"
mkdir -p "$room/node"
echo '{"name": "kopokopo-cleanroom", "version": "1.0.0", "private": true}' > "$room/node/package.json"
(cd "$room/node" && clean npm install --offline --no-audit --no-fund --loglevel=error \
    "$dist/kopokopo-$version.tgz" "$dist/kopokopo-linux-x64-gnu-$version.tgz")
[ -e "$room/node/node_modules/kopokopo/kopokopo.linux-x64-gnu.node" ] && die "the main npm package carries a .node file"
cp "$root/scripts/dist/smoke.cjs" "$room/node/"
(cd "$room/node" && clean node smoke.cjs)
pass "Node: kopokopo-$version.tgz + kopokopo-linux-x64-gnu-$version.tgz installed with npm --offline; smoke test against k2"

# ---------------------------------------------------------------- 4. Kotlin
log "Kotlin: jar in a temporary local repository, offline Maven build"
repo="$room/m2"
# The third-party artefacts (Kotlin plugin and stdlib, JNA, coroutines, Maven's own plugins) come
# from a hard-linked copy of ~/.m2; any kopokopo artefact in it is removed first.
cp -al "$HOME/.m2/repository" "$repo" 2>/dev/null || cp -a "$HOME/.m2/repository" "$repo"
rm -rf "$repo/com/kopokopo"
clean mvn -B -q -o -Dmaven.repo.local="$repo" install:install-file \
    -Dfile="$dist/kopokopo-sdk-$version.jar" -DpomFile="$dist/kopokopo-sdk-$version.pom" \
    -Dsources="$dist/kopokopo-sdk-$version-sources.jar" -Djavadoc="$dist/kopokopo-sdk-$version-javadoc.jar"
cp -r "$root/scripts/dist/kotlin" "$room/kotlin"
# No Kotlin compile daemon: it would outlive the check (and hold the temporary repository).
(cd "$room/kotlin" && clean mvn -B -q -o -Dmaven.repo.local="$repo" -Dkopokopo.version="$version" -Dkotlin.compiler.daemon=false \
    compile exec:java) | tee "$room/kotlin.out"
grep -q "from $repo/com/kopokopo/kopokopo-sdk/$version/kopokopo-sdk-$version.jar" "$room/kotlin.out" \
    || die "the Kotlin smoke test did not load the jar from the temporary repository"
pass "Kotlin: kopokopo-sdk-$version.jar (+ POM, sources, javadoc) via a temporary local repository, mvn --offline; smoke test against k2"

# ---------------------------------------------------------------- 5. C
log "C: CMake find_package + pkg-config against the x86_64 tarball"
tar -xzf "$dist/kopokopo-$version-x86_64-unknown-linux-gnu.tar.gz" -C "$room"
prefix="$room/kopokopo-$version-x86_64-unknown-linux-gnu"
clean cmake -S "$root/scripts/dist/c" -B "$room/c-cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
clean cmake --build "$room/c-cmake" >/dev/null
clean "$room/c-cmake/smoke" "$room/webhook.json" "$signature"         # RPATH set by CMake
clean "$room/c-cmake/smoke_static" "$room/webhook.json" "$signature"
readelf -d "$room/c-cmake/smoke_static" | grep -q libkopokopo && die "smoke_static links libkopokopo.so"
# pkg-config: the tarball's .pc is relocatable (${pcfiledir}).
flags="$(clean env PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs kopokopo)"
[ "$(clean env PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion kopokopo)" = "$version" ] \
    || die "pkg-config --modversion kopokopo is not $version"
# shellcheck disable=SC2086
clean cc -std=c99 -Wall -Wextra -Werror -o "$room/c-pkgconfig" "$root/scripts/dist/c/smoke.c" $flags
clean env LD_LIBRARY_PATH="$prefix/lib" "$room/c-pkgconfig" "$room/webhook.json" "$signature"
readelf -d "$room/c-pkgconfig" | grep -q "NEEDED.*libkopokopo.so.0" || die "the pkg-config build does not need the SONAME"
pass "C: tarball unpacked; CMake find_package(kopokopo) (shared + static) and pkg-config ($flags) builds; smoke tests against k2"

# ---------------------------------------------------------------- 6. aarch64
log "aarch64: architecture, manylinux tag, qemu"
arm=()
mkdir -p "$room/arm"
tar -xzf "$dist/k2-$version-aarch64-unknown-linux-musl.tar.gz" -C "$room/arm"
tar -xzf "$dist/kopokopo-$version-aarch64-unknown-linux-gnu.tar.gz" -C "$room/arm"
(cd "$room/arm" && mkdir npm && tar -xzf "$dist/kopokopo-linux-arm64-gnu-$version.tgz" -C npm)
(cd "$room/arm" && mkdir jar && cd jar && unzip -q "$dist/kopokopo-sdk-$version.jar" 'linux-*/*')
(cd "$room/arm" && mkdir whl && cd whl && unzip -q "$dist"/kopokopo-"$version"-cp39-abi3-manylinux*_aarch64.whl)
armelf=("k2-$version-aarch64-unknown-linux-musl/k2"
        "kopokopo-$version-aarch64-unknown-linux-gnu/lib/libkopokopo.so.$version"
        "npm/package/kopokopo.linux-arm64-gnu.node"
        "jar/linux-aarch64/libkopokopo_uniffi.so"
        "whl/kopokopo/_kopokopo.abi3.so")
for f in "${armelf[@]}"; do
    machine="$(readelf -h "$room/arm/$f" | sed -n 's/ *Machine: *//p')"
    [ "$machine" = AArch64 ] || die "$f: Machine $machine"
    printf '  %-62s %s | %s\n' "$f" "$machine" "$(file -b "$room/arm/$f" | cut -d, -f1-2)"
done
x86_jar="$(readelf -h "$room/arm/jar/linux-x86-64/libkopokopo_uniffi.so" 2>/dev/null | sed -n 's/ *Machine: *//p' || true)"
[ -z "$x86_jar" ] && (cd "$room/arm/jar" && unzip -q -o "$dist/kopokopo-sdk-$version.jar" 'linux-x86-64/*') \
    && x86_jar="$(readelf -h "$room/arm/jar/linux-x86-64/libkopokopo_uniffi.so" | sed -n 's/ *Machine: *//p')"
case "$x86_jar" in *X86-64*) ;; *) die "jar linux-x86-64/libkopokopo_uniffi.so: Machine $x86_jar" ;; esac
arm+=("readelf: ${#armelf[@]} aarch64 ELF files (k2, libkopokopo.so, .node, JNA native, wheel extension) are AArch64; the jar's linux-x86-64 native is X86-64")
# auditwheel is a PyPI package (no Rust): installed into a venv of the clean room from the wheelhouse.
clean python3 -m venv "$room/aw"
if clean "$room/aw/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$wheelhouse" auditwheel 2>/dev/null; then
    for whl in "$dist"/kopokopo-"$version"-*.whl; do
        tag="$(clean "$room/aw/bin/auditwheel" show "$whl" | tr '\n' ' ' | grep -o 'consistent with the following platform tag: "[^"]*"' | cut -d'"' -f2)"
        echo "  auditwheel: $(basename "$whl"): $tag"
        case "$whl" in *aarch64*) [ "$tag" = manylinux_2_17_aarch64 ] ;; *) [ "$tag" = manylinux_2_17_x86_64 ] ;; esac \
            || die "auditwheel: $whl is $tag"
    done
    arm+=("auditwheel show: both wheels are manylinux_2_17 (x86_64, aarch64)")
else
    results+=("SKIP  auditwheel: not in $wheelhouse (no PyPI access before the check)")
fi
if command -v qemu-aarch64 >/dev/null; then
    k2arm="$room/arm/k2-$version-aarch64-unknown-linux-musl/k2"
    sig_arm="$(clean qemu-aarch64 "$k2arm" sign --api-key k2-mock-api-key < "$room/webhook.json")"
    [ "$sig_arm" = "$signature" ] || die "aarch64 k2 sign under qemu: $sig_arm"
    clean_bg "$room/k2arm.out" qemu-aarch64 "$k2arm" mock --port 0
    k2armpid=$!
    for _ in $(seq 300); do [ -s "$room/k2arm.out" ] && break; sleep 0.1; done
    url_arm="$(head -n1 "$room/k2arm.out")"
    [[ "$url_arm" == http://127.0.0.1:* ]] || die "the aarch64 k2 mock did not start: $(cat "$room/k2arm.out")"
    arm+=("qemu-aarch64: the aarch64 k2 signs the webhook like the x86_64 one and serves k2 mock ($url_arm)")
    sysroot=/usr/aarch64-linux-gnu
    if command -v aarch64-linux-gnu-gcc >/dev/null && [ -e "$sysroot/lib/ld-linux-aarch64.so.1" ]; then
        aprefix="$room/arm/kopokopo-$version-aarch64-unknown-linux-gnu"
        aflags="$(clean env PKG_CONFIG_PATH="$aprefix/lib/pkgconfig" pkg-config --cflags --libs kopokopo)"
        # shellcheck disable=SC2086
        clean aarch64-linux-gnu-gcc -std=c99 -Wall -Werror -o "$room/arm/smoke" "$root/scripts/dist/c/smoke.c" $aflags
        readelf -h "$room/arm/smoke" | grep -q AArch64
        clean env K2_BASE_URL="$url_arm" QEMU_LD_PREFIX="$sysroot" LD_LIBRARY_PATH="$aprefix/lib" \
            qemu-aarch64 "$room/arm/smoke" "$room/webhook.json" "$signature"
        arm+=("qemu-aarch64: C smoke test (aarch64-linux-gnu-gcc + pkg-config, aarch64 libkopokopo.so) against the aarch64 k2 mock")
    else
        results+=("SKIP  aarch64 C smoke under qemu: no aarch64-linux-gnu-gcc or arm64 libc (Debian gcc-aarch64-linux-gnu)")
    fi
    # Python: an aarch64 Debian CPython 3.11 userland (scripts/dist/arm64-python-sysroot.sh); the
    # wheel installed by pip (Debian's pip wheel, run by the aarch64 interpreter) with --no-index.
    pyroot="${KOPOKOPO_ARM64_SYSROOT:-${CARGO_TARGET_DIR:-$root/target}/dist-tools/arm64-sysroot}"
    if [ -x "$pyroot/usr/bin/python3.11" ]; then
        armwhl="$(ls "$dist/kopokopo-$version-cp39-abi3-manylinux"*"_aarch64.whl")"
        pipwhl="$(ls "$pyroot"/usr/share/python-wheels/pip-*.whl)"
        clean qemu-aarch64 -L "$pyroot" "$pyroot/usr/bin/python3.11" "$pipwhl/pip" install -q --no-index \
            --disable-pip-version-check --root-user-action=ignore --target "$room/arm/site" "$armwhl"
        clean env K2_BASE_URL="$url_arm" PYTHONPATH="$room/arm/site" \
            qemu-aarch64 -L "$pyroot" "$pyroot/usr/bin/python3.11" "$root/scripts/dist/smoke.py"
        arm+=("qemu-aarch64: Python smoke test, aarch64 CPython 3.11 (Debian) + $(basename "$armwhl") (pip --no-index), against the aarch64 k2 mock")
    else
        results+=("SKIP  aarch64 Python under qemu: no aarch64 CPython in $pyroot (scripts/dist/arm64-python-sysroot.sh makes one)")
    fi
    kill "$k2armpid" 2>/dev/null || true
    results+=("SKIP  aarch64 Node/JVM under qemu: no aarch64 Node.js/JDK userland here (readelf above)")
else
    results+=("SKIP  qemu: no qemu-aarch64 (Debian qemu-user)")
fi
for a in "${arm[@]}"; do pass "aarch64: $a"; done

echo
echo "dist-check.sh: kopokopo $version, $(wc -l < "$dist/SHA256SUMS") artefacts, $((SECONDS - start))s"
printf '  %s\n' "${results[@]}"
