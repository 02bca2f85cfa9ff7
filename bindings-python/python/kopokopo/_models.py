"""Typed, immutable results.

Every result is a frozen dataclass built from the JSON the core returns (the
same JSON in every language binding). Conversion is by type only:

* amounts are :class:`decimal.Decimal` (never ``float``);
* timestamps are :class:`datetime.datetime` (timezone-aware when the API
  sends an offset); the exact text the API sent stays in ``to_dict()``;
* lists are tuples and metadata is a read-only mapping.

``to_dict()`` returns the result as the core serialises it (its JSON keys,
e.g. ``_links`` and ``type``), with amounts as ``Decimal``. No ``repr`` shows a
secret: the access token of :class:`AccessToken` is left out.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Protocol,
    Dict,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

__all__ = [
    "AccessToken",
    "TokenIntrospection",
    "TokenApplication",
    "TokenInfo",
    "Created",
    "CancelledPaymentLink",
    "Links",
    "Transaction",
    "IncomingPaymentEvent",
    "IncomingPayment",
    "DestinationInfo",
    "Disbursement",
    "TransferBatch",
    "MoneyAmount",
    "SendMoney",
    "PolledTransaction",
    "Polling",
    "SmsNotification",
    "ReversalPayment",
    "Reversal",
    "PaymentLinkDetails",
    "PaymentLink",
    "SettlementDestinationResource",
    "SettlementDestination",
    "SettlementDisbursement",
    "SettlementTransfer",
    "Customer",
    "WebhookEvent",
    "DarajaEvent",
    "UnknownResult",
    "Webhook",
    "CallbackResult",
    "WebhookResource",
]

M = TypeVar("M", bound="_Model")

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$")


def _parse_timestamp(value: Any) -> Optional[_dt.datetime]:
    """ISO 8601 text, Daraja's ``YYYYMMDDHHMMSS`` or epoch seconds -> datetime.

    Returns None for anything else (the raw value stays in ``to_dict()``).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        try:
            return _dt.datetime.fromtimestamp(int(value), tz=_dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _ISO.match(text)
    try:
        if m:
            year, month, day, hour, minute, second, frac, off = m.groups()
            micro = int((frac or "0")[:6].ljust(6, "0"))
            tz: Optional[_dt.tzinfo] = None
            if off:
                if off in ("Z", "z"):
                    tz = _dt.timezone.utc
                else:
                    sign = -1 if off[0] == "-" else 1
                    digits = off[1:].replace(":", "")
                    hours = int(digits[:2])
                    minutes = int(digits[2:4] or "0")
                    tz = _dt.timezone(sign * _dt.timedelta(hours=hours, minutes=minutes))
            return _dt.datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=tz
            )
        m = _COMPACT.match(text)
        if m:
            y, mo, d, h, mi, sec = (int(g) for g in m.groups())
            return _dt.datetime(y, mo, d, h, mi, sec)
    except ValueError:
        return None
    return None


def _to_decimal(value: Any) -> Optional[Decimal]:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, str)):
        try:
            return Decimal(value)
        except ArithmeticError:
            return None
    return None


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _freeze(value: Any) -> Any:
    """JSON value -> read-only equivalent (dicts become mappings, lists tuples)."""
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


_CONVERTERS: Dict[Any, Callable[[Any], Any]] = {}


def _converter(tp: Any) -> Callable[[Any], Any]:
    """The conversion JSON value -> field value for a type hint, built once per hint."""
    conv = _CONVERTERS.get(tp)
    if conv is None:
        conv = _CONVERTERS[tp] = _build_converter(tp)
    return conv


def _build_converter(tp: Any) -> Callable[[Any], Any]:
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is Union:
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            inner = _converter(options[0])
            return lambda v: None if v is None else inner(v)
        return lambda v: None if v is None else _freeze(v)
    if tp is Decimal:
        return _to_decimal
    if tp is _dt.datetime:
        return _parse_timestamp
    if origin is tuple:
        item = _converter(args[0])
        return lambda v: tuple(item(x) for x in v) if isinstance(v, list) else ()
    if origin is not None and origin.__name__ == "Mapping":
        return lambda v: _freeze(v) if isinstance(v, dict) else _EMPTY
    if isinstance(tp, type) and issubclass(tp, _Model):
        model = tp
        return lambda v: model._from_json(v if isinstance(v, dict) else {})
    if tp is str:
        return lambda v: "" if v is None else v if isinstance(v, str) else str(v)
    if tp is bool:
        return bool
    if tp is int:
        return lambda v: 0 if v is None else v
    return _freeze


def _convert(tp: Any, value: Any) -> Any:
    return _converter(tp)(value)


_PLANS: Dict[type, Any] = {}


def _key(f: "dataclasses.Field[Any]") -> str:
    key = f.metadata.get("key", f.name)
    assert isinstance(key, str)
    return key


@dataclass(frozen=True)
class _Model:
    """Base of every result: construction from the core's JSON and ``to_dict``."""

    @classmethod
    def _from_json(cls: Type[M], data: Mapping[str, Any]) -> M:
        plan = _PLANS.get(cls)
        if plan is None:
            hints = get_type_hints(cls)
            plan = _PLANS[cls] = [
                (f.name, _key(f), _converter(hints[f.name])) for f in dataclasses.fields(cls)
            ]
        obj = cls.__new__(cls)
        setattr_ = object.__setattr__
        for name, key, conv in plan:
            setattr_(obj, name, conv(data.get(key)))
        setattr_(obj, "_raw", data)
        return obj

    @classmethod
    def _lazy(cls: Type[M], load: Callable[[], Mapping[str, Any]]) -> M:
        """An instance whose fields are built on first access.

        Webhook and result parsing returns these: the core has already verified
        the signature and decoded and validated the payload into its typed
        form; turning that into Python objects (Decimal, datetime, nested
        models) waits until a field is read, so a handler that only routes on a
        few fields does not pay for the rest.
        """
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_load", load)
        return obj

    if not TYPE_CHECKING:  # keep mypy's attribute checking strict

        def __getattr__(self, name: str) -> Any:
            # Reached only for attributes not set yet: the fields of a lazy instance.
            load = self.__dict__.get("_load")
            if load is None or name.startswith("__"):
                raise AttributeError(name)
            object.__setattr__(self, "_load", None)
            full = type(self)._from_json(load())
            for key, value in full.__dict__.items():
                object.__setattr__(self, key, value)
            return object.__getattribute__(self, name)

        def __getstate__(self) -> Dict[str, Any]:
            if self.__dict__.get("_load") is not None:
                self.__getattr__("_raw")
            return {k: v for k, v in self.__dict__.items() if k != "_load"}

    def to_dict(self) -> Dict[str, Any]:
        """The result as the core's JSON (a deep copy), amounts as Decimal."""
        raw = getattr(self, "_raw", None)
        if isinstance(raw, dict):
            return copy.deepcopy(raw)
        return {_key(f): _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _plain(value: Any) -> Any:
    if isinstance(value, _Model):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    return value


# ------------------------------------------------------------------ tokens


@dataclass(frozen=True)
class AccessToken(_Model):
    """``POST /oauth/token``. ``repr`` never shows ``access_token``."""

    access_token: str = field(repr=False)
    token_type: str
    expires_in: int
    created_at: Optional[_dt.datetime]


@dataclass(frozen=True)
class TokenIntrospection(_Model):
    """``POST /oauth/introspect``. ``exp``/``iat`` are epoch seconds."""

    active: bool
    scope: Optional[str]
    client_id: Optional[str]
    token_type: Optional[str]
    exp: Optional[int]
    iat: Optional[int]


@dataclass(frozen=True)
class TokenApplication(_Model):
    uid: Optional[str]


@dataclass(frozen=True)
class TokenInfo(_Model):
    """``GET /oauth/token/info``.

    ``created_at`` is text as the core keeps it: epoch seconds (``"1613376955"``)
    or an ISO 8601 timestamp, depending on what the API sent.
    """

    resource_owner_id: Optional[Any]
    scope: Tuple[str, ...]
    expires_in: Optional[int]
    application: Optional[TokenApplication]
    created_at: Optional[str]


# -------------------------------------------------------------- generic


@dataclass(frozen=True)
class Created(_Model):
    """The answer to a create call: the new resource's URL and id."""

    location: str
    id: str


@dataclass(frozen=True)
class CancelledPaymentLink(_Model):
    """``POST /api/v2/payment_links/{id}/cancel``: the message and, when the
    response carries its ``data`` document, the cancelled link."""

    message: Optional[str]
    payment_link: Optional[PaymentLink]


@dataclass(frozen=True)
class Links(_Model):
    callback_url: Optional[str]
    self_url: Optional[str] = field(metadata={"key": "self"})
    resource: Optional[str]


@dataclass(frozen=True)
class Transaction(_Model):
    """A buygoods, B2B, merchant-to-merchant or card transaction (webhooks,
    polling, STK results). ``sending_merchant`` is the paying merchant of an
    ``m2m_transaction_received`` webhook."""

    id: Optional[str]
    reference: Optional[str]
    status: Optional[str]
    origination_time: Optional[_dt.datetime]
    amount: Optional[Decimal]
    currency: Optional[str]
    till_number: Optional[str]
    system: Optional[str]
    sender_phone_number: Optional[str]
    hashed_sender_phone: Optional[str]
    sender_first_name: Optional[str]
    sender_middle_name: Optional[str]
    sender_last_name: Optional[str]
    sending_till: Optional[str]
    customer_cc_number: Optional[str]
    settled: Optional[bool]
    sending_merchant: Optional[str]


# ------------------------------------------------------- incoming payments


@dataclass(frozen=True)
class IncomingPaymentEvent(_Model):
    event_type: Optional[str] = field(metadata={"key": "type"})
    resource: Optional[Transaction]
    errors: Tuple[str, ...]


@dataclass(frozen=True)
class IncomingPayment(_Model):
    """An STK push: status query and result callback."""

    id: str
    kind: str = field(metadata={"key": "type"})
    initiation_time: Optional[_dt.datetime]
    status: str
    event: IncomingPaymentEvent
    metadata: Mapping[str, Any]
    links: Links = field(metadata={"key": "_links"})


# --------------------------------------------------------------- send money


@dataclass(frozen=True)
class DestinationInfo(_Model):
    destination_type: Optional[str] = field(metadata={"key": "type"})
    reference: Optional[str]
    phone_number: Optional[str]
    network: Optional[str]
    till_number: Optional[str]
    paybill_number: Optional[str]
    paybill_account_number: Optional[str]
    bank_branch_ref: Optional[str]
    account_name: Optional[str]
    account_number: Optional[str]
    amount: Optional[Decimal]
    description: Optional[str]
    nickname: Optional[str]
    favourite: Optional[bool]


@dataclass(frozen=True)
class Disbursement(_Model):
    status: Optional[str]
    amount: Optional[Decimal]
    errors: Tuple[str, ...]
    origination_time: Optional[_dt.datetime]
    destination_type: Optional[str]
    destination_reference: Optional[str]
    transaction_reference: Optional[str]
    nickname: Optional[str]
    favourite: Optional[bool]
    phone_number: Optional[str]


@dataclass(frozen=True)
class TransferBatch(_Model):
    status: Optional[str]
    amount: Optional[Decimal]
    disbursements: Tuple[Disbursement, ...]


@dataclass(frozen=True)
class MoneyAmount(_Model):
    """An amount object, ``{"currency": "KES", "value": ...}`` (``value`` may be None)."""

    currency: Optional[str]
    value: Optional[Decimal]


@dataclass(frozen=True)
class SendMoney(_Model):
    """A send-money request: status query and result callback.

    Version-1 result callbacks (``kind`` ``"payment"`` or
    ``"settlement_transfer"``) are parsed as this class too; ``amount`` is the
    legacy settlement document's total (None for ``send_money`` documents).
    """

    id: str
    kind: str = field(metadata={"key": "type"})
    status: str
    created_at: Optional[_dt.datetime]
    source_identifier: Optional[str]
    currency: Optional[str]
    destinations: Tuple[DestinationInfo, ...]
    transfer_batches: Tuple[TransferBatch, ...]
    errors: Tuple[str, ...]
    amount: Optional[MoneyAmount]
    metadata: Mapping[str, Any]
    links: Links = field(metadata={"key": "_links"})


# ------------------------------------------------------------------ polling


@dataclass(frozen=True)
class PolledTransaction(_Model):
    transaction_type: Optional[str] = field(metadata={"key": "type"})
    resource: Transaction


@dataclass(frozen=True)
class Polling(_Model):
    """A polling request: status query and result callback."""

    id: str
    kind: str = field(metadata={"key": "type"})
    status: str
    created_at: Optional[_dt.datetime]
    from_time: Optional[_dt.datetime]
    to_time: Optional[_dt.datetime]
    transactions: Tuple[PolledTransaction, ...]
    scope: Optional[str]
    scope_reference: Optional[str]
    links: Links = field(metadata={"key": "_links"})


# ------------------------------------------------------------- SMS, reversal


@dataclass(frozen=True)
class SmsNotification(_Model):
    """A transaction SMS notification: status query and result callback."""

    id: str
    kind: str = field(metadata={"key": "type"})
    status: str
    message: Optional[str]
    webhook_event_reference: Optional[str]
    links: Links = field(metadata={"key": "_links"})


@dataclass(frozen=True)
class ReversalPayment(_Model):
    amount: Optional[Decimal]
    status: Optional[str]
    origination_time: Optional[_dt.datetime]
    transaction_reference: Optional[str]


@dataclass(frozen=True)
class Reversal(_Model):
    """A reversal: status query and result callback.

    A failed reversal is still ``Processed``: check :attr:`is_reversed`.
    """

    id: str
    kind: str = field(metadata={"key": "type"})
    status: str
    created_at: Optional[_dt.datetime]
    transaction_reference: Optional[str]
    reason: Optional[str]
    reversal_bulk_payment: Optional[ReversalPayment]
    errors: Tuple[str, ...]
    metadata: Mapping[str, Any]
    links: Links = field(metadata={"key": "_links"})

    @property
    def is_reversed(self) -> bool:
        """Whether the money was actually reversed (bulk payment ``Transferred``)."""
        p = self.reversal_bulk_payment
        return p is not None and (p.status or "").lower() == "transferred"


# ------------------------------------------------------------ payment links


@dataclass(frozen=True)
class PaymentLinkDetails(_Model):
    status: Optional[str]
    expires_at: Optional[_dt.datetime]
    link: Optional[str]
    transaction_reference: Optional[str]
    sender_phone_number: Optional[str]
    origination_time: Optional[_dt.datetime]


@dataclass(frozen=True)
class PaymentLink(_Model):
    """A payment link: status query and result callback."""

    id: str
    kind: str = field(metadata={"key": "type"})
    status: str
    created_at: Optional[_dt.datetime]
    till_name: Optional[str]
    initiator_name: Optional[str]
    till_number: Optional[str]
    payment_reference: Optional[str]
    currency: Optional[str]
    amount: Optional[Decimal]
    note: Optional[str]
    payment_link: Optional[PaymentLinkDetails]
    errors: Tuple[str, ...]
    metadata: Mapping[str, Any]
    links: Links = field(metadata={"key": "_links"})


# ----------------------------------------------------------------- webhooks


@dataclass(frozen=True)
class SettlementDestinationResource(_Model):
    reference: Optional[str]
    account_name: Optional[str]
    account_number: Optional[str]
    bank_branch_ref: Optional[str]
    settlement_method: Optional[str]
    first_name: Optional[str]
    last_name: Optional[str]
    email: Optional[str]
    phone_number: Optional[str]
    network: Optional[str]


@dataclass(frozen=True)
class SettlementDestination(_Model):
    destination_type: Optional[str] = field(metadata={"key": "type"})
    resource: Optional[SettlementDestinationResource]


@dataclass(frozen=True)
class SettlementDisbursement(_Model):
    status: Optional[str]
    amount: Optional[Decimal]
    origination_time: Optional[_dt.datetime]
    transaction_reference: Optional[str]


@dataclass(frozen=True)
class SettlementTransfer(_Model):
    id: Optional[str]
    status: Optional[str]
    amount: Optional[Decimal]
    currency: Optional[str]
    destination: Optional[SettlementDestination]
    disbursements: Tuple[SettlementDisbursement, ...]
    origination_time: Optional[_dt.datetime]


@dataclass(frozen=True)
class Customer(_Model):
    first_name: Optional[str]
    middle_name: Optional[str]
    last_name: Optional[str]
    phone_number: Optional[str]


WebhookResource = Union[Transaction, SettlementTransfer, Customer, Mapping[str, Any]]
"""The resource of a K2 webhook; an unknown topic's resource is a read-only mapping."""

_RESOURCE_KINDS: Dict[str, Type[_Model]] = {
    "transaction": Transaction,
    "settlement_transfer": SettlementTransfer,
    "customer": Customer,
}


@dataclass(frozen=True)
class WebhookEvent(_Model):
    """A webhook in the K2 (default) payload structure."""

    id: str
    topic: str
    created_at: Optional[_dt.datetime]
    event_type: Optional[str]
    resource: Any
    links: Links
    structure: str = "k2"

    @classmethod
    def _from_json(cls: Type[M], data: Mapping[str, Any]) -> M:
        res = data.get("resource")
        kind = res.get("kind") if isinstance(res, dict) else None
        value = res.get("value") if isinstance(res, dict) else None
        resource_cls = _RESOURCE_KINDS.get(kind or "")
        resource: Any
        if resource_cls is not None:
            resource = resource_cls._from_json(value if isinstance(value, dict) else {})
        else:
            resource = _freeze(value)
        obj = cls(  # type: ignore[call-arg]
            id=_convert(str, data.get("id")),
            topic=_convert(str, data.get("topic")),
            created_at=_parse_timestamp(data.get("created_at")),
            event_type=data.get("event_type"),
            resource=resource,
            links=Links._from_json(data.get("links") or {}),
        )
        object.__setattr__(obj, "_raw", data)
        return obj


@dataclass(frozen=True)
class DarajaEvent(_Model):
    """A webhook in the Daraja payload structure (``enable_daraja_payload``)."""

    topic: str
    transaction_type: str = field(metadata={"key": "TransactionType"})
    trans_id: str = field(metadata={"key": "TransID"})
    trans_time: Optional[_dt.datetime] = field(metadata={"key": "TransTime"})
    trans_amount: Optional[Decimal] = field(metadata={"key": "TransAmount"})
    business_short_code: Optional[str] = field(metadata={"key": "BusinessShortCode"})
    bill_ref_number: Optional[str] = field(metadata={"key": "BillRefNumber"})
    invoice_number: Optional[str] = field(metadata={"key": "InvoiceNumber"})
    org_account_balance: Optional[str] = field(metadata={"key": "OrgAccountBalance"})
    third_party_trans_id: Optional[str] = field(metadata={"key": "ThirdPartyTransId"})
    msisdn: Optional[str] = field(metadata={"key": "MSISDN"})
    first_name: Optional[str] = field(metadata={"key": "FirstName"})
    middle_name: Optional[str] = field(metadata={"key": "MiddleName"})
    last_name: Optional[str] = field(metadata={"key": "LastName"})
    structure: str = "daraja"


@dataclass(frozen=True)
class UnknownResult(_Model):
    """A result callback of a type this version does not know."""

    result_type: str
    raw: Mapping[str, Any]


Webhook = Union[WebhookEvent, DarajaEvent]
CallbackResult = Union[
    IncomingPayment, SendMoney, Polling, SmsNotification, Reversal, PaymentLink, UnknownResult
]

_RESULT_KINDS: Dict[str, Type[_Model]] = {
    "incoming_payment": IncomingPayment,
    "send_money": SendMoney,
    "polling": Polling,
    "sms_notification": SmsNotification,
    "reversal": Reversal,
    "payment_link": PaymentLink,
}


class _ParsedLike(Protocol):
    @property
    def kind(self) -> str: ...

    def json(self) -> str: ...


def webhook_from_parsed(parsed: _ParsedLike, loads: Callable[[str], Any]) -> Webhook:
    """A lazy typed webhook from the core's parsed value (``kind`` is the structure)."""
    cls: Type[_Model] = DarajaEvent if parsed.kind == "daraja" else WebhookEvent
    return cls._lazy(lambda: loads(parsed.json()))  # type: ignore[return-value]


def result_from_parsed(parsed: _ParsedLike, loads: Callable[[str], Any]) -> CallbackResult:
    """A lazy typed result from the core's parsed value (``kind`` is the result kind)."""
    cls = _RESULT_KINDS.get(parsed.kind)
    if cls is None:
        return result_from_json(loads(parsed.json()))
    return cls._lazy(lambda: loads(parsed.json())["value"])  # type: ignore[return-value]


def result_from_json(data: Mapping[str, Any]) -> CallbackResult:
    kind = data.get("kind")
    value = data.get("value")
    cls = _RESULT_KINDS.get(kind if isinstance(kind, str) else "")
    if cls is not None and isinstance(value, dict):
        return cls._from_json(value)  # type: ignore[return-value]
    v = value if isinstance(value, dict) else {}
    return UnknownResult._from_json(v)
