#!/usr/bin/env python3
"""One minimum Rust version, stated once and everywhere the same.

The workspace `Cargo.toml` sets `rust-version`; this check fails when
* a workspace crate sets another one instead of inheriting it;
* a dependency in the lock file declares a newer `rust-version` than ours
  (ours would then be a promise the build cannot keep);
* a README or doc names another minimum (`Rust 1.xx+`, `Rust ≥ 1.xx`,
  `Rust >= 1.xx`, `rustc 1.xx or newer`...).

    python3 scripts/check-msrv.py     (needs cargo; no network: --offline)
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def version(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


def main() -> int:
    ws = tomllib.loads((ROOT / "Cargo.toml").read_text())
    msrv = ws["workspace"]["package"]["rust-version"]
    problems: list[str] = []
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--offline"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    members = set(meta["workspace_members"])
    for p in meta["packages"]:
        rv = p.get("rust_version")
        if p["id"] in members:
            if rv != msrv:
                problems.append(f"{p['name']}: rust-version {rv}, the workspace says {msrv} (inherit it)")
        elif rv and version(rv)[:2] > version(msrv)[:2]:
            problems.append(f"dependency {p['name']} {p['version']} needs Rust {rv}, newer than our {msrv}")
    pattern = re.compile(r"(?i)\b(?:rust(?:c)?(?: toolchain)?)\s*(?:\(|≥|>=|version\s)?\s*(1\.\d+)(?:\.\d+)?\s*(?:\+|\)|or newer|or later)")
    pattern2 = re.compile(r"(?i)\brust(?:c)?\s*(?:≥|>=)\s*(1\.\d+)")
    checked = 0
    for path in sorted(ROOT.rglob("*.md")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("target", "node_modules") or "node_modules" in rel.parts or rel.parts[0] == "bench":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in list(pattern.finditer(line)) + list(pattern2.finditer(line)):
                checked += 1
                if version(m.group(1))[:2] != version(msrv)[:2]:
                    problems.append(f"{rel}:{n}: says Rust {m.group(1)}, the workspace says {msrv}")
    for p in problems:
        print(f"msrv: {p}", file=sys.stderr)
    print(f"msrv: Rust {msrv}; {len(members)} crates, {checked} mentions in the docs; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
