"""Every endpoint against `k2 mock`, and every result callback received by a
loopback listener, signature-verified and parsed."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from decimal import Decimal
from typing import Any, Callable, TypeVar

import pytest

import kopokopo
from conftest import MOCK_API_KEY, Mock, Receiver, k2_bin

T = TypeVar("T")


def wait_for(fn: Callable[[], T], ok: Callable[[T], bool], timeout: float = 10.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if ok(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def result_from(receiver: Receiver, path: str) -> kopokopo.CallbackResult:
    _, headers, body = receiver.get_for(path)
    sig = headers.get("x-kopokopo-signature")
    assert kopokopo.verify_signature(body, sig, MOCK_API_KEY)
    return kopokopo.parse_result(body, sig, MOCK_API_KEY)


# ------------------------------------------------------------------ tokens


def test_tokens(client: kopokopo.Client) -> None:
    token = client.tokens.request()
    assert isinstance(token, kopokopo.AccessToken)
    assert token.access_token and token.token_type.lower() == "bearer"
    assert token.expires_in > 0
    assert token.access_token not in repr(token)

    info = client.tokens.introspect(token.access_token)
    assert isinstance(info, kopokopo.TokenIntrospection)
    assert info.active is True

    tinfo = client.tokens.info()
    assert isinstance(tinfo, kopokopo.TokenInfo)

    assert client.tokens.revoke(token.access_token) is None
    assert client.tokens.introspect(token.access_token).active is False


def test_token_is_cached_and_refreshed(client: kopokopo.Client, fresh_mock: Mock) -> None:
    client.incoming_payments.status(
        client.incoming_payments.create(
            till_number="K000000", phone_number="0712345678", amount=10, callback_url="https://example.com/cb"
        ).location
    )
    assert fresh_mock.counters()["tokens_issued"] == 1
    fresh_mock.admin("expire-tokens", {})
    client.tokens.info()
    assert fresh_mock.counters()["tokens_issued"] == 2


def test_user_agent(client: kopokopo.Client) -> None:
    assert client.user_agent.startswith("kopokopo/")
    assert f"(python/{kopokopo.__version__}; " in client.user_agent


# ------------------------------------------------------------- webhooks


def test_webhook_subscription_and_trigger(client: kopokopo.Client, fresh_mock: Mock, receiver: Receiver) -> None:
    created = client.webhooks.subscribe(
        event_type="buygoods_transaction_received", url=receiver.url + "/hooks", scope="till", scope_reference="112233"
    )
    assert isinstance(created, kopokopo.Created)
    assert created.id and created.location.endswith(created.id)

    fresh_mock.admin("trigger", {"topic": "buygoods_transaction_received"})
    _, headers, body = receiver.get_for("/hooks")
    sig = headers.get("x-kopokopo-signature")
    assert client.webhooks.verify(body, sig)
    event = client.webhooks.parse_webhook(body, sig)
    assert isinstance(event, kopokopo.WebhookEvent)
    assert event.topic == "buygoods_transaction_received"
    assert isinstance(event.resource, kopokopo.Transaction)
    assert isinstance(event.resource.amount, Decimal)
    assert event == kopokopo.parse_webhook(body, sig, MOCK_API_KEY)
    with pytest.raises(kopokopo.SignatureError):
        client.webhooks.parse_webhook(body + b" ", sig)


def test_daraja_webhook(client: kopokopo.Client, fresh_mock: Mock, receiver: Receiver) -> None:
    client.webhooks.subscribe(
        event_type="b2b_transaction_received",
        url=receiver.url + "/daraja",
        scope="company",
        enable_daraja_payload=True,
    )
    fresh_mock.admin("trigger", {"topic": "b2b_transaction_received"})
    _, headers, body = receiver.get_for("/daraja")
    event = kopokopo.parse_webhook(body, headers.get("x-kopokopo-signature"), MOCK_API_KEY)
    assert isinstance(event, kopokopo.DarajaEvent)
    assert event.structure == "daraja"
    assert event.trans_amount == Decimal("100.0")  # the fixture the simulator sends


@pytest.mark.parametrize(
    "topic",
    [
        "buygoods_transaction_received",
        "buygoods_transaction_reversed",
        "b2b_transaction_received",
        "b2b_transaction_reversed",
        "settlement_transfer_completed",
        "customer_created",
        "card_transaction_received",
        "card_transaction_voided",
        "card_transaction_reversed",
    ],
)
def test_k2_trigger_cli(topic: str, receiver: Receiver) -> None:
    proc = subprocess.run(
        [str(k2_bin()), "trigger", topic, "--url", receiver.url + "/cli", "--api-key", MOCK_API_KEY],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    _, headers, body = receiver.get_for("/cli")
    event = kopokopo.parse_webhook(body, headers.get("x-kopokopo-signature"), MOCK_API_KEY)
    assert isinstance(event, kopokopo.WebhookEvent)
    assert event.topic == topic
    expected = {
        "settlement_transfer_completed": kopokopo.SettlementTransfer,
        "customer_created": kopokopo.Customer,
    }.get(topic, kopokopo.Transaction)
    assert isinstance(event.resource, expected)


# ------------------------------------------------------ incoming payments


def test_incoming_payment_success(client: kopokopo.Client, receiver: Receiver) -> None:
    created = client.incoming_payments.create(
        till_number="K000000",
        phone_number="0712345678",
        amount=Decimal("150.50"),
        callback_url=receiver.url + "/stk",
        first_name="Jane",
        metadata={"order": "42", "ratio": 0.5},
    )
    assert created.id and created.location.endswith(created.id)
    result = result_from(receiver, "/stk")
    assert isinstance(result, kopokopo.IncomingPayment)
    assert result.status == "Success"
    assert result.event.resource is not None
    assert result.event.resource.amount == Decimal("150.5")
    assert result.metadata.get("order") == "42"
    status = client.incoming_payments.status(created.location)
    assert status.status == "Success"
    assert status.id == created.id
    assert client.incoming_payments.status(created.id).status == "Success"
    assert isinstance(status.initiation_time, dt.datetime)  # the simulator stamps it
    assert status.initiation_time.tzinfo is not None


@pytest.mark.parametrize(
    "phone, message",
    [
        ("0700000001", "The balance is insufficient for the transaction"),
        ("+254700000003", "The initiator information is invalid."),
    ],
)
def test_incoming_payment_failures(client: kopokopo.Client, receiver: Receiver, phone: str, message: str) -> None:
    created = client.incoming_payments.create(
        till_number="K000000", phone_number=phone, amount="100", callback_url=receiver.url + "/fail"
    )
    result = result_from(receiver, "/fail")
    assert isinstance(result, kopokopo.IncomingPayment)
    assert result.status == "Failed"
    assert message in result.event.errors
    assert client.incoming_payments.status(created.id).status == "Failed"


def test_incoming_payment_pending(client: kopokopo.Client, receiver: Receiver) -> None:
    created = client.incoming_payments.create(
        till_number="K000000", phone_number="+254700000002", amount=5, callback_url=receiver.url + "/pending"
    )
    assert receiver.nothing_for(0.6) == []
    assert client.incoming_payments.status(created.id).status == "Pending"


# ------------------------------------------------ wallets, accounts, recipients


def test_merchant_wallet_and_bank_account(client: kopokopo.Client) -> None:
    w = client.merchant_wallets.create(
        network="Safaricom", first_name="Jane", last_name="Doe", phone_number="0712345678", nickname="Main"
    )
    assert w.id
    b = client.merchant_bank_accounts.create(
        account_name="Jane Doe", bank_branch_ref="633aa26c-7b7c-4091-ae28-96c0687cf886",
        account_number="1234567890", settlement_method="RTS",
    )
    assert b.id


@pytest.mark.parametrize(
    "kw",
    [
        dict(type="mobile_wallet", first_name="J", last_name="D", phone_number="0712345678", network="Safaricom"),
        dict(
            type="bank_account",
            account_name="J D",
            bank_branch_ref="633aa26c",
            account_number="1",
            settlement_method="RTS",
        ),
        dict(type="till", till_name="Shop", till_number="112233"),
        dict(type="paybill", paybill_name="KPLC", paybill_number="888880", paybill_account_number="42"),
    ],
)
def test_external_recipients(client: kopokopo.Client, kw: Any) -> None:
    created = client.external_recipients.create(**kw)
    assert created.id


# --------------------------------------------------------------- send money


def test_send_money_success(client: kopokopo.Client, receiver: Receiver) -> None:
    created = client.send_money.create(
        destinations=[
            {"type": "mobile_wallet", "phone_number": "0712345678", "network": "Safaricom",
             "amount": Decimal("100"), "description": "Salary"},
            {"type": "mobile_wallet", "phone_number": "0712345679", "network": "Safaricom",
             "amount": 50, "description": "Bonus", "favourite": True},
        ],
        callback_url=receiver.url + "/pay",
        metadata={"batch": "7"},
    )
    result = result_from(receiver, "/pay")
    assert isinstance(result, kopokopo.SendMoney)
    assert result.status == "Processed"
    disb = [d for b in result.transfer_batches for d in b.disbursements]
    assert disb and all(d.status == "Transferred" for d in disb)
    status = client.send_money.status(created.location)
    assert status.status == "Processed"
    assert sum((d.amount or Decimal(0)) for d in status.destinations) == Decimal("150")
    assert all(isinstance(d.amount, Decimal) for d in status.destinations)
    # The core takes whole shillings only for send-money destinations (documented as Integer).
    with pytest.raises(kopokopo.InvalidArgumentError) as info:
        client.send_money.create(
            destinations=[{"type": "mobile_wallet", "phone_number": "0712345678", "network": "Safaricom",
                           "amount": Decimal("100.25"), "description": "Salary"}],
            callback_url=receiver.url + "/pay",
        )
    assert info.value.field == "destinations[0].amount"


def test_send_money_failure_and_pending(client: kopokopo.Client, receiver: Receiver) -> None:
    client.send_money.create(
        destinations=[{"type": "mobile_wallet", "phone_number": "0700000001", "network": "Safaricom",
                       "amount": 10, "description": "x"}],
        callback_url=receiver.url + "/payfail",
    )
    result = result_from(receiver, "/payfail")
    assert isinstance(result, kopokopo.SendMoney)
    errors = [e for b in result.transfer_batches for d in b.disbursements for e in d.errors]
    assert "The balance is insufficient for the transaction" in errors

    pending = client.send_money.create(
        destinations=[{"type": "mobile_wallet", "phone_number": "0700000002", "network": "Safaricom",
                       "amount": 10, "description": "x"}],
        callback_url=receiver.url + "/paypending",
    )
    assert client.send_money.status(pending.id).status == "Pending"


def test_send_money_to_my_accounts(client: kopokopo.Client, receiver: Receiver) -> None:
    created = client.send_money.create(callback_url=receiver.url + "/blind")
    assert created.id
    assert isinstance(result_from(receiver, "/blind"), kopokopo.SendMoney)


# ------------------------------------------------------------ polling, SMS


def test_polling(client: kopokopo.Client, receiver: Receiver) -> None:
    created = client.polling.create(
        scope="company",
        from_time=dt.datetime(2021, 4, 12, 8, 50, 22, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        to_time="2021-04-19T08:50:22+03:00",
        callback_url=receiver.url + "/poll",
    )
    result = result_from(receiver, "/poll")
    assert isinstance(result, kopokopo.Polling)
    assert result.status == "Success"
    status = wait_for(lambda: client.polling.status(created.id), lambda p: p.status == "Success")
    assert status.status == "Success"
    assert status.from_time == dt.datetime(2021, 4, 12, 5, 50, 22, tzinfo=dt.timezone.utc)


def test_sms_notification(client: kopokopo.Client, receiver: Receiver) -> None:
    created = client.sms_notifications.create(
        webhook_event_reference="c271d7a1-7f28-4e1a-b6d5-2a3d1e2a8b9c",
        message="Thanks for your payment",
        callback_url=receiver.url + "/sms",
    )
    result = result_from(receiver, "/sms")
    assert isinstance(result, kopokopo.SmsNotification)
    assert result.status == "Success"
    status = wait_for(lambda: client.sms_notifications.status(created.id), lambda s: s.status == "Success")
    assert status.message == "Thanks for your payment"


# ------------------------------------------------------------------ reversals


def test_reversal_success_failure_pending(client: kopokopo.Client, receiver: Receiver) -> None:
    ok = client.reversals.create(
        transaction_reference="OJJ1MPU40Z", reason="Overpaid", callback_url=receiver.url + "/rev"
    )
    result = result_from(receiver, "/rev")
    assert isinstance(result, kopokopo.Reversal)
    assert result.is_reversed
    assert wait_for(lambda: client.reversals.status(ok.id), lambda r: r.status == "Processed").is_reversed

    client.reversals.create(transaction_reference="FAIL123", reason="x", callback_url=receiver.url + "/revfail")
    failed = result_from(receiver, "/revfail")
    assert isinstance(failed, kopokopo.Reversal)
    assert not failed.is_reversed
    assert "The balance is insufficient for the transaction" in failed.errors

    pending = client.reversals.create(transaction_reference="PENDING1", reason="x", callback_url=receiver.url + "/revp")
    assert client.reversals.status(pending.id).status == "Scheduled"


# -------------------------------------------------------------- payment links


def test_payment_links(client: kopokopo.Client, receiver: Receiver) -> None:
    link = client.payment_links.create(
        till_number="112233", amount=Decimal("350.00"), callback_url=receiver.url + "/link", note="Invoice 1"
    )
    details = client.payment_links.status(link.id)
    assert isinstance(details, kopokopo.PaymentLink)
    assert details.kind == "payment_link"
    assert details.amount == Decimal("350")
    assert details.payment_link is not None and details.payment_link.status == "Active"
    cancelled = client.payment_links.cancel(link.id)
    assert isinstance(cancelled, kopokopo.CancelledPaymentLink)
    after = client.payment_links.status(link.location)
    assert after.payment_link is not None and after.payment_link.status == "Cancelled"

    client.payment_links.create(
        till_number="112233", amount=100, payment_reference="PAID-1", callback_url=receiver.url + "/paid"
    )
    paid = result_from(receiver, "/paid")
    assert isinstance(paid, kopokopo.PaymentLink)
    assert paid.payment_link is not None and paid.payment_link.status == "Paid"

    client.payment_links.create(
        till_number="112233", amount=100, payment_reference="FAIL-1", callback_url=receiver.url + "/linkfail"
    )
    failed = result_from(receiver, "/linkfail")
    assert isinstance(failed, kopokopo.PaymentLink)
    assert "The balance is insufficient for the transaction" in failed.errors


def test_generic_execute(client: kopokopo.Client) -> None:
    out = client.execute(
        "create_incoming_payment",
        till_number="K000000", phone_number="0712345678", amount=Decimal("1.10"), callback_url="https://example.com/cb",
    )
    assert set(out) == {"location", "id"}
