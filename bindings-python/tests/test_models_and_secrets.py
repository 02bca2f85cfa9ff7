"""Typed results (Decimal, datetime, immutability, to_dict) and secrets that
never appear in repr/str/exceptions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

import kopokopo
from conftest import FIXTURES, MOCK_API_KEY, MOCK_CLIENT_SECRET, Mock, make_client

SECRET = "super-secret-client-secret-value"
API_KEY = "super-secret-api-key-value"


def parse_fixture(name: str) -> kopokopo.CallbackResult:
    body = (FIXTURES / name).read_bytes()
    return kopokopo.parse_result(body, kopokopo.sign(body, "k"), "k")


def test_result_types_are_exact_and_frozen() -> None:
    r = parse_fixture("result.incoming_payment.success.json")
    assert isinstance(r, kopokopo.IncomingPayment)
    assert r.event.resource is not None
    assert isinstance(r.event.resource.amount, Decimal)
    assert isinstance(r.initiation_time, dt.datetime)
    assert r.initiation_time.utcoffset() == dt.timedelta(hours=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.status = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.metadata["x"] = 1  # type: ignore[index]
    assert isinstance(r.event.errors, tuple)
    d = r.to_dict()
    assert d["type"] == "incoming_payment"
    assert d["initiation_time"] == "2020-10-19T09:24:48.622+03:00"  # raw text kept
    assert "_links" in d
    d["status"] = "changed"
    assert r.status == "Success"  # to_dict is a copy
    # no float anywhere in a result
    def walk(v: object) -> None:
        assert not isinstance(v, float)
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        if isinstance(v, list):
            for x in v:
                walk(x)
    walk(d)


def test_send_money_amounts() -> None:
    r = parse_fixture("result.send_money.success.json")
    assert isinstance(r, kopokopo.SendMoney)
    # The fixture has 1000 (a JSON number) and "1000.0" (a string): both exact.
    assert [dest.amount for dest in r.destinations] == [Decimal(1000), Decimal(1000)]
    assert all(isinstance(dest.amount, Decimal) for dest in r.destinations)
    amounts = [d.amount for batch in r.transfer_batches for d in batch.disbursements]
    assert amounts == [Decimal("1000.0"), Decimal("1000.0")]
    assert all(isinstance(a, Decimal) for a in amounts)


def test_unknown_result_kept_raw() -> None:
    body = b'{"data":{"id":"n1","type":"new_thing","attributes":{"a":1}}}'
    r = kopokopo.parse_result(body, kopokopo.sign(body, "k"), "k")
    assert isinstance(r, kopokopo.UnknownResult)
    assert r.result_type == "new_thing"
    assert r.raw["data"]["attributes"]["a"] == 1


def test_daraja_timestamp_and_amount() -> None:
    body = (FIXTURES / "webhook.buygoods_transaction_received.daraja.json").read_bytes()
    e = kopokopo.parse_webhook(body, kopokopo.sign(body, "k"), "k")
    assert isinstance(e, kopokopo.DarajaEvent)
    assert e.topic == "buygoods_transaction_received"
    assert isinstance(e.trans_time, dt.datetime)
    assert isinstance(e.trans_amount, Decimal)


def test_client_repr_has_no_secrets() -> None:
    c = kopokopo.Client(client_id="my-id", client_secret=SECRET, api_key=API_KEY)
    for text in (repr(c), str(c), repr(c.tokens), repr(c._native)):
        assert SECRET not in text and API_KEY not in text
    assert "my-id" in repr(c)
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(c)


def test_token_repr_has_no_token(client: kopokopo.Client) -> None:
    t = client.tokens.request()
    assert t.access_token not in repr(t)
    assert t.access_token not in str(t)


def test_errors_never_contain_secrets(fresh_mock: Mock) -> None:
    bad = make_client(fresh_mock, client_secret=SECRET, api_key=API_KEY, max_retries=0)
    with pytest.raises(kopokopo.KopoKopoError) as info:
        bad.tokens.request()
    text = str(info.value) + repr(info.value) + repr(vars(info.value))
    assert SECRET not in text and API_KEY not in text
    with pytest.raises(kopokopo.SignatureError) as sinfo:
        kopokopo.parse_webhook(b"{}", "0" * 64, API_KEY)
    text = str(sinfo.value) + repr(sinfo.value)
    assert API_KEY not in text
    assert kopokopo.sign(b"{}", API_KEY) not in text


def test_token_not_in_errors(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=0)
    token = client.tokens.request().access_token
    fresh_mock.fault("500", path="/api/v2/incoming_payments")
    with pytest.raises(kopokopo.ApiError) as info:
        client.incoming_payments.create(
            till_number="K000000", phone_number="0712345678", amount=1, callback_url="https://example.com/x"
        )
    assert token not in str(info.value) + repr(vars(info.value))
    assert MOCK_CLIENT_SECRET not in str(info.value)
    assert MOCK_API_KEY not in str(info.value)


def test_public_names() -> None:
    for name in kopokopo.__all__:
        assert hasattr(kopokopo, name), name
    assert kopokopo.SIGNATURE_HEADER == "X-KopoKopo-Signature"
    assert "incoming_payments.create" in kopokopo.OPERATIONS
    assert kopokopo.SANDBOX_URL.startswith("https://")


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.glob("*.json") if p.name.startswith(("webhook.", "result.")))
)
def test_parsed_objects_pickle_and_copy(name: str) -> None:
    import copy
    import pickle
    import types

    body = (FIXTURES / name).read_bytes()
    parse = kopokopo.parse_result if name.startswith("result.") else kopokopo.parse_webhook
    obj = parse(body, kopokopo.sign(body, "k"), "k")
    for back in (pickle.loads(pickle.dumps(obj)), copy.deepcopy(obj), copy.copy(obj)):
        assert back == obj
        assert back.to_dict() == obj.to_dict()
        assert "access_token" not in repr(back)
    metadata = getattr(obj, "metadata", None)
    if metadata is not None:
        assert isinstance(pickle.loads(pickle.dumps(obj)).metadata, types.MappingProxyType)
