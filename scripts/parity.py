#!/usr/bin/env python3
"""Parity check: every public operation of the core exists in every binding.

The operations come from the core's own declaration, the committed manifest
schema/kopokopo.json (written by `k2 schema` from core/src/operations.rs; see
docs/schema.md), plus the webhook API (sign, verify_signature, parse_webhook,
parse_result: free functions of core/src/webhooks.rs, not HTTP operations).
There is no hand-kept table of names: each binding's name is derived from the
operation's `group` and `method` by that binding's rule, and looked up in the
binding's public interface:

  Rust    client.<group>().<method>()      core/src/operations.rs (the table
                                           that generates the Client groups)
  Python  client.<group>.<method>()        bindings-python/python/kopokopo
                                           (typed package: .py sources and .pyi stubs)
  Node    client.<camelGroup>.<method>()   bindings-node/lib/*.d.ts (the package's types)
  Kotlin  client.<camelGroup>.<method>()   bindings-uniffi/src/*.rs (UniFFI exports) and
  Swift   client.<camelGroup>.<method>()   the Kotlin sources / the committed Swift sources
  C       k2_<group>_<method>              bindings-c/include/kopokopo.h

UniFFI: a group object (`pub fn <group>(&self) -> Arc<..>` whose type has
`pub fn <method>`), seen as a property in Kotlin (`val KopoKopoClient.<camelGroup>`
of the generated Groups.kt, used as `<camelGroup>.<method>(`) and in Swift (`var
<camelGroup>:` of the generated Groups.swift, with `func <method>(` in the
generated KopoKopo.swift). C accepts `k2_<group>_<method>` or, while the
deprecated aliases last, `k2_<legacy_name>`. The README table shows the name
found, preferring the new scheme. C's `k2_<legacy_name>` functions are
deprecated aliases, and `--strict` fails on an operation that C only has under
its legacy name.

The capability column of the README table is the operation's `doc` from the
manifest (its first sentence, without the final full stop).

--check fails (exit 1) on any gap and on a README feature table that differs
from the generated one; --write rewrites the table in README.md.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The webhook API: free functions in every binding, not operations of the
# manifest. (name, capability); every binding's name is derived from `name`.
WEBHOOK_API = [
    ("sign", "Sign a body (for tests)"),
    ("verify_signature", "Verify a webhook/result signature"),
    ("parse_webhook", "Verify + parse a webhook (K2 and Daraja)"),
    ("parse_result", "Verify + parse a result callback"),
]

LANGS = ["Rust", "Python", "Node", "Kotlin", "Swift", "C"]


# ------------------------------------------------------------------ sources


def manifest_operations() -> list[dict]:
    path = ROOT / "schema/kopokopo.json"
    try:
        ops = json.loads(path.read_text(encoding="utf-8"))["operations"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"parity: cannot read the operations of {path.relative_to(ROOT)}: {e} (run scripts/codegen.sh)")
    for op in ops:
        for key in ("name", "group", "method", "legacy_name", "doc"):
            if not isinstance(op.get(key), str):
                sys.exit(f"parity: operation {op!r} has no `{key}` in schema/kopokopo.json")
        if op["name"] != f"{op['group']}.{op['method']}":
            sys.exit(f"parity: operation {op['name']} is not `group.method` in schema/kopokopo.json")
    return ops


def check_webhook_api() -> None:
    hooks = (ROOT / "core/src/webhooks.rs").read_text()
    for f, _ in WEBHOOK_API:
        if not re.search(rf"pub fn {f}\(", hooks):
            sys.exit(f"core/src/webhooks.rs no longer has pub fn {f}: update WEBHOOK_API in scripts/parity.py")


def camel(s: str) -> str:
    head, *rest = s.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def capability(doc: str) -> str:
    first = doc.strip().split("\n")[0]
    return first[:-1] if first.endswith(".") else first


# ------------------------------------------------------------------ finders


def rust_table() -> set[tuple[str, str]]:
    """(group, method) pairs of the `operations!` table in core/src/operations.rs:
    the table generates the `Client` groups, so a pair there is a Rust method."""
    src = (ROOT / "core/src/operations.rs").read_text()
    start = src.find("\noperations! {")
    if start < 0:
        sys.exit("core/src/operations.rs has no `operations! {` table: update scripts/parity.py")
    pairs, group = set(), None
    for line in src[start:].splitlines()[1:]:
        if line.startswith("}"):
            break
        g = re.match(r"\s{4}(\w+)\s*:\s*\w+\s*\"", line)
        if g:
            group = g.group(1)
            continue
        m = re.match(r"\s{8}(\w+)\s*=\s*\"\w+\"\s*:", line)
        if m and group:
            pairs.add((group, m.group(1)))
    return pairs


def rust_fn(module: str, fn: str) -> bool:
    return bool(re.search(rf"pub fn {fn}\(", (ROOT / f"core/src/{module}.rs").read_text()))


def python_api() -> tuple[dict[str, set[str]], set[str]]:
    """Client attribute -> public methods of its group class (inherited ones
    included), from every .py and .pyi module of the package; and `__all__`.
    The group attributes may be declared on `Client` or on one of its bases
    (e.g. a generated `_Groups`)."""
    pkg = ROOT / "bindings-python/python/kopokopo"
    classes: dict[str, tuple[set[str], list[str]]] = {}
    attrs: dict[str, dict[str, str]] = {}
    exported: set[str] = set()
    for path in sorted(pkg.glob("*.py")) + sorted(pkg.glob("*.pyi")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                methods = {
                    n.name
                    for n in node.body
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and not n.name.startswith("_")
                }
                bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
                old = classes.get(node.name, (set(), []))
                classes[node.name] = (old[0] | methods, old[1] + bases)
                found = attrs.setdefault(node.name, {})
                for n in ast.walk(node):
                    # `tokens: Tokens` or `self.tokens = Tokens(native)`
                    if isinstance(n, ast.AnnAssign) and isinstance(n.target, (ast.Attribute, ast.Name)):
                        attr = n.target.attr if isinstance(n.target, ast.Attribute) else n.target.id
                        ann = n.annotation
                        if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
                            found[attr] = ann.value
                        elif isinstance(ann, (ast.Name, ast.Attribute)):
                            found[attr] = ann.id if isinstance(ann, ast.Name) else ann.attr
                    if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call):
                        fn = n.value.func
                        cls = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", None)
                        for t in n.targets:
                            if isinstance(t, ast.Attribute) and cls:
                                found.setdefault(t.attr, cls)
            # What `kopokopo` exports: its `__all__`.
            if (
                path.stem == "__init__"
                and isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            ):
                exported |= {
                    e.value
                    for e in getattr(node.value, "elts", [])
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                }

    def ancestry(cls: str, seen: frozenset = frozenset()) -> list[str]:
        if cls in seen or cls not in classes:
            return []
        out = [cls]
        for b in classes[cls][1]:
            out += ancestry(b, seen | {cls})
        return out

    def methods_of(cls: str) -> set[str]:
        return set().union(*(classes[c][0] for c in ancestry(cls))) if cls in classes else set()

    groups: dict[str, str] = {}
    for c in reversed(ancestry("Client")):  # the most derived declaration wins
        groups.update(attrs.get(c, {}))
    return {g: methods_of(c) for g, c in groups.items()}, exported


def python_has(group: str | None, name: str, api, exported) -> bool:
    if group is None:
        return name in exported
    return name in api.get(group, set())


def node_dts() -> str:
    return "".join(p.read_text() for p in sorted((ROOT / "bindings-node/lib").glob("*.d.ts")))


def _braced(text: str, i: int) -> str:
    """The text between the `{` at or after `i` and its matching `}`."""
    i = text.index("{", i)
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1 : j]
    return ""


def _ts_decls(name: str, dts: str) -> list[tuple[str, str]]:
    """(header, body) of every `class`/`interface`/`type … = {` declaration of
    `name` (TypeScript merges a class with interfaces of the same name)."""
    out = []
    pat = rf"(?:export\s+)?(?:declare\s+)?(?:(?:class|interface)\s+{name}\b([^{{]*)\{{|type\s+{name}\s*=\s*\{{)"
    for m in re.finditer(pat, dts):
        out.append((m.group(1) or "", _braced(dts, m.end() - 1)))
    return out


def _ts_parents(header: str) -> list[tuple[str, set[str]]]:
    """The types an `extends` clause names, with the keys an `Omit<T, 'k'>` drops."""
    m = re.search(r"\bextends\s+(.*?)(?:\bimplements\b|$)", header, re.S)
    if not m:
        return []
    parts, depth, cur = [], 0, ""
    for ch in m.group(1):
        depth += {"<": 1, ">": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for part in (p.strip() for p in parts if p.strip()):
        omit = re.match(r"(Omit|Pick|Readonly|Partial|Required)\s*<\s*([\w.]+)\s*(?:,(.*))?>$", part, re.S)
        if omit:
            keys = set(re.findall(r"'(\w+)'|\"(\w+)\"", omit.group(3) or ""))
            dropped = {a or b for a, b in keys} if omit.group(1) == "Omit" else set()
            out.append((omit.group(2).split(".")[-1], dropped))
        else:
            out.append((re.match(r"[\w.]+", part).group(0).split(".")[-1], set()))
    return out


def node_has(group: str | None, name: str, dts: str) -> bool:
    if group is None:
        return bool(re.search(rf"export\s+(?:declare\s+)?function\s+{name}\s*[(<]", dts))
    # The group is a member of `Client`, of an interface merged with it, or of
    # a type they extend (`interface Client extends Omit<ClientGroups, …>`).
    queue, seen, member = ["Client"], set(), None
    while queue and member is None:
        cls = queue.pop(0)
        if cls in seen:
            continue
        seen.add(cls)
        for header, body in _ts_decls(cls, dts):
            decl = re.search(rf"readonly {group}\s*:\s*", body)
            if decl:
                member = body[decl.end() :]
                break
            queue += [p for p, dropped in _ts_parents(header) if group not in dropped]
    if member is None:
        return False
    if member.startswith("{"):
        segs = [_braced(member, 0)]
    else:
        # `IncomingPaymentsApi` or `WebhooksApi & WebhookVerification`: the named types' bodies.
        expr = re.match(r"[\w.&|\s]+", member).group(0).split("\n")[0]
        names = [n.strip().split(".")[-1] for n in re.split(r"[&|]", expr) if n.strip()]
        segs = [body for n in names for _, body in _ts_decls(n, dts)]
    return any(re.search(rf"\b{name}\s*[(<]", seg) for seg in segs)


def uniffi_sources() -> str:
    return "".join(p.read_text() for p in sorted((ROOT / "bindings-uniffi/src").rglob("*.rs")))


def kotlin_sources() -> str:
    """The Kotlin sources (the generated Kotlin is a build output, not
    committed): a name they call is one Kotlin users have."""
    return "".join(p.read_text() for p in sorted((ROOT / "bindings-uniffi/kotlin/src").rglob("*.kt")))


def swift_source() -> str:
    """The generated Swift (KopoKopo.swift) and the group properties (Groups.swift)."""
    src = ROOT / "bindings-uniffi/swift/Sources/KopoKopo"
    return "".join((src / f).read_text() for f in ("KopoKopo.swift", "Groups.swift") if (src / f).exists())


def uniffi_candidates(op: dict) -> list[tuple[str, str, bool]]:
    """(kind, name, legacy?); kind is `group` (the only scheme Kotlin and Swift have)."""
    return [("group", f"{op['group']}.{op['method']}", False)]


def uniffi_group_has(group: str, method: str, rs: str) -> bool:
    """`pub fn <group>(&self) -> Arc<T>` and `pub fn <method>(` in `impl T`."""
    g = re.search(rf"pub fn {group}\(&self\)\s*->\s*(?:std::sync::)?Arc<(\w+)>", rs)
    if not g:
        return False
    impl = re.search(rf"\bimpl {g.group(1)}\s*\{{", rs)
    return bool(impl and re.search(rf"pub fn {method}\(", _braced(rs, impl.end() - 1)))


def uniffi_lang_has(kind: str, name: str, rs: str, target: str, swift: bool) -> bool:
    """Exported by the UniFFI crate and declared in the Swift (func ...) or
    used by the Kotlin sources."""
    if kind == "group":
        g, m = name.split(".")
        if not uniffi_group_has(g, m, rs):
            return False
        if swift:
            return bool(re.search(rf"\bvar {camel(g)}: ", target) and re.search(rf"func {camel(m)}\(", target))
        return bool(
            re.search(rf"\bval KopoKopoClient\.{camel(g)}: ", target)
            and re.search(rf"\b{camel(g)}\s*\.\s*{camel(m)}\(", target)
        )
    if not re.search(rf"pub fn {name}\(", rs):
        return False
    return bool(re.search(rf"func {camel(name)}\(" if swift else rf"\b{camel(name)}\(", target))


def uniffi_symbol(kind: str, name: str) -> str:
    if kind == "group":
        g, m = name.split(".")
        return f"client.{camel(g)}.{camel(m)}()"
    return camel(name)


def c_has(fn: str, header: str) -> bool:
    return bool(re.search(rf"\b{fn}\(", header))


# ------------------------------------------------------------------ the check


def self_test(ops: list[dict]) -> None:
    """The finders must report a name that no binding has, and find real ones."""
    py_api, py_exported = python_api()
    dts, rs, header = node_dts(), uniffi_sources(), (ROOT / "bindings-c/include/kopokopo.h").read_text()
    swift, kotlin = swift_source(), kotlin_sources()
    table = rust_table()
    assert ("incoming_payments", "create") in table and ("incoming_payments", "refund") not in table
    assert rust_fn("webhooks", "parse_webhook") and not rust_fn("webhooks", "refund")
    assert not python_has("incoming_payments", "refund", py_api, py_exported)
    assert python_has("incoming_payments", "create", py_api, py_exported)
    assert not python_has(None, "refund", py_api, py_exported)
    assert python_has(None, "parse_webhook", py_api, py_exported)
    assert not node_has("incomingPayments", "refund", dts) and node_has("incomingPayments", "create", dts)
    assert not node_has(None, "refund", dts) and node_has(None, "parseWebhook", dts)
    create = next(o for o in ops if o["name"] == "incoming_payments.create")
    refund = dict(create, name="incoming_payments.refund", method="refund", legacy_name="refund_incoming_payment")
    for target, swift_ in ((swift, True), (kotlin, False)):
        assert any(uniffi_lang_has(k, n, rs, target, swift_) for k, n, _ in uniffi_candidates(create))
        assert not any(uniffi_lang_has(k, n, rs, target, swift_) for k, n, _ in uniffi_candidates(refund))
    assert not c_has("k2_incoming_payments_refund", header) and not c_has("k2_refund_incoming_payment", header)
    assert c_has("k2_incoming_payments_create", header) or c_has("k2_create_incoming_payment", header)


# ----------------------------------------------------------- field parity
#
# Every field of every described type (schema/kopokopo.json) must be a typed
# field in every binding: Python (generated models / keyword arguments), Node
# (generated TypeScript declarations), Kotlin and Swift (generated UniFFI
# records, or the hand-written event records of bindings-uniffi/src/events.rs),
# and C, whose results are the core's JSON: its keys are the schema's keys by
# construction (core/tests/schema_coverage.rs checks every payload).


def _schema_types() -> list[dict]:
    return json.loads((ROOT / "schema/kopokopo.json").read_text())["types"]


def _request_types(types: list[dict], ops: list[dict]) -> set[str]:
    by_name = {t["name"]: t for t in types}
    out: set[str] = set()

    def refs(ty) -> list[str]:
        if isinstance(ty, dict):
            if "ref" in ty:
                return [ty["ref"]]
            if "list" in ty:
                return refs(ty["list"])
        return []

    stack = [o["request"] for o in ops if o.get("request")]
    while stack:
        name = stack.pop()
        if name in out or name not in by_name:
            continue
        out.add(name)
        t = by_name[name]
        fields = t.get("fields", []) + [f for v in t.get("variants", []) for f in v["fields"]]
        for f in fields:
            stack.extend(refs(f["type"]))
    return out


def _class_body(src: str, header_re: str) -> str | None:
    m = re.search(header_re, src, re.M)
    if not m:
        return None
    rest = src[m.end():]
    rest = rest[rest.find("\n") + 1:]
    end = re.search(r"^\S", rest, re.M)
    return rest[: end.start()] if end else rest


def _ts_body(dts: str, name: str) -> str | None:
    m = re.search(rf"^export interface {re.escape(name)}\b[^{{]*\{{", dts, re.M)
    if m:
        return _braced(dts, m.end() - 1)
    m = re.search(rf"^export type {re.escape(name)}\b[^\n]*", dts, re.M)
    if not m:
        return None
    # A union type: the variants' bodies follow inline or as named interfaces.
    rest = dts[m.start():]
    end = re.search(r"\n\n", rest)
    return rest[: end.start()] if end else rest


# Where a binding names a union variant's class differently from `<Variant><Type>`.
VARIANT_CLASSES = {("CallbackResult", "Unknown"): "UnknownResult", ("Webhook", "Daraja"): "DarajaEvent"}
# Fields of the sealed event types of bindings-uniffi/src/events.rs under
# another name (one case per topic / result type instead of a tag field).
UNIFFI_EVENT_FIELDS = {
    ("WebhookEvent", "topic"): {"topic"},
    ("CallbackResult", "result_type"): {"result_type"},
    ("CallbackResult", "raw"): {"json"},
}


def check_fields(ops: list[dict]) -> tuple[list[str], int]:
    import importlib

    sys.path.insert(0, str(ROOT / "scripts"))
    uniffi_gen = importlib.import_module("codegen.uniffi")
    types = _schema_types()
    requests = _request_types(types, ops)
    models = (ROOT / "bindings-python/python/kopokopo/_models.py").read_text()
    operations = (ROOT / "bindings-python/python/kopokopo/_operations.py").read_text()
    dts = (ROOT / "bindings-node/lib/types.generated.d.ts").read_text()
    urs = (ROOT / "bindings-uniffi/src/generated.rs").read_text()
    events = (ROOT / "bindings-uniffi/src/events.rs").read_text()
    gaps: list[str] = []
    checked = 0

    def fields_of(t: dict) -> list[dict]:
        if t["kind"] == "record":
            return t["fields"]
        return [f for v in t["variants"] for f in v["fields"] if f["name"]]

    top_requests = {o["request"] for o in ops if o.get("request")}
    for t in types:
        name = t["name"]
        flist = fields_of(t)
        # Python: a model class (results, events) or the keyword arguments of
        # the operation (requests). Nested request objects (destinations) are
        # plain mappings, checked by the core's validation, not typed here.
        if name in requests:
            py_body = operations if name in top_requests else ""
        else:
            py_body = _class_body(models, rf"^class {re.escape(name)}\(")
        if t["kind"] == "union":
            parts = [_ts_body(dts, f"{v['name']}{name}") or "" for v in t["variants"]]
            ts_body = "\n".join(parts) + (_ts_body(dts, name) or "")
        else:
            ts_body = _ts_body(dts, name)
        if name in uniffi_gen.HAND_WRITTEN:
            u_body = events
        else:
            u_body = _class_body(urs, rf"^pub (?:struct|enum) {re.escape(name)}\b") or ""
            # Types mirrored from the core (`#[uniffi::remote(Record)]`) carry the core's own fields.
            if re.search(rf"#\[uniffi::remote\(Record\)\]\s*pub struct {re.escape(name)}\b", urs):
                u_body = None
        variant_of = {
            id(f): v["name"] for v in t.get("variants", []) for f in v["fields"]
        }
        for f in flist:
            checked += 1
            fname, key = f["name"], f["key"]
            variant = variant_of.get(id(f), "")
            alias = VARIANT_CLASSES.get((name, variant))
            if not alias and variant and re.search(rf"^class {re.escape(variant + name)}\(", models, re.M):
                alias = variant + name  # the generators' default: `<Variant><Union>` (UnknownWebhookResource)
            if alias and name not in requests:
                py_body = _class_body(models, rf"^class {re.escape(alias)}\(")
                ts_body = (ts_body or "") + (_ts_body(dts, alias) or "")
            if py_body == "":
                pass
            elif py_body is None or not re.search(rf"\b(?:{re.escape(fname)}|{re.escape(key)})\s*:", py_body):
                gaps.append(f"{name}.{fname}: not a typed field in Python")
            if ts_body is None or not re.search(rf"\b(?:{camel(fname)}|{camel(key)}|{re.escape(key)})\??:", ts_body):
                gaps.append(f"{name}.{fname}: not a typed property in the TypeScript declarations")
            if u_body is not None:
                names = {fname} | UNIFFI_EVENT_FIELDS.get((name, fname), set())
                if not any(re.search(rf"\b{re.escape(n)}\s*:", u_body) for n in names):
                    gaps.append(f"{name}.{fname}: not a field of the Kotlin/Swift record (bindings-uniffi)")
    return gaps, checked


def main() -> int:
    strict = "--strict" in sys.argv
    ops = manifest_operations()
    check_webhook_api()
    self_test(ops)
    py_api, py_exported = python_api()
    dts, uniffi_rs = node_dts(), uniffi_sources()
    swift, kotlin = swift_source(), kotlin_sources()
    header = (ROOT / "bindings-c/include/kopokopo.h").read_text()
    table = rust_table()

    rows, gaps, legacy_only = [], [], []
    manifest_pairs = {(o["group"], o["method"]) for o in ops}
    for g, m in sorted(table - manifest_pairs):
        gaps.append(f"{g}.{m}: in core/src/operations.rs but not in schema/kopokopo.json (run scripts/codegen.sh)")

    def uniffi_check(op: dict, target: str, swift_: bool) -> tuple[bool, str]:
        cands = uniffi_candidates(op)
        for kind, name, _legacy in cands:
            if uniffi_lang_has(kind, name, uniffi_rs, target, swift_):
                return True, uniffi_symbol(kind, name)
        return False, " or ".join(uniffi_symbol(k, n) for k, n, _ in cands)

    for op in ops:
        g, m = op["group"], op["method"]
        c_new, c_old = f"k2_{g}_{m}", f"k2_{op['legacy_name']}"
        if c_has(c_new, header):
            c = (True, c_new)
        elif c_has(c_old, header):
            c = (True, c_old)
            legacy_only.append(f"{op['name']}: C only has the legacy {c_old}")
        else:
            c = (False, f"{c_new} (or {c_old})")
        checks = {
            "Rust": ((g, m) in table, f"client.{g}().{m}()"),
            "Python": (python_has(g, m, py_api, py_exported), f"client.{g}.{m}()"),
            "Node": (node_has(camel(g), m, dts), f"client.{camel(g)}.{m}()"),
            "Kotlin": uniffi_check(op, kotlin, False),
            "Swift": uniffi_check(op, swift, True),
            "C": c,
        }
        rows.append((capability(op["doc"]), op["name"], checks))

    for f, cap in WEBHOOK_API:
        checks = {
            "Rust": (rust_fn("webhooks", f), f"webhooks::{f}"),
            "Python": (python_has(None, f, py_api, py_exported), f"kopokopo.{f}()"),
            "Node": (node_has(None, camel(f), dts), f"{camel(f)}()"),
            "Kotlin": (uniffi_lang_has("fn", f, uniffi_rs, kotlin, False), camel(f)),
            "Swift": (uniffi_lang_has("fn", f, uniffi_rs, swift, True), camel(f)),
            "C": (c_has(f"k2_{f}", header), f"k2_{f}"),
        }
        rows.append((cap, f, checks))

    for _, name, checks in rows:
        for lang, (ok, sym) in checks.items():
            if not ok:
                gaps.append(f"{name}: missing in {lang} (expected {sym})")

    field_gaps, fields_checked = check_fields(ops)
    print(f"fields: {fields_checked} schema fields x Python, Node, Kotlin/Swift; {len(field_gaps)} missing")
    gaps += field_gaps

    lines = ["| capability | " + " | ".join(LANGS) + " |", "|---|" + "---|" * len(LANGS)]
    for cap, _, checks in rows:
        cells = [("✅ `" + checks[lang][1] + "`") if checks[lang][0] else "❌" for lang in LANGS]
        lines.append(f"| {cap} | " + " | ".join(cells) + " |")
    generated = "\n".join(lines)

    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- parity-table:start -->", "<!-- parity-table:end -->"
    current = readme.split(start)[1].split(end)[0].strip() if start in readme else ""
    print(f"parity: {len(rows)} operations x {len(LANGS)} languages, {len(gaps)} gaps")
    for gap in gaps:
        print("  GAP", gap)
    if strict:
        for note in legacy_only:
            print("  LEGACY", note)
    elif legacy_only:
        counts: dict[str, int] = {}
        for note in legacy_only:
            lang = note.split(": ", 1)[1].split(" ", 1)[0]
            counts[lang] = counts.get(lang, 0) + 1
        summary = ", ".join(f"{lang} {n}" for lang, n in counts.items())
        print(f"  note: operations found only under a legacy name ({summary}); --strict lists them and fails")
    failed = len(gaps) + (len(legacy_only) if strict else 0)
    if "--write" in sys.argv:
        new = readme.split(start)[0] + start + "\n" + generated + "\n" + end + readme.split(end)[1]
        (ROOT / "README.md").write_text(new)
        print("README.md feature table written")
    elif current != generated:
        print("README.md feature table is out of date: run scripts/parity.py --write")
        return 1
    print(f"{len(rows) * len(LANGS) - len(gaps)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
