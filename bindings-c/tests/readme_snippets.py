#!/usr/bin/env python3
"""Compiles every ```c block of bindings-c/README.md against the header.

    readme_snippets.py [--cc CC] [--include DIR] [README ...]

A README example that drifts from the API (a renamed function, a wrong
argument type such as a `char *` body where the header takes
`const uint8_t *`) fails the build. Each block is compiled on its own with
`-std=c11 -Wall -Wextra -Werror` (no link), after `#include <kopokopo.h>`:

* preprocessor lines (`#include ...`) stay at file scope; every other line
  is the body of a function, so a fragment of statements is checked as
  written (the block must include the standard headers it uses);
* the comment line just above a block can change that:
  `<!-- snippet-check: wrap(const char *result, size_t n) -->` gives the
  function those parameters (the inputs a fragment takes from its context);
  `<!-- snippet-check: file -->` compiles the block as a whole file (it
  defines its own functions); `<!-- snippet-check: skip REASON -->` marks a
  deliberately partial snippet, which is reported and not compiled.

Exits non-zero when a block does not compile, or when there is none.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile

DIRECTIVE = re.compile(r"<!--\s*snippet-check:\s*(wrap\((?P<params>[^)]*)\)|file|skip(?P<reason>.*?))\s*-->")


def blocks(text: str):
    """(line number, directive match or None, code) of every ```c block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```c":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            directive = DIRECTIVE.search(lines[k]) if k >= 0 else None
            yield start, directive, "\n".join(lines[start:j])
            i = j + 1
        else:
            i += 1


def source(code: str, directive, name: str) -> str:
    if directive and directive.group(0).split(":", 1)[1].strip().startswith("file"):
        return f"#include <kopokopo.h>\n{code}\n"
    params = (directive.group("params") if directive else None) or "void"
    top, body = [], []
    for line in code.splitlines():
        (top if line.lstrip().startswith("#") else body).append(line)
    fn = f"void {name}({params})"
    return "\n".join(["#include <kopokopo.h>", *top, f"{fn};", f"{fn} {{", *body, "}", ""])


def main() -> int:
    here = pathlib.Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--include", default=str(here.parent / "include"))
    ap.add_argument("readme", nargs="*", default=[str(here.parent / "README.md")])
    args = ap.parse_args()
    compiled = skipped = 0
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for readme in args.readme:
            for line, directive, code in blocks(pathlib.Path(readme).read_text(encoding="utf-8")):
                where = f"{readme}:{line}"
                if directive and directive.group(0).split(":", 1)[1].strip().startswith("skip"):
                    print(f"skipped (partial): {where}{':' + directive.group('reason') if directive.group('reason') else ''}")
                    skipped += 1
                    continue
                src = pathlib.Path(tmp) / f"snippet_{line}.c"
                src.write_text(source(code, directive, f"readme_snippet_{line}"), encoding="utf-8")
                cmd = [args.cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-c", "-o", os.devnull,
                       f"-I{args.include}", str(src)]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    failures.append(where)
                    print(f"FAILED: {where}\n{src.read_text(encoding='utf-8')}\n{r.stderr}", file=sys.stderr)
                else:
                    compiled += 1
    print(f"README C snippets: {compiled} compiled, {skipped} skipped, {len(failures)} failed")
    if failures:
        return 1
    if compiled == 0:
        print("no ```c block found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
