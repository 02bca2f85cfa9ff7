"""Signed bodies shared by the framework helper tests."""

from __future__ import annotations

from typing import Callable, Dict, List, Tuple

import kopokopo
from conftest import FIXTURES, MOCK_API_KEY

H = kopokopo.SIGNATURE_HEADER
WEBHOOK = (FIXTURES / "webhook.buygoods_transaction_received.k2.json").read_bytes()
DARAJA = (FIXTURES / "webhook.buygoods_transaction_received.daraja.json").read_bytes()
RESULT = (FIXTURES / "result.incoming_payment.success.json").read_bytes()
GARBAGE = b"not json"
CAP = 4096  # a small cap keeps the tests quick

Post = Callable[[str, bytes, Dict[str, str]], int]


def sig(body: bytes) -> Dict[str, str]:
    return {H: kopokopo.sign(body, MOCK_API_KEY)}


def check(post: Post, received: List[Tuple[str, object]], *, big_ok_status: int = 413) -> None:
    """The contract every helper keeps: 200 with the parsed event, 401, 400, 413."""
    assert post("/webhook", WEBHOOK, sig(WEBHOOK)) == 200
    assert received[-1][0] == "webhook" and isinstance(received[-1][1], kopokopo.WebhookEvent)
    assert post("/webhook", DARAJA, sig(DARAJA)) == 200
    assert isinstance(received[-1][1], kopokopo.DarajaEvent)
    assert post("/result", RESULT, sig(RESULT)) == 200
    assert received[-1][0] == "result" and isinstance(received[-1][1], kopokopo.IncomingPayment)
    assert received[-1][1] == kopokopo.parse_result(RESULT, sig(RESULT)[H], MOCK_API_KEY)
    n = len(received)
    assert post("/webhook", WEBHOOK, {H: "0" * 64}) == 401
    assert post("/webhook", WEBHOOK, {}) == 401
    assert post("/result", RESULT + b"\n", sig(RESULT)) == 401
    assert post("/result", GARBAGE, sig(GARBAGE)) == 400
    assert post("/webhook", GARBAGE, sig(GARBAGE)) == 400
    big = b" " * (CAP + 1)
    assert post("/webhook", big, sig(big)) == big_ok_status
    assert post("/result", big, sig(big)) == big_ok_status
    at_cap = b" " * CAP
    assert post("/webhook", at_cap, {H: "0" * 64}) == 401
    assert len(received) == n
