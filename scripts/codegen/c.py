"""C binding: the per-operation functions of libkopokopo.

Generates bindings-c/src/operations.rs from the operation table of
schema/kopokopo.json: one `k2_<group>_<method>` export per operation, whose
Doxygen comment (copied into include/kopokopo.h by cbindgen) gives the HTTP
method and path, the parameters with their types and the result's fields;
and one deprecated alias per operation under the name of earlier releases
(`k2_<legacy_name>`, e.g. `k2_create_incoming_payment`).

Every function is a one-line call of `crate::client::run`, the same core path
as `k2_client_call()`: the generated code holds no logic.
"""

from __future__ import annotations

import re

OUT = "bindings-c/src/operations.rs"

# How each schema type reads in the C documentation.
SCALARS = {
    "string": "string",
    "money": "decimal string",
    "timestamp": "timestamp",
    "int": "integer",
    "bool": "boolean",
    "json": "any JSON",
    "metadata": "object",
}

MAX_DEPTH = 3


def _clean(doc: str) -> str:
    """First paragraph of a Rust doc, on one line, without rustdoc links."""
    text = (doc or "").strip().split("\n\n")[0]
    text = " ".join(line.strip() for line in text.splitlines())
    # [`Name`] and [`Name`](path) -> `Name`
    text = re.sub(r"\[(`[^`]+`)\](\([^)]*\))?", r"\1", text)
    return text


def _type_name(ty) -> str:
    if isinstance(ty, str):
        return SCALARS.get(ty, ty)
    if "ref" in ty:
        return f"`{ty['ref']}`"
    if "list" in ty:
        return f"array of {_type_name(ty['list'])}"
    return "JSON"


def _ref_of(ty):
    if isinstance(ty, dict):
        if "ref" in ty:
            return ty["ref"]
        if "list" in ty:
            return _ref_of(ty["list"])
    return None


class Doc:
    def __init__(self, types: dict, request: bool):
        self.types = types
        self.request = request
        self.lines: list[str] = []
        self.seen: set[str] = set()

    def fields(self, fields, depth: int) -> None:
        pad = "  " * depth
        for f in fields:
            ty = _type_name(f["type"])
            if self.request:
                # A field the core fills in when absent may be left out.
                has_default = f.get("has_default")
                ty += ", optional" if f.get("optional") or has_default else ", required"
            elif f.get("optional"):
                ty += ", may be null"
            doc = _clean(f.get("doc", ""))
            self.lines.append(f"{pad} - `{f['key']}` ({ty}){': ' + doc if doc else ''}")
            self.nested(_ref_of(f["type"]), depth + 1)

    def nested(self, name, depth: int) -> None:
        if not name or name in self.seen or depth > MAX_DEPTH or name not in self.types:
            return
        self.seen.add(name)
        self.body(self.types[name], depth)

    def body(self, t: dict, depth: int) -> None:
        pad = "  " * depth
        if t["kind"] == "record":
            self.fields(t.get("fields", []), depth)
        elif t["kind"] == "union":
            tag = t.get("tag")
            content = t.get("content")
            for v in t.get("variants", []):
                where = f"`\"{tag}\": \"{v['tag']}\"`" if tag else f"`{v.get('tag', v['name'])}`"
                doc = _clean(v.get("doc", ""))
                self.lines.append(f"{pad} - {where}{': ' + doc if doc else ''}"
                                  + (f" (fields under `{content}`)" if content else ""))
                if v.get("fields"):
                    self.fields(v["fields"], depth + 1)
                elif v.get("type") is not None:
                    self.nested(_ref_of(v["type"]), depth + 1)


MONEY_REQUEST = ("Amounts are decimal strings (`\"150.00\"`); the request carries exactly those digits.")
MONEY_RESULT = ("Amounts in the result are JSON strings of the exact decimal digits "
                "(`\"amount\":\"12345678901234567.89\"`), never numbers: read them with `k2_json_get()` "
                "and keep them as text or a decimal type, never `double`.")


def _has_money(types: dict, name, seen=None) -> bool:
    seen = seen if seen is not None else set()
    if not name or name in seen or name not in types:
        return False
    seen.add(name)
    t = types[name]
    fields = list(t.get("fields", []))
    for v in t.get("variants", []):
        fields += v.get("fields", []) or []
        if v.get("type") is not None and _has_money(types, _ref_of(v["type"]), seen):
            return True
    for f in fields:
        if f["type"] == "money" or _has_money(types, _ref_of(f["type"]), seen):
            return True
    return False


def _function(op: dict, types: dict) -> list[str]:
    fn = f"k2_{op['group']}_{op['method']}"
    params = op["params"]
    d: list[str] = [_clean(op["doc"]), ""]
    d.append(f"Operation `{op['name']}`: `{op['http_method']} {op['path']}`. The same as")
    arg = {"none": '"{}"', "token": '"{\\"token\\": ...}"', "id": '"{\\"id\\": ...}"', "body": "params_json"}[params]
    d.append(f"`k2_client_call(client, \"{op['name']}\", {arg}, ...)`, with the same result text.")
    if op["group"] == "send_money" and op["method"] == "create":
        d.append("Never retried by the library (a payment is never sent twice).")
    d.append("")
    if params == "body":
        req = op["request"]
        d.append(f"Parameters: `params_json`, a JSON object (`{req}`):")
        doc = Doc(types, request=True)
        doc.seen.add(req)
        doc.body(types[req], 0)
        d += doc.lines
        if _has_money(types, req):
            d += ["", MONEY_REQUEST]
        d.append("")
    if op["result"]:
        res = op["result"]
        d.append(f"Result: a JSON object (`{res}`):")
        doc = Doc(types, request=False)
        doc.seen.add(res)
        doc.body(types[res], 0)
        d += doc.lines
        if _has_money(types, res):
            d += ["", MONEY_RESULT]
    else:
        d.append("Result: `null` (the JSON text `\"null\"`).")
    d.append("")
    d.append("@param client      the client (required; may be shared between threads).")
    if params == "body":
        d.append("@param params_json the parameters as a JSON object (required, UTF-8).")
    elif params == "token":
        d.append("@param token       the access token (required, UTF-8).")
    elif params == "id":
        d.append("@param id          the resource's id or the `Location` URL returned at creation (required, UTF-8).")
    d.append("@param result_json receives the result as JSON text on success, NULL on failure")
    d.append("                   (required). Release it with `k2_string_free()`.")
    if op["name"].startswith("tokens.") and op["result"] == "AccessToken":
        d.append("                   It contains a secret (the token): do not log it.")
    d.append("@param err         optional error out-parameter (see `k2_error`).")
    d.append("@return `K2_STATUS_OK` or the failure's status.")

    arg_decl, call = _args(params)
    out = [f"/// {line}".rstrip() for line in d]
    out += [
        "#[unsafe(no_mangle)]",
        f"pub unsafe extern \"C\" fn {fn}(",
        "    client: *const k2_client,",
        *arg_decl,
        "    result_json: *mut *mut c_char,",
        "    err: *mut *mut k2_error,",
        ") -> k2_status {",
        "    // SAFETY: forwarded pointer contracts (documented above).",
        f"    unsafe {{ run(client, \"{op['name']}\", {call}, result_json, err) }}",
        "}",
        "",
    ]
    return out


def _args(params: str):
    return {
        "none": ([], "Input::None"),
        "token": (["    token: *const c_char,"], "Input::Token(token)"),
        "id": (["    id: *const c_char,"], "Input::Id(id)"),
        "body": (["    params_json: *const c_char,"], "Input::Body(params_json)"),
    }[params]


def _alias(op: dict) -> list[str]:
    fn = f"k2_{op['group']}_{op['method']}"
    legacy = f"k2_{op['legacy_name']}"
    params = op["params"]
    arg_decl, _ = _args(params)
    arg_names = {"none": "", "token": "token, ", "id": "id, ", "body": "params_json, "}[params]
    return [
        f"/// **Deprecated** (removed in the next release): the name of `{fn}()` in",
        "/// earlier releases; identical to it.",
        f"#[deprecated(note = \"use {fn}()\")]",
        "#[unsafe(no_mangle)]",
        f"pub unsafe extern \"C\" fn {legacy}(",
        "    client: *const k2_client,",
        *arg_decl,
        "    result_json: *mut *mut c_char,",
        "    err: *mut *mut k2_error,",
        ") -> k2_status {",
        "    // SAFETY: forwarded pointer contracts.",
        f"    unsafe {{ {fn}(client, {arg_names}result_json, err) }}",
        "}",
        "",
    ]


def generate(schema: dict) -> dict[str, str]:
    types = {t["name"]: t for t in schema["types"]}
    ops = schema["operations"]
    lines = [
        "// generated by scripts/codegen.py (scripts/codegen/c.py) from schema/kopokopo.json; do not edit.",
        "//! One C function per operation of the core's table, `k2_<group>_<method>`,",
        "//! and the deprecated names of earlier releases. Each runs `crate::client::run`,",
        "//! the same core path as `k2_client_call()`.",
        "",
        "use std::ffi::c_char;",
        "",
        "use crate::client::{Input, k2_client, run};",
        "use crate::ffi::{k2_error, k2_status};",
        "",
        "/// The C function of each operation: (operation name, function, deprecated alias).",
        "#[cfg(test)]",
        "pub(crate) const FUNCTIONS: &[(&str, &str, &str)] = &[",
    ]
    for op in ops:
        lines.append(f"    (\"{op['name']}\", \"k2_{op['group']}_{op['method']}\", \"k2_{op['legacy_name']}\"),")
    lines += ["];", ""]
    for op in ops:
        lines += _function(op, types)
    for op in ops:
        lines += _alias(op)
    return {OUT: "\n".join(lines).rstrip("\n") + "\n"}
