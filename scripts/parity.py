#!/usr/bin/env python3
"""Parity check: every public operation of the core exists in every binding.

The operations come from the core itself: `OPERATIONS` in core/src/dynamic.rs
(every endpoint) plus the webhook API (sign, verify_signature, parse_webhook,
parse_result in core/src/webhooks.rs). For each one the script looks for the
name each binding's conventions give it, in the binding's public interface:

  Rust    core/src/client.rs            client.<group>().<method>()
  Python  bindings-python/python/kopokopo (typed package, py.typed + .pyi)
  Node    bindings-node/lib/kopokopo.d.ts (the package's TypeScript types)
  Kotlin/Swift  bindings-uniffi/src/lib.rs (#[uniffi::export]) and the
          generated bindings-uniffi/swift/.../KopoKopo.swift
  C       bindings-c/include/kopokopo.h

--check fails (exit 1) on any gap and on a README feature table that differs
from the generated one; --write rewrites the table in README.md.
"""

from __future__ import annotations

import ast
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# operation -> (capability, rust "group.method", python "group.method", node "group.method", uniffi fn)
# C uses `k2_<operation>` for every operation.
NAMES = {
    "request_access_token": ("Access token", "tokens.request", "tokens.request", "tokens.request", "request_token"),
    "revoke_access_token": ("Revoke a token", "tokens.revoke", "tokens.revoke", "tokens.revoke", "revoke_token"),
    "introspect_access_token": ("Introspect a token", "tokens.introspect", "tokens.introspect", "tokens.introspect", "introspect_token"),
    "token_info": ("Token information", "tokens.info", "tokens.info", "tokens.info", "token_info"),
    "create_webhook_subscription": ("Webhook subscription", "webhooks.subscribe", "webhooks.subscribe", "webhooks.subscribe", "subscribe_webhook"),
    "create_incoming_payment": ("STK push (incoming payment)", "incoming_payments.create", "incoming_payments.create", "incomingPayments.create", "create_incoming_payment"),
    "get_incoming_payment": ("Incoming payment status", "incoming_payments.status", "incoming_payments.status", "incomingPayments.status", "incoming_payment_status"),
    "create_merchant_wallet": ("Merchant wallet", "merchant_wallets.create", "merchant_wallets.create", "merchantWallets.create", "create_merchant_wallet"),
    "create_merchant_bank_account": ("Merchant bank account", "merchant_bank_accounts.create", "merchant_bank_accounts.create", "merchantBankAccounts.create", "create_merchant_bank_account"),
    "create_external_recipient": ("External recipient (wallet, bank, till, paybill)", "external_recipients.create", "external_recipients.create", "externalRecipients.create", "create_external_recipient"),
    "send_money": ("Send money (my accounts, my account, external)", "send_money.create", "send_money.create", "sendMoney.create", "send_money"),
    "get_send_money": ("Send money status", "send_money.status", "send_money.status", "sendMoney.status", "send_money_status"),
    "create_polling": ("Polling", "polling.create", "polling.create", "polling.create", "create_polling"),
    "get_polling": ("Polling status", "polling.status", "polling.status", "polling.status", "polling_status"),
    "create_transaction_sms_notification": ("Transaction SMS notification", "sms_notifications.create", "sms_notifications.create", "smsNotifications.create", "create_sms_notification"),
    "get_transaction_sms_notification": ("SMS notification status", "sms_notifications.status", "sms_notifications.status", "smsNotifications.status", "sms_notification_status"),
    "create_reversal": ("Reversal", "reversals.create", "reversals.create", "reversals.create", "create_reversal"),
    "get_reversal": ("Reversal status", "reversals.status", "reversals.status", "reversals.status", "reversal_status"),
    "create_payment_link": ("Payment link", "payment_links.create", "payment_links.create", "paymentLinks.create", "create_payment_link"),
    "get_payment_link": ("Payment link status", "payment_links.status", "payment_links.status", "paymentLinks.status", "payment_link_status"),
    "cancel_payment_link": ("Cancel a payment link", "payment_links.cancel", "payment_links.cancel", "paymentLinks.cancel", "cancel_payment_link"),
    # webhook API (free functions)
    "sign": ("Sign a body (for tests)", "webhooks::sign", "sign", "sign", "sign"),
    "verify_signature": ("Verify a webhook/result signature", "webhooks::verify_signature", "verify_signature", "verifySignature", "verify_signature"),
    "parse_webhook": ("Verify + parse a webhook (K2 and Daraja)", "webhooks::parse_webhook", "parse_webhook", "parseWebhook", "parse_webhook"),
    "parse_result": ("Verify + parse a result callback", "webhooks::parse_result", "parse_result", "parseResult", "parse_result"),
}
WEBHOOK_API = ["sign", "verify_signature", "parse_webhook", "parse_result"]


def core_operations() -> list[str]:
    src = (ROOT / "core/src/dynamic.rs").read_text()
    block = re.search(r"pub const OPERATIONS: &\[&str\] = &\[(.*?)\];", src, re.S).group(1)
    ops = re.findall(r'"([a-z_]+)"', block)
    hooks = (ROOT / "core/src/webhooks.rs").read_text()
    for f in WEBHOOK_API:
        if not re.search(rf"pub fn {f}\(", hooks):
            sys.exit(f"core/src/webhooks.rs no longer has pub fn {f}: update scripts/parity.py")
    return ops + WEBHOOK_API


def camel(s: str) -> str:
    head, *rest = s.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


# ------------------------------------------------------------------ finders

def rust_has(name: str) -> bool:
    if "::" in name:
        mod, fn = name.split("::")
        return bool(re.search(rf"pub fn {fn}\(", (ROOT / f"core/src/{mod}.rs").read_text()))
    group, method = name.split(".")
    src = (ROOT / "core/src/client.rs").read_text()
    m = re.search(rf"pub fn {group}\(&self\) -> (\w+)<'_>", src)
    if not m:
        return False
    ty = m.group(1)
    # the group's impl block: `impl Ty<'_> {` ... or group!( ... Ty { ... });
    body = re.search(rf"(?:impl {ty}<'_> \{{|\b{ty} \{{)(.*?)\n\}}\)?;?\n", src, re.S)
    return bool(body and re.search(rf"pub fn {method}\(", body.group(1)))


def python_api() -> tuple[dict[str, set[str]], set[str]]:
    pkg = ROOT / "bindings-python/python/kopokopo"
    tree = ast.parse((pkg / "_client.py").read_text())
    classes: dict[str, set[str]] = {}
    groups: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
            if node.name == "Client":
                for n in ast.walk(node):
                    # `tokens: Tokens` or `self.tokens = Tokens(native)`
                    if isinstance(n, ast.AnnAssign) and isinstance(n.target, (ast.Attribute, ast.Name)):
                        attr = n.target.attr if isinstance(n.target, ast.Attribute) else n.target.id
                        if isinstance(n.annotation, ast.Name):
                            groups[attr] = n.annotation.id
                    if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name):
                        for t in n.targets:
                            if isinstance(t, ast.Attribute):
                                groups[t.attr] = n.value.func.id
    api = {g: classes.get(c, set()) for g, c in groups.items()}
    # What `kopokopo` exports: its `__all__`.
    init = ast.parse((pkg / "__init__.py").read_text())
    exported = {
        elt.value
        for node in init.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        for elt in getattr(node.value, "elts", [])
        if isinstance(elt, ast.Constant) and isinstance(elt.value, str)
    }
    return api, exported


def python_has(name: str, api, exported) -> bool:
    if "." not in name:
        return name in exported
    g, m = name.split(".")
    return m in api.get(g, set())


def node_has(name: str, dts: str) -> bool:
    if "." not in name:
        return bool(re.search(rf"export declare function {name}\(", dts))
    g, m = name.split(".")
    cls = re.search(r"export declare class Client \{(.*?)\n\}", dts, re.S)
    if not cls:
        return False
    body = cls.group(1)
    start = body.find(f"readonly {g}:")
    if start < 0:
        return False
    depth, i, seg = 0, body.index("{", start), ""
    for j in range(i, len(body)):
        depth += {"{": 1, "}": -1}.get(body[j], 0)
        if depth == 0:
            seg = body[i:j]
            break
    return bool(re.search(rf"\b{m}\(", seg))


def uniffi_has(name: str, rs: str, swift: str) -> bool:
    """Exported by the UniFFI crate and declared in the generated (committed) Swift."""
    return bool(re.search(rf"pub fn {name}\(", rs)) and bool(re.search(rf"func {camel(name)}\(", swift))


def kotlin_has(name: str, rs: str, kotlin: str) -> bool:
    """Exported by the UniFFI crate and called from the Kotlin sources (the
    generated Kotlin is a build output, not committed)."""
    return bool(re.search(rf"pub fn {name}\(", rs)) and bool(re.search(rf"\b{camel(name)}\(", kotlin))


def kotlin_sources() -> str:
    return "".join(p.read_text() for p in sorted((ROOT / "bindings-uniffi/kotlin/src").rglob("*.kt")))


def swift_source() -> str:
    files = list((ROOT / "bindings-uniffi/swift").rglob("KopoKopo.swift"))
    return files[0].read_text() if files else ""


def c_has(op: str, header: str) -> bool:
    return bool(re.search(rf"\bk2_{op}\(", header))


def self_test() -> None:
    """The finders must report a name that no binding has, and find real ones."""
    py_api, py_exported = python_api()
    dts = (ROOT / "bindings-node/lib/kopokopo.d.ts").read_text()
    rs = (ROOT / "bindings-uniffi/src/lib.rs").read_text()
    header = (ROOT / "bindings-c/include/kopokopo.h").read_text()
    assert not rust_has("incoming_payments.refund") and rust_has("incoming_payments.create")
    assert not python_has("incoming_payments.refund", py_api, py_exported)
    assert python_has("incoming_payments.create", py_api, py_exported)
    assert not node_has("incomingPayments.refund", dts) and node_has("incomingPayments.create", dts)
    swift, kotlin = swift_source(), kotlin_sources()
    assert not uniffi_has("refund_incoming_payment", rs, swift) and uniffi_has("create_incoming_payment", rs, swift)
    assert not kotlin_has("refund_incoming_payment", rs, kotlin) and kotlin_has("create_incoming_payment", rs, kotlin)
    assert not python_has("refund", py_api, py_exported) and python_has("parse_webhook", py_api, py_exported)
    assert not c_has("refund_incoming_payment", header)
    assert c_has("create_incoming_payment", header)


def main() -> int:
    self_test()
    ops = core_operations()
    missing_names = [op for op in ops if op not in NAMES]
    if missing_names:
        print("operations with no naming entry in scripts/parity.py:", ", ".join(missing_names))
        return 1
    py_api, py_exported = python_api()
    dts = (ROOT / "bindings-node/lib/kopokopo.d.ts").read_text()
    uniffi_rs = (ROOT / "bindings-uniffi/src/lib.rs").read_text()
    swift, kotlin = swift_source(), kotlin_sources()
    header = (ROOT / "bindings-c/include/kopokopo.h").read_text()

    rows, gaps = [], []
    for op in ops:
        cap, rust, py, node, uni = NAMES[op]
        checks = {
            "Rust": (rust_has(rust), f"client.{rust.replace('.', '().', 1)}()" if "." in rust else rust),
            "Python": (python_has(py, py_api, py_exported), f"client.{py}()" if "." in py else f"kopokopo.{py}()"),
            "Node": (node_has(node, dts), f"client.{node}()" if "." in node else f"{node}()"),
            "Kotlin": (kotlin_has(uni, uniffi_rs, kotlin), camel(uni)),
            "Swift": (uniffi_has(uni, uniffi_rs, swift), camel(uni)),
            "C": (c_has(op, header), f"k2_{op}"),
        }
        for lang, (ok, sym) in checks.items():
            if not ok:
                gaps.append(f"{op}: missing in {lang} (expected {sym})")
        rows.append((cap, op, checks))

    langs = ["Rust", "Python", "Node", "Kotlin", "Swift", "C"]
    table = ["| capability | " + " | ".join(langs) + " |", "|---|" + "---|" * len(langs)]
    for cap, op, checks in rows:
        cells = [("✅ `" + checks[l][1] + "`") if checks[l][0] else "❌" for l in langs]
        table.append(f"| {cap} | " + " | ".join(cells) + " |")
    generated = "\n".join(table)

    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- parity-table:start -->", "<!-- parity-table:end -->"
    current = readme.split(start)[1].split(end)[0].strip() if start in readme else ""
    print(f"parity: {len(ops)} operations x {len(langs)} languages, {len(gaps)} gaps")
    for g in gaps:
        print("  GAP", g)
    if "--write" in sys.argv:
        new = readme.split(start)[0] + start + "\n" + generated + "\n" + end + readme.split(end)[1]
        (ROOT / "README.md").write_text(new)
        print("README.md feature table written")
    elif current != generated:
        print("README.md feature table is out of date: run scripts/parity.py --write")
        return 1
    ok_count = len(ops) * len(langs) - len(gaps)
    print(f"{ok_count} passed, {len(gaps)} failed")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
