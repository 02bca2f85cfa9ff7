"""Writes target/site/fields.html (docs/fields.md) and target/site/index.html.

    python scripts/docs/site.py TARGET_SITE_DIR      (run by scripts/docs.sh)
"""

from __future__ import annotations

import html
import pathlib
import sys

import markdown2  # a dependency of pdoc, in the same venv

ROOT = pathlib.Path(__file__).resolve().parents[2]

STYLE = """<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
code{background:#f4f4f4;padding:0 .2rem}a{color:#0b5}
</style>"""

LANGS = [
    ("rust/kopokopo/index.html", "Rust", "rustdoc of the core crate `kopokopo`"),
    ("python/kopokopo.html", "Python", "package `kopokopo` (pdoc)"),
    ("node/index.html", "Node (JavaScript, TypeScript)", "package `kopokopo` (TypeDoc)"),
    ("kotlin/index.html", "Kotlin (JVM, Android)", "`com.kopokopo.sdk` (Dokka)"),
    ("c/kopokopo_8h.html", "C / C++", "`kopokopo.h` (Doxygen)"),
    ("fields.html", "Fields of every webhook and result", "the same fields in every language, with examples"),
]


def page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"{STYLE}<body>{body}</body></html>\n")


def main(site: pathlib.Path) -> int:
    md = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
    body = markdown2.markdown(md, extras=["tables", "header-ids", "fenced-code-blocks"])
    (site / "fields.html").write_text(page("kopokopo: fields", '<p><a href="index.html">← all languages</a></p>' + body),
                                      encoding="utf-8")
    missing = [href for href, _, _ in LANGS if not (site / href).exists()]
    if missing:
        print("site: missing pages " + ", ".join(missing), file=sys.stderr)
        return 1
    items = "".join(f'<li><a href="{href}">{html.escape(name)}</a>: {html.escape(what)}</li>' for href, name, what in LANGS)
    (site / "index.html").write_text(page("kopokopo API reference", "<h1>kopokopo API reference</h1>"
                                          "<p>One Rust core for the Kopo Kopo (K2 Connect) payments API; the "
                                          "same operations, types and errors in every language.</p>"
                                          f"<ul>{items}</ul><p>Swift: the generated sources "
                                          "(<code>bindings-uniffi/swift</code>) carry the same documentation; "
                                          "no Swift toolchain builds a reference on this machine.</p>"),
                                     encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
