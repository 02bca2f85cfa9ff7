#!/usr/bin/env python3
"""Extracts the code blocks of the READMEs so that each language's test run
compiles or runs them: a README example that drifts from the API fails the
build.

    python3 scripts/readme_snippets.py LANG OUT_DIR FILE.md...

writes one source file per ```LANG block of the given Markdown files into
OUT_DIR and prints how many. Every block of that language is taken, except
one preceded by an HTML comment `<!-- snippet: skip -- why -->` (the reason is
required: e.g. a Gradle build script in a Kotlin fence). A comment
`<!-- snippet: ... -->` with other words is documentation for the reader of
the Markdown (how the block is wrapped); the wrapping is the language's rule
below.

* kotlin: a block with top-level declarations (`import`, `fun`, `class`) is a
  file as it is; any other block is the body of
  `suspend fun snippetN(rawBody: ByteArray, signature: String?, apiKey: String)`,
  with `com.kopokopo.sdk.*`, `java.math.BigDecimal` and `java.time.Duration`
  imported (compiled by bindings-uniffi/run-tests.sh).
* python: the block as a module, after PRELUDE_PY's names (type-checked by
  mypy in bindings-python/run-tests.sh; blocks marked `<!-- snippet: run -->`
  are also executed there against `k2 mock`).
* js / ts: the block as a module (type-checked with `tsc --checkJs` against the
  package's declarations by bindings-node/run-tests.sh).
* c: the block as a file when it has `#include`; otherwise the body of a
  function (compiled with -Wall -Wextra -Werror by bindings-c/run-tests.sh).
"""

from __future__ import annotations

import pathlib
import re
import sys

FENCE = re.compile(r"^```(\w[\w+-]*)?[^\n]*$")
DIRECTIVE = re.compile(r"^<!--\s*snippet:\s*(.*?)\s*-->\s*$")

KOTLIN_IMPORTS = "import com.kopokopo.sdk.*\nimport java.math.BigDecimal\nimport java.time.Duration\n"

# Names the Python blocks use without defining them (a web request's body and
# header, the application's objects); declared for mypy, given values to run.
PRELUDE_PY = '''# Names a README block uses as given (the request being handled, the app's own objects).
from typing import Any
import kopokopo
API_KEY: str = "k2-mock-api-key"
api_key: str = API_KEY
raw_body: bytes = b"{}"
signature: "str | None" = None
request: Any = None
phones: "list[str]" = []
app: Any = None
settings: Any = None
db: Any = None
work_queue: Any = None
'''

ALIASES = {"javascript": "js", "typescript": "ts", "py": "python", "kt": "kotlin"}


def blocks(path: pathlib.Path, lang: str):
    """(line number, directive or None, code) of every ```lang block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i, directive = 0, None
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if m:
            directive = m.group(1)
            i += 1
            continue
        f = FENCE.match(lines[i])
        if f:
            start = i + 1
            j = start
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            fence_lang = ALIASES.get((f.group(1) or "").lower(), (f.group(1) or "").lower())
            if fence_lang == lang:
                yield start, directive, "\n".join(lines[start:j]) + "\n"
            i, directive = j + 1, None
            continue
        if lines[i].strip():
            directive = None
        i += 1


def render(lang: str, n: int, code: str) -> tuple[str, str]:
    if lang == "kotlin":
        if re.search(r"^(import|fun|class|object|package)\b", code, re.M):
            return f"Snippet{n}.kt", code
        body = "\n".join("    " + l if l else "" for l in code.splitlines())
        return (f"Snippet{n}.kt", f"@file:Suppress(\"UNUSED_VARIABLE\", \"UNUSED_PARAMETER\")\n\n{KOTLIN_IMPORTS}\n"
                f"suspend fun snippet{n}(rawBody: ByteArray, signature: String?, apiKey: String) {{\n{body}\n}}\n")
    if lang == "python":
        return f"snippet_{n}.py", PRELUDE_PY + "\n" + code
    if lang in ("js", "ts"):
        return f"snippet_{n}.{lang}", code
    if lang == "c":
        if "#include" in code:
            return f"snippet_{n}.c", code
        return f"snippet_{n}.c", f'#include <stdint.h>\n#include <stdio.h>\n#include "kopokopo.h"\n\nvoid snippet_{n}(void) {{\n{code}}}\n'
    raise SystemExit(f"readme_snippets: no rule for {lang}")


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    lang, out, files = ALIASES.get(argv[0], argv[0]), pathlib.Path(argv[1]), argv[2:]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("[Ss]nippet*"):
        old.unlink()
    n = skipped = 0
    index = []
    for f in files:
        for line, directive, code in blocks(pathlib.Path(f), lang):
            if directive and re.match(r"skip\b", directive):
                if not re.match(r"skip\s*(--|—|-)\s*\S", directive):
                    raise SystemExit(f"{f}:{line}: `snippet: skip` needs a reason (`skip -- why`)")
                skipped += 1
                continue
            n += 1
            name, text = render(lang, n, code)
            if lang == "python" and directive and re.match(r"run\b", directive):
                name = name.replace("snippet_", "snippet_run_")
            (out / name).write_text(text, encoding="utf-8")
            index.append(f"{name}\t{f}:{line}")
    (out / "INDEX").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"readme_snippets: {n} {lang} block(s) from {len(files)} file(s) into {out} ({skipped} skipped with a reason)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
