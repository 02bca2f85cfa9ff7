"""Money is exact through every Python entry point: an amount of
``12345678901234567.89`` (19 significant digits, beyond any float) comes back
as exactly ``Decimal("12345678901234567.89")`` from webhooks, results,
sans-IO responses (text and typed), ``to_dict()`` and client calls.

Both forms of the amount are covered: a JSON string and a JSON number (whose
text the core keeps). The binding's own conversion of the core's JSON text is
checked separately (``test_binding_conversion_is_exact``).
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest

import kopokopo
from conftest import FIXTURES, Mock, Receiver, make_client
from kopokopo import _kopokopo

TEXT = "12345678901234567.89"
AMOUNT = Decimal(TEXT)
KEY = "exact-money-key"
FORMS = [pytest.param(f'"{TEXT}"', id="string"), pytest.param(TEXT, id="number")]


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _with_amount(fixture: str, form: str) -> bytes:
    doc = (FIXTURES / fixture).read_text(encoding="utf-8")
    data = json.loads(doc)

    def patch(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: ("__AMOUNT__" if k == "amount" and not isinstance(x, dict) else patch(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [patch(x) for x in v]
        return v

    return json.dumps(patch(data)).replace('"__AMOUNT__"', form).encode("utf-8")


@pytest.mark.parametrize("form", FORMS)
def test_webhook(form: str) -> None:
    body = _with_amount("webhook.buygoods_transaction_received.k2.json", form)
    e = kopokopo.parse_webhook(body, kopokopo.sign(body, KEY), KEY)
    assert isinstance(e, kopokopo.WebhookEvent) and isinstance(e.resource, kopokopo.Transaction)
    assert e.resource.amount == AMOUNT and str(e.resource.amount) == TEXT
    assert e.to_dict()["resource"]["amount"] == AMOUNT
    assert e.to_dict()["resource"]["kind"] == "transaction"


@pytest.mark.parametrize("form", FORMS)
def test_result(form: str) -> None:
    body = _with_amount("result.incoming_payment.success.json", form)
    r = kopokopo.parse_result(body, kopokopo.sign(body, KEY), KEY)
    assert isinstance(r, kopokopo.IncomingPayment) and r.event.resource is not None
    assert str(r.event.resource.amount) == TEXT
    assert r.to_dict()["event"]["resource"]["amount"] == AMOUNT


@pytest.mark.parametrize("form", FORMS)
def test_parse_response(form: str) -> None:
    body = _with_amount("response.payment_link.status.json", form)
    params = json.dumps({"id": "x"})
    text = _kopokopo.parse_response("payment_links.status", params, 200, [], body)
    assert _loads(text)["amount"] == AMOUNT
    obj = _kopokopo.parse_response_object("payment_links.status", params, 200, [], body)
    assert isinstance(obj, kopokopo.PaymentLink)
    assert str(obj.amount) == TEXT and obj.to_dict()["amount"] == AMOUNT


def test_binding_conversion_is_exact() -> None:
    # The core's JSON text -> typed object path keeps every digit of a number.
    link = kopokopo.PaymentLink._from_json({"id": "x", "type": "payment_link", "status": "Active", "amount": AMOUNT})
    assert str(link.amount) == TEXT
    obj = _kopokopo._object_from_json("PaymentLink", f'{{"id":"x","type":"payment_link","status":"A","amount":{TEXT}}}')
    assert str(obj.amount) == TEXT
    assert obj.to_dict()["amount"] == AMOUNT


def test_client_call_against_mock(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock)
    created = client.incoming_payments.create(
        till_number="K000000", phone_number="0712345678", amount=AMOUNT, callback_url="http://127.0.0.1:9/unused"
    )
    deadline = time.monotonic() + 10
    payment = client.incoming_payments.status(created.id)
    while payment.status == "Pending" and time.monotonic() < deadline:
        time.sleep(0.05)
        payment = client.incoming_payments.status(created.id)
    assert payment.event.resource is not None
    assert str(payment.event.resource.amount) == TEXT
    assert client.execute("incoming_payments.status", id=created.id)["event"]["resource"]["amount"] == AMOUNT


def test_client_call_payment_link_and_send_money(fresh_mock: Mock, receiver: Receiver) -> None:
    client = make_client(fresh_mock)
    link = client.payment_links.create(till_number="K000000", amount=AMOUNT, callback_url=receiver.url)
    status = client.payment_links.status(link.id)
    assert isinstance(status.amount, Decimal) and str(status.amount) == TEXT
    assert status.to_dict()["amount"] == AMOUNT
    assert client.execute("payment_links.status", id=link.id)["amount"] == AMOUNT
    # Send-money destination amounts are whole shillings: the 17 digits stay exact.
    whole = Decimal("12345678901234567")
    sent = client.send_money.create(
        destinations=[
            {"type": "mobile_wallet", "phone_number": "0712345678", "network": "Safaricom",
             "amount": whole, "description": "exact"}
        ],
        callback_url=receiver.url,
    )
    assert str(client.send_money.status(sent.id).destinations[0].amount) == str(whole)
