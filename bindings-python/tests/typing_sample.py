"""A user program type-checked with `mypy --strict` by test_typing.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import List, Optional

import kopokopo


def take_payment(client: kopokopo.Client, phone: str, amount: Decimal) -> str:
    created: kopokopo.Created = client.incoming_payments.create(
        till_number="K000000",
        phone_number=phone,
        amount=amount,
        callback_url="https://example.com/k2/results",
        metadata={"order": "42"},
    )
    payment: kopokopo.IncomingPayment = client.incoming_payments.status(created.location)
    resource: Optional[kopokopo.Transaction] = payment.event.resource
    if resource is not None and resource.amount is not None:
        total: Decimal = resource.amount + Decimal("0.00")
        _ = total
    when: Optional[dt.datetime] = payment.initiation_time
    _ = when
    return payment.status


def pay_out(client: kopokopo.Client) -> List[str]:
    created = client.send_money.create(
        destinations=[{"type": "mobile_wallet", "phone_number": "0712345678", "network": "Safaricom",
                       "amount": Decimal("10"), "description": "x"}],
        callback_url="https://example.com/k2/results",
    )
    status: kopokopo.SendMoney = client.send_money.status(created.id)
    return [d.status or "" for b in status.transfer_batches for d in b.disbursements]


def handle(body: bytes, signature: Optional[str]) -> str:
    try:
        event = kopokopo.parse_webhook(body, signature, "api-key")
    except kopokopo.SignatureError as e:
        return e.code
    except kopokopo.KopoKopoError as e:
        return f"{e.code}: {e}"
    if isinstance(event, kopokopo.WebhookEvent):
        if isinstance(event.resource, kopokopo.Transaction):
            return event.topic + str(event.resource.amount)
        return event.topic
    return event.trans_id


def result(body: bytes, signature: Optional[str]) -> Optional[Decimal]:
    r = kopokopo.parse_result(body, signature, "api-key")
    if isinstance(r, kopokopo.PaymentLink):
        return r.amount
    if isinstance(r, kopokopo.Reversal) and r.is_reversed:
        return Decimal(0)
    return None


def errors() -> None:
    try:
        kopokopo.Client(client_id="id", client_secret="secret", timeout=5.0, max_retries=1)
    except kopokopo.InvalidArgumentError as e:
        field: str = e.field
        _ = field
    except kopokopo.RateLimitError as e:
        after: Optional[float] = e.retry_after
        _ = after
    except kopokopo.ApiError as e:
        status: int = e.http_status
        _ = status


def options() -> float:
    c = kopokopo.Client(client_id="id", client_secret="secret", connect_timeout=2.5, proxy="none")
    try:
        c.tokens.info()
    except kopokopo.InternalError as e:
        code: str = e.code
        _ = code
    return c.connect_timeout + c.timeout


def new_fields(body: bytes, signature: Optional[str]) -> List[str]:
    out: List[str] = []
    event = kopokopo.parse_webhook(body, signature, "api-key")
    if isinstance(event, kopokopo.WebhookEvent) and isinstance(event.resource, kopokopo.Transaction):
        merchant: Optional[str] = event.resource.sending_merchant
        out.append(merchant or "")
    if isinstance(event, kopokopo.DarajaEvent):
        out.append(event.third_party_trans_id or "")
    r = kopokopo.parse_result(body, signature, "api-key")
    if isinstance(r, kopokopo.SendMoney) and r.amount is not None:
        total: Optional[Decimal] = r.amount.value
        currency: Optional[str] = r.amount.currency
        out.append(f"{currency} {total}")
    if isinstance(r, kopokopo.PaymentLink):
        who: Optional[str] = r.initiator_name
        out.append(who or "")
    return out


def more_fields(client: kopokopo.Client) -> List[str]:
    created_at: Optional[str] = client.tokens.info().created_at
    cancelled = client.payment_links.cancel("id")
    link: Optional[kopokopo.PaymentLink] = cancelled.payment_link
    try:
        client.reversals.create(transaction_reference="r", reason="x", callback_url="https://example.com")
    except kopokopo.ApiError as e:
        messages: List[str] = e.error_messages
        return messages
    channels: List[str] = [
        kopokopo.PAYMENT_CHANNEL_STK_PUSH,
        kopokopo.PAYMENT_CHANNEL_MPESA,
        kopokopo.NETWORK_SAFARICOM,
    ]
    return [created_at or "", link.id if link else "", *channels]


ok: bool = kopokopo.verify_signature(b"{}", kopokopo.sign(b"{}", "k"), "k")
version: str = kopokopo.__version__
