"""Fields, topics and constants the core added (issue 14), read through the
typed Python API: the reversal error's message list, the
``m2m_transaction_received`` webhook, version-1 send-money results, the legacy
settlement total, ``initiator_name``, the cancel response's link, token info
``created_at`` as text, both Daraja ``ThirdPartyTrans...`` spellings, and the
documented request values exported as constants."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal
from typing import Any, Dict, Type, TypeVar

import pytest

import kopokopo
from conftest import FIXTURES
from kopokopo import _kopokopo
from kopokopo._convert import result_json
from kopokopo._models import _Model

KEY = "issue-14-api-key"
M = TypeVar("M", bound=_Model)

REVERSAL_MESSAGES = [
    "You cannot reverse a transaction in Pending Reversal",
    "The transaction has already been reversed",
]


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Dict[str, Any]:
    doc: Dict[str, Any] = json.loads(fixture_bytes(name))
    return doc


def webhook(body: bytes) -> kopokopo.Webhook:
    return kopokopo.parse_webhook(body, kopokopo.sign(body, KEY), KEY)


def result(body: bytes) -> kopokopo.CallbackResult:
    return kopokopo.parse_result(body, kopokopo.sign(body, KEY), KEY)


def response(cls: Type[M], operation: str, params: Dict[str, Any], body: bytes, status: int = 200) -> M:
    """The sans-IO response path, typed as the client types it."""
    obj = _kopokopo.parse_response_object(operation, json.dumps(params), status, [], body)
    assert isinstance(obj, cls)
    # The same object as from the JSON text (the path _from_json takes).
    assert cls._from_json(result_json(_kopokopo.parse_response(operation, json.dumps(params), status, [], body))) == obj
    return obj


def response_error(operation: str, params: Dict[str, Any], body: bytes, status: int) -> kopokopo.KopoKopoError:
    with pytest.raises(kopokopo.KopoKopoError) as info:
        _kopokopo.parse_response(operation, json.dumps(params), status, [], body)
    return info.value


REVERSAL_PARAMS = {"transaction_reference": "OJM6Q1W84K", "reason": "Testing", "callback_url": "https://example.com/r"}


# ------------------------------------------------------------ error_messages


def test_reversal_error_keeps_every_message() -> None:
    body = json.dumps({"error_code": 400, "error_message": REVERSAL_MESSAGES}).encode()
    err = response_error("create_reversal", REVERSAL_PARAMS, body, 400)
    assert isinstance(err, kopokopo.ApiError) and not isinstance(err, kopokopo.RateLimitError)
    assert err.code == "api_error"
    assert err.http_status == 400
    assert err.error_code == "400"
    assert err.error_messages == REVERSAL_MESSAGES
    assert isinstance(err.error_messages, list)
    assert err.error_message == "; ".join(REVERSAL_MESSAGES)


def test_reversal_error_fixture() -> None:
    err = response_error("create_reversal", REVERSAL_PARAMS, fixture_bytes("error.reversal.json"), 400)
    assert isinstance(err, kopokopo.ApiError)
    assert err.error_messages == ["You cannot reverse a transaction in Pending Reversal"]
    assert err.error_message == "You cannot reverse a transaction in Pending Reversal"


def test_error_messages_of_a_string_message_and_of_no_body() -> None:
    err = response_error(
        "create_reversal", REVERSAL_PARAMS, b'{"error_code":400,"error_message":"Transaction not found"}', 400
    )
    assert isinstance(err, kopokopo.ApiError)
    assert err.error_messages == ["Transaction not found"]
    assert err.error_message == "Transaction not found"
    err = response_error("get_reversal", {"id": "x"}, b"", 500)
    assert isinstance(err, kopokopo.ApiError)
    assert err.error_messages == []
    assert err.error_message  # the status text


def test_rate_limit_error_has_error_messages() -> None:
    err = response_error("get_reversal", {"id": "x"}, b'{"error_message":"slow down"}', 429)
    assert isinstance(err, kopokopo.RateLimitError) and isinstance(err, kopokopo.ApiError)
    # Whatever the core reports for a 429, the attribute is a list of str.
    assert isinstance(err.error_messages, list)
    assert all(isinstance(m, str) for m in err.error_messages)
    assert kopokopo.RateLimitError("x", error_messages=("a", "b")).error_messages == ["a", "b"]
    assert kopokopo.RateLimitError("x").error_messages == []


def test_error_messages_from_the_client(client: kopokopo.Client) -> None:
    with pytest.raises(kopokopo.ApiError) as info:
        client.incoming_payments.create(
            till_number="K400400", phone_number="0712345678", amount=10, callback_url="https://example.com/r"
        )
    assert info.value.error_messages == [info.value.error_message]


def test_error_messages_pickle() -> None:
    err = kopokopo.ApiError(
        "m", code="api_error", http_status=400, error_code="400", error_message="a; b", error_messages=["a", "b"]
    )
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, kopokopo.ApiError)
    assert back.error_messages == ["a", "b"] and back.error_message == "a; b"


# ------------------------------------------------------------- m2m webhook


def test_m2m_transaction_received_is_typed() -> None:
    e = webhook(fixture_bytes("live/webhook.m2m_transaction_received.k2.json"))
    assert isinstance(e, kopokopo.WebhookEvent)
    assert e.topic == "m2m_transaction_received"
    assert e.event_type == "Merchant to Merchant Transaction"
    assert isinstance(e.resource, kopokopo.Transaction)
    assert e.resource.sending_merchant == "Acme Wholesalers"
    assert e.resource.id == "b7a1e9d0-3c55-4f0e-8f2a-6d9c1b2e7f30"
    assert e.resource.amount == Decimal("2500")
    assert isinstance(e.resource.amount, Decimal)
    assert e.resource.status == "Received"
    assert e.to_dict()["resource"]["kind"] == "transaction"


def test_sending_merchant_is_none_for_other_transactions() -> None:
    e = webhook(fixture_bytes("webhook.buygoods_transaction_received.k2.json"))
    assert isinstance(e, kopokopo.WebhookEvent) and isinstance(e.resource, kopokopo.Transaction)
    assert e.resource.sending_merchant is None


def test_m2m_event_type_accepted_for_subscriptions() -> None:
    _, _, _, body = _kopokopo.build_request(
        "create_webhook_subscription",
        json.dumps({"event_type": "m2m_transaction_received", "url": "https://example.com/w", "scope": "company"}),
        client_id="id",
        client_secret="secret",
        token="tok",
    )
    assert json.loads(body)["event_type"] == "m2m_transaction_received"


# ------------------------------------------------------ version-1 results


def test_v1_payment_result_is_send_money() -> None:
    r = result(fixture_bytes("live/result.payment.v1.json"))
    assert isinstance(r, kopokopo.SendMoney)
    assert r.kind == "payment"
    assert r.id == "c9f2a7d4-8e1b-4a36-b5d2-7f0e3a9c1b58"
    assert r.status == "Processed"
    assert r.amount is None
    [batch] = r.transfer_batches
    assert batch.amount == Decimal("1500")
    [d] = batch.disbursements
    assert d.amount == Decimal("1500") and isinstance(d.amount, Decimal)
    assert d.transaction_reference == "PBF9XYZ123"
    assert r.metadata["customerId"] == "8675309"
    assert r.links.callback_url == "https://webhook.site/k2/pay"


def test_legacy_settlement_transfer_result_amount() -> None:
    name = "variants/response.send_money.status.legacy_settlement_transfer.json"
    r = result(fixture_bytes(name))
    assert isinstance(r, kopokopo.SendMoney)
    assert r.kind == "settlement_transfer"
    assert isinstance(r.amount, kopokopo.MoneyAmount)
    assert r.amount.currency == "KES"
    assert r.amount.value is None
    assert [len(b.disbursements) for b in r.transfer_batches] == [1, 2]
    # With a value, it is an exact Decimal.
    doc = fixture_json(name)
    doc["data"]["attributes"]["amount"] = {"currency": "KES", "value": "69352.10"}
    r = result(json.dumps(doc).encode())
    assert isinstance(r, kopokopo.SendMoney) and r.amount is not None
    assert r.amount.value == Decimal("69352.10") and isinstance(r.amount.value, Decimal)
    assert r.to_dict()["amount"]["currency"] == "KES"
    # A JSON number value is a Decimal too; text beyond double precision keeps every digit.
    for raw, want in (("69352.10", "69352.1"), ('"12345678901234567.89"', "12345678901234567.89")):
        doc["data"]["attributes"]["amount"] = {"currency": "KES", "value": "@V@"}
        r = result(json.dumps(doc).replace('"@V@"', raw).encode())
        assert isinstance(r, kopokopo.SendMoney) and r.amount is not None
        assert isinstance(r.amount.value, Decimal)
        assert r.amount.value == Decimal(want)


def test_send_money_status_has_no_amount_object() -> None:
    r = response(
        kopokopo.SendMoney, "get_send_money", {"id": "x"}, fixture_bytes("response.send_money.status.json")
    )
    assert r.amount is None


# -------------------------------------------------------------- payment links


def test_payment_link_initiator_name() -> None:
    link = response(
        kopokopo.PaymentLink, "get_payment_link", {"id": "x"}, fixture_bytes("response.payment_link.status.alt.json")
    )
    assert link.initiator_name == "David Kariuki Mwangi"
    assert link.amount == Decimal(240001)
    other = response(
        kopokopo.PaymentLink, "get_payment_link", {"id": "x"}, fixture_bytes("response.payment_link.status.json")
    )
    assert other.initiator_name is None


def test_cancelled_payment_link_details() -> None:
    params = {"id": "2eab4ca0-1724-4c90-a734-0fb5ffc4391c"}
    plain = response(
        kopokopo.CancelledPaymentLink, "cancel_payment_link", params, fixture_bytes("response.payment_link.cancel.json")
    )
    assert plain.message == "Payment link cancelled."
    assert plain.payment_link is None
    doc = fixture_json("response.payment_link.status.alt.json")
    doc["message"] = "Payment link cancelled."
    with_data = response(kopokopo.CancelledPaymentLink, "cancel_payment_link", params, json.dumps(doc).encode())
    assert with_data.message == "Payment link cancelled."
    assert isinstance(with_data.payment_link, kopokopo.PaymentLink)
    assert with_data.payment_link.id == "2eab4ca0-1724-4c90-a734-0fb5ffc4391c"
    assert with_data.payment_link.initiator_name == "David Kariuki Mwangi"
    assert with_data.payment_link.amount == Decimal(240001)


# --------------------------------------------------------------- token info


def test_token_info_created_at_is_text() -> None:
    info = response(kopokopo.TokenInfo, "token_info", {}, fixture_bytes("response.token_info.json"))
    assert info.created_at == str(fixture_json("response.token_info.json")["created_at"])
    assert isinstance(info.created_at, str)
    doc = fixture_json("response.token_info.json")
    doc["created_at"] = "2026-04-27T00:09:15+03:00"
    iso = response(kopokopo.TokenInfo, "token_info", {}, json.dumps(doc).encode())
    assert iso.created_at == "2026-04-27T00:09:15+03:00"


# -------------------------------------------------------------------- Daraja


@pytest.mark.parametrize("key", ["ThirdPartyTransId", "ThirdPartyTransID"])
def test_daraja_third_party_trans_id_both_spellings(key: str) -> None:
    doc = fixture_json("webhook.buygoods_transaction_received.daraja.json")
    for k in ("ThirdPartyTransId", "ThirdPartyTransID"):
        doc.pop(k, None)
    doc[key] = "TPX-42"
    e = webhook(json.dumps(doc).encode())
    assert isinstance(e, kopokopo.DarajaEvent)
    assert e.third_party_trans_id == "TPX-42"
    # Written back as the documentation spells it.
    d = e.to_dict()
    assert d["ThirdPartyTransId"] == "TPX-42"
    assert "ThirdPartyTransID" not in d


def test_daraja_fixture_third_party_trans_id() -> None:
    e = webhook(fixture_bytes("webhook.b2b_transaction_received.daraja.json"))
    assert isinstance(e, kopokopo.DarajaEvent)
    assert e.third_party_trans_id == ""


# ----------------------------------------------------------------- constants


def test_documented_request_values() -> None:
    assert kopokopo.NETWORK_SAFARICOM == "Safaricom"
    assert kopokopo.PAYMENT_CHANNEL_STK_PUSH == "M-PESA STK Push"
    assert kopokopo.PAYMENT_CHANNEL_MPESA == "M-PESA"
    for name in ("NETWORK_SAFARICOM", "PAYMENT_CHANNEL_STK_PUSH", "PAYMENT_CHANNEL_MPESA"):
        assert name in kopokopo.__all__
        # The native module's value (the core's constant), not a retyped literal.
        assert getattr(kopokopo, name) is getattr(_kopokopo, name)


def _built(operation: str, params: Dict[str, Any]) -> Dict[str, Any]:
    _, _, _, body = _kopokopo.build_request(
        operation, json.dumps(params), client_id="id", client_secret="secret", token="tok"
    )
    out: Dict[str, Any] = json.loads(body)
    return out


def test_constants_are_accepted_requests() -> None:
    stk: Dict[str, Any] = dict(
        till_number="K000000", phone_number="0712345678", amount="10", callback_url="https://example.com/r"
    )
    default = _built("create_incoming_payment", stk)
    assert default["payment_channel"] == kopokopo.PAYMENT_CHANNEL_STK_PUSH
    mpesa = _built("create_incoming_payment", dict(stk, payment_channel=kopokopo.PAYMENT_CHANNEL_MPESA))
    assert mpesa["payment_channel"] == "M-PESA"
    wallet = _built(
        "create_merchant_wallet",
        dict(network=kopokopo.NETWORK_SAFARICOM, first_name="A", last_name="B", phone_number="0712345678"),
    )
    assert wallet["network"] == "Safaricom"


def test_money_amount_is_public() -> None:
    assert "MoneyAmount" in kopokopo.__all__
    assert kopokopo.MoneyAmount._from_json({"currency": "KES", "value": 5}).value == Decimal(5)
