"""Every exception class and its attributes, caught as kopokopo.KopoKopoError."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import pytest

import kopokopo
from conftest import MOCK_API_KEY, Mock, make_client

CB = "https://example.com/k2/results"


def stk(client: kopokopo.Client, **kw: Any) -> kopokopo.Created:
    args: Any = dict(till_number="K000000", phone_number="0712345678", amount=10, callback_url=CB)
    args.update(kw)
    return client.incoming_payments.create(**args)


def test_hierarchy() -> None:
    for cls in (
        kopokopo.InvalidArgumentError,
        kopokopo.AuthenticationError,
        kopokopo.ApiError,
        kopokopo.RateLimitError,
        kopokopo.TransportError,
        kopokopo.TimeoutError,
        kopokopo.SignatureError,
        kopokopo.DecodeError,
    ):
        assert issubclass(cls, kopokopo.KopoKopoError)
    assert issubclass(kopokopo.RateLimitError, kopokopo.ApiError)
    assert issubclass(kopokopo.TimeoutError, kopokopo.TransportError)
    assert issubclass(kopokopo.KopoKopoError, Exception)


def test_invalid_argument_from_core(client: kopokopo.Client, fresh_mock: Mock) -> None:
    with pytest.raises(kopokopo.KopoKopoError) as info:
        stk(client, phone_number="not-a-phone")
    err = info.value
    assert isinstance(err, kopokopo.InvalidArgumentError)
    assert err.code == "invalid_argument"
    assert err.field == "phone_number"
    assert err.reason
    assert "phone_number" in str(err)
    # nothing was sent
    assert "POST /api/v2/incoming_payments" not in fresh_mock.counters()["requests"]


def test_invalid_argument_nested_field(client: kopokopo.Client) -> None:
    with pytest.raises(kopokopo.InvalidArgumentError) as info:
        client.send_money.create(
            destinations=[{"type": "mobile_wallet", "phone_number": "0712345678", "network": "Safaricom",
                           "amount": 0, "description": "x"}],
            callback_url=CB,
        )
    assert info.value.field == "destinations[0].amount"


def test_float_amount_refused(client: kopokopo.Client) -> None:
    with pytest.raises(kopokopo.KopoKopoError) as info:
        stk(client, amount=10.5)
    assert isinstance(info.value, kopokopo.InvalidArgumentError)
    assert info.value.field == "amount"
    with pytest.raises(kopokopo.InvalidArgumentError) as info2:
        client.send_money.create(
            destinations=[{"type": "till", "till_number": "1", "amount": 1.0, "description": "x"}], callback_url=CB
        )
    assert info2.value.field == "destinations[0].amount"
    # Decimal, int and str are all fine
    for amount in (Decimal("10.50"), 10, "10.50"):
        assert stk(client, amount=amount).id


def test_invalid_config() -> None:
    with pytest.raises(kopokopo.InvalidArgumentError) as info:
        kopokopo.Client(client_id="", client_secret="s")
    assert info.value.field == "client_id"
    with pytest.raises(kopokopo.InvalidArgumentError) as info:
        kopokopo.Client(client_id="i", client_secret="s", base_url="http://example.com")
    assert info.value.field == "base_url"
    with pytest.raises(kopokopo.InvalidArgumentError) as info:
        kopokopo.Client(client_id="i", client_secret="s", timeout=0)
    assert info.value.field == "timeout"
    with pytest.raises(kopokopo.InvalidArgumentError) as info:
        kopokopo.Client(client_id="i", client_secret="s", max_retries=-1)
    assert info.value.field == "max_retries"


def test_authentication_error(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, client_secret="wrong-secret-value")
    with pytest.raises(kopokopo.KopoKopoError) as info:
        client.tokens.request()
    err = info.value
    assert isinstance(err, kopokopo.AuthenticationError)
    assert err.code == "authentication_failed"
    assert err.http_status == 401
    assert "wrong-secret-value" not in str(err) + repr(err)


def test_api_error(client: kopokopo.Client) -> None:
    with pytest.raises(kopokopo.KopoKopoError) as info:
        stk(client, till_number="K400400")
    err = info.value
    assert isinstance(err, kopokopo.ApiError) and not isinstance(err, kopokopo.RateLimitError)
    assert err.code == "api_error"
    assert err.http_status == 400
    assert err.error_message == "Till number is invalid"


def test_server_error(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=0)
    client.tokens.request()
    fresh_mock.fault("500", path="/api/v2/incoming_payments")
    with pytest.raises(kopokopo.ApiError) as info:
        stk(client)
    assert info.value.http_status == 500


def test_rate_limit_error(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=0)
    client.tokens.info()
    fresh_mock.fault("429", path="/api/v2/incoming_payments", retry_after=7)
    with pytest.raises(kopokopo.KopoKopoError) as info:
        stk(client)
    err = info.value
    assert isinstance(err, kopokopo.RateLimitError)
    assert isinstance(err, kopokopo.ApiError)
    assert err.code == "rate_limited"
    assert err.http_status == 429
    assert err.retry_after == 7.0


def test_retries_are_transparent_for_gets(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=2)
    created = stk(client)
    fresh_mock.fault("503", path="/api/v2/incoming_payments/")
    assert client.incoming_payments.status(created.id).id == created.id


def test_transport_error_connection_refused() -> None:
    client = kopokopo.Client(client_id="i", client_secret="s", base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(kopokopo.KopoKopoError) as info:
        client.tokens.request()
    assert isinstance(info.value, kopokopo.TransportError)
    assert info.value.code == "transport_error"


def test_transport_error_closed_mid_response(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=0)
    client.tokens.request()
    fresh_mock.fault("close", path="/api/v2/incoming_payments")
    with pytest.raises(kopokopo.TransportError) as info:
        stk(client)
    assert info.value.code == "transport_error"


def test_timeout_error(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=0, timeout=0.5)
    client.tokens.request()
    fresh_mock.fault("hang", path="/api/v2/incoming_payments")
    with pytest.raises(kopokopo.KopoKopoError) as info:
        stk(client)
    err = info.value
    assert isinstance(err, kopokopo.TimeoutError)
    assert isinstance(err, kopokopo.TransportError)
    assert err.code == "timeout"


def test_decode_error(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=0)
    created = stk(client)
    fresh_mock.fault("malformed_json", path="/api/v2/incoming_payments/")
    with pytest.raises(kopokopo.KopoKopoError) as info:
        client.incoming_payments.status(created.id)
    assert isinstance(info.value, kopokopo.DecodeError)
    assert info.value.code == "decode_error"


def test_signature_error() -> None:
    body = b'{"topic":"buygoods_transaction_received","id":"1","event":{"resource":{}}}'
    for sig in (None, "", "abc", "0" * 64, kopokopo.sign(body, "other-key")):
        with pytest.raises(kopokopo.KopoKopoError) as info:
            kopokopo.parse_webhook(body, sig, MOCK_API_KEY)
        assert isinstance(info.value, kopokopo.SignatureError)
        assert info.value.code == "signature_invalid"
        with pytest.raises(kopokopo.SignatureError):
            kopokopo.parse_result(body, sig, MOCK_API_KEY)
        assert kopokopo.verify_signature(body, sig, MOCK_API_KEY) is False
    good = kopokopo.sign(body, MOCK_API_KEY)
    assert kopokopo.verify_signature(body, good, MOCK_API_KEY)
    assert MOCK_API_KEY not in good


def test_webhook_decode_error() -> None:
    body = b"not json"
    with pytest.raises(kopokopo.DecodeError):
        kopokopo.parse_webhook(body, kopokopo.sign(body, "k"), "k")


def test_errors_pickle() -> None:
    err = kopokopo.RateLimitError("rate limited", code="rate_limited", retry_after=3.0, error_message="slow down")
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, kopokopo.RateLimitError)
    assert back.retry_after == 3.0 and back.code == "rate_limited" and back.error_message == "slow down"


def test_client_webhooks_without_api_key() -> None:
    # The core refuses to verify without a key: every client webhook method agrees.
    client = kopokopo.Client(client_id="id", client_secret="secret")
    body = b"{}"
    sig = kopokopo.sign(body, MOCK_API_KEY)
    for call in (client.webhooks.verify, client.webhooks.parse_webhook, client.webhooks.parse_result):
        with pytest.raises(kopokopo.InvalidArgumentError) as info:
            call(body, sig)
        assert info.value.field == "api_key"
