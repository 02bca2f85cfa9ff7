#!/usr/bin/env python3
"""One version for every package, defined once: `[workspace.package] version`
in the workspace Cargo.toml. Every crate inherits it; the other manifests
repeat it (their formats cannot read Cargo.toml) and this check fails when one
differs:

* bindings-python/pyproject.toml: `dynamic = ["version"]` (maturin takes
  Cargo's), never a literal version;
* bindings-node/package.json, its `optionalDependencies` on the per-platform
  packages, and every bindings-node/npm/*/package.json;
* bindings-uniffi/kotlin/pom.xml, examples/kotlin/pom.xml (its dependency on
  the SDK) and scripts/docs/dokka/pom.xml;
* bindings-uniffi/swift/Package.swift (`kopokopoVersion`);
* schema/kopokopo.json (`version`, written by `k2 schema`);
* CHANGELOG.md has an entry for it.

    python3 scripts/check-version.py
"""

from __future__ import annotations

import json
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> int:
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())
    version = cargo["workspace"]["package"]["version"]
    found: list[tuple[str, str | None]] = []

    for member in cargo["workspace"]["members"]:
        toml = ROOT / member / "Cargo.toml"
        pkg = tomllib.loads(toml.read_text()).get("package", {})
        v = pkg.get("version")
        found.append((str(toml.relative_to(ROOT)), version if v == {"workspace": True} else str(v)))

    py = tomllib.loads((ROOT / "bindings-python/pyproject.toml").read_text())["project"]
    found.append(("bindings-python/pyproject.toml (dynamic, from Cargo)",
                  version if "version" in py.get("dynamic", []) and "version" not in py else py.get("version")))

    node = json.loads((ROOT / "bindings-node/package.json").read_text())
    found.append(("bindings-node/package.json", node.get("version")))
    for dep, v in node.get("optionalDependencies", {}).items():
        found.append((f"bindings-node/package.json optionalDependencies {dep}", v))
    for pj in sorted((ROOT / "bindings-node/npm").glob("*/package.json")):
        found.append((str(pj.relative_to(ROOT)), json.loads(pj.read_text()).get("version")))

    for pom in ("bindings-uniffi/kotlin/pom.xml", "scripts/docs/dokka/pom.xml", "examples/kotlin/pom.xml",
                "scripts/snippets/kotlin/pom.xml"):
        text = (ROOT / pom).read_text()
        project = re.sub(r"<(dependencies|parent|build|dependencyManagement)>.*?</\1>", "", text, flags=re.S)
        m = re.search(r"<artifactId>[^<]+</artifactId>\s*<version>([^<]+)</version>", project)
        found.append((pom, m.group(1) if m else None))
        for dep in re.finditer(r"<artifactId>kopokopo-sdk</artifactId>\s*<version>([^<]+)</version>", text):
            if dep.group(1) != (m.group(1) if m else None) or pom != "bindings-uniffi/kotlin/pom.xml":
                found.append((f"{pom} dependency kopokopo-sdk", dep.group(1)))

    swift = (ROOT / "bindings-uniffi/swift/Package.swift").read_text()
    m = re.search(r'let kopokopoVersion = "([^"]+)"', swift)
    found.append(("bindings-uniffi/swift/Package.swift kopokopoVersion", m.group(1) if m else None))

    schema = json.loads((ROOT / "schema/kopokopo.json").read_text())
    found.append(("schema/kopokopo.json", schema.get("version")))

    changelog = (ROOT / "CHANGELOG.md").read_text() if (ROOT / "CHANGELOG.md").exists() else ""
    found.append(("CHANGELOG.md entry", version if re.search(rf"^## \[{re.escape(version)}\]", changelog, re.M) else None))

    bad = [(where, v) for where, v in found if v != version]
    for where, v in bad:
        print(f"version: {where} says {v!r}, the workspace says {version!r}", file=sys.stderr)
    print(f"version: {version} in {len(found)} places; {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
