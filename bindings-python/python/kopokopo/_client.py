"""``kopokopo.Client`` and its endpoint groups.

Each method turns its keyword arguments (the core's field names) into JSON,
runs the core operation of the same name through the native client (which
releases the GIL while the request is in flight) and turns the JSON result
into a frozen dataclass. One client may be shared by any number of threads.
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
from decimal import Decimal
from typing import Any, Mapping, Optional, Sequence, Type, TypeVar, Union

from . import _kopokopo
from ._convert import Body, body_bytes, params_json, result_json
from ._models import (
    AccessToken,
    CallbackResult,
    CancelledPaymentLink,
    Created,
    IncomingPayment,
    PaymentLink,
    Polling,
    Reversal,
    SendMoney,
    SmsNotification,
    TokenInfo,
    TokenIntrospection,
    Webhook,
    _Model,
    result_from_parsed,
    webhook_from_parsed,
)
from ._version import __version__

__all__ = ["Client", "Amount", "Timestamp"]

Amount = Union[Decimal, int, str]
"""An amount of money: ``Decimal("150.00")``, ``150`` or ``"150.00"`` (never a float)."""

Timestamp = Union[str, _dt.datetime]
"""An ISO 8601 timestamp, as text or a (preferably timezone-aware) datetime."""

M = TypeVar("M", bound=_Model)


def _user_agent_suffix() -> str:
    v = sys.version_info
    return f"python/{__version__}; {platform.python_implementation()} {v.major}.{v.minor}"


class _Group:
    __slots__ = ("_native",)

    def __init__(self, native: _kopokopo.NativeClient) -> None:
        self._native = native

    def _run(self, operation: str, params: Mapping[str, Any]) -> Any:
        return result_json(self._native.execute(operation, params_json(params)))

    def _typed(self, cls: Type[M], operation: str, params: Mapping[str, Any]) -> M:
        return cls._from_json(self._run(operation, params))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._native!r}>"


class Tokens(_Group):
    """Access tokens (the client also fetches and caches them by itself)."""

    __slots__ = ()

    def request(self) -> AccessToken:
        """``POST /oauth/token``: a new access token."""
        return self._typed(AccessToken, "request_access_token", {})

    def revoke(self, token: str) -> None:
        """``POST /oauth/revoke``."""
        self._run("revoke_access_token", {"token": token})

    def introspect(self, token: str) -> TokenIntrospection:
        """``POST /oauth/introspect``."""
        return self._typed(TokenIntrospection, "introspect_access_token", {"token": token})

    def info(self) -> TokenInfo:
        """``GET /oauth/token/info`` for the client's current token."""
        return self._typed(TokenInfo, "token_info", {})


class Webhooks(_Group):
    """Webhook subscriptions, and verification with the configured API key."""

    __slots__ = ()

    def subscribe(
        self,
        *,
        event_type: str,
        url: str,
        scope: str,
        scope_reference: Optional[str] = None,
        enable_daraja_payload: Optional[bool] = None,
    ) -> Created:
        """``POST /api/v2/webhook_subscriptions``."""
        return self._typed(
            Created,
            "create_webhook_subscription",
            {
                "event_type": event_type,
                "url": url,
                "scope": scope,
                "scope_reference": scope_reference,
                "enable_daraja_payload": enable_daraja_payload,
            },
        )

    def verify(self, body: Body, signature: Optional[str]) -> bool:
        """Whether ``signature`` matches the raw ``body``.

        Raises :class:`InvalidArgumentError` (``field == "api_key"``) when the
        client has no API key, like :meth:`parse_webhook`.
        """
        return self._native.verify_signature(body_bytes(body), signature)

    def parse_webhook(self, body: Body, signature: Optional[str]) -> Webhook:
        """Verifies (raises :class:`SignatureError`) and parses a webhook."""
        return webhook_from_parsed(self._native.parse_webhook(body_bytes(body), signature), result_json)

    def parse_result(self, body: Body, signature: Optional[str]) -> CallbackResult:
        """Verifies (raises :class:`SignatureError`) and parses a result callback."""
        return result_from_parsed(self._native.parse_result(body_bytes(body), signature), result_json)


class IncomingPayments(_Group):
    """M-PESA STK push."""

    __slots__ = ()

    def create(
        self,
        *,
        till_number: str,
        phone_number: str,
        amount: Amount,
        callback_url: str,
        payment_channel: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        email: Optional[str] = None,
        currency: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Created:
        """``POST /api/v2/incoming_payments``.

        ``payment_channel`` defaults to :data:`kopokopo.PAYMENT_CHANNEL_STK_PUSH`
        (:data:`kopokopo.PAYMENT_CHANNEL_MPESA` is the other documented value).
        """
        return self._typed(
            Created,
            "create_incoming_payment",
            {
                "till_number": till_number,
                "phone_number": phone_number,
                "amount": amount,
                "callback_url": callback_url,
                "payment_channel": payment_channel,
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
                "currency": currency,
                "metadata": metadata,
            },
        )

    def status(self, id_or_location: str) -> IncomingPayment:
        """``GET /api/v2/incoming_payments/{id}`` (an id or the ``location`` URL)."""
        return self._typed(IncomingPayment, "get_incoming_payment", {"id": id_or_location})


class MerchantWallets(_Group):
    __slots__ = ()

    def create(
        self,
        *,
        network: str,
        first_name: str,
        last_name: str,
        phone_number: str,
        nickname: Optional[str] = None,
    ) -> Created:
        """``POST /api/v2/merchant_wallets``. ``network``: :data:`kopokopo.NETWORK_SAFARICOM`."""
        return self._typed(
            Created,
            "create_merchant_wallet",
            {
                "network": network,
                "first_name": first_name,
                "last_name": last_name,
                "phone_number": phone_number,
                "nickname": nickname,
            },
        )


class MerchantBankAccounts(_Group):
    __slots__ = ()

    def create(
        self,
        *,
        account_name: str,
        bank_branch_ref: str,
        account_number: str,
        settlement_method: str,
        nickname: Optional[str] = None,
    ) -> Created:
        """``POST /api/v2/merchant_bank_accounts``."""
        return self._typed(
            Created,
            "create_merchant_bank_account",
            {
                "account_name": account_name,
                "bank_branch_ref": bank_branch_ref,
                "account_number": account_number,
                "settlement_method": settlement_method,
                "nickname": nickname,
            },
        )


class ExternalRecipients(_Group):
    __slots__ = ()

    def create(
        self,
        *,
        type: str,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        phone_number: Optional[str] = None,
        network: Optional[str] = None,
        email: Optional[str] = None,
        nickname: Optional[str] = None,
        account_name: Optional[str] = None,
        bank_branch_ref: Optional[str] = None,
        account_number: Optional[str] = None,
        settlement_method: Optional[str] = None,
        till_name: Optional[str] = None,
        till_number: Optional[str] = None,
        paybill_name: Optional[str] = None,
        paybill_number: Optional[str] = None,
        paybill_account_number: Optional[str] = None,
    ) -> Created:
        """``POST /api/v2/external_recipients``.

        ``type`` is ``mobile_wallet``, ``bank_account``, ``till`` or ``paybill``;
        pass that type's fields.
        """
        return self._typed(
            Created,
            "create_external_recipient",
            {
                "type": type,
                "first_name": first_name,
                "last_name": last_name,
                "phone_number": phone_number,
                "network": network,
                "email": email,
                "nickname": nickname,
                "account_name": account_name,
                "bank_branch_ref": bank_branch_ref,
                "account_number": account_number,
                "settlement_method": settlement_method,
                "till_name": till_name,
                "till_number": till_number,
                "paybill_name": paybill_name,
                "paybill_number": paybill_number,
                "paybill_account_number": paybill_account_number,
            },
        )


class SendMoneyApi(_Group):
    __slots__ = ()

    def create(
        self,
        *,
        callback_url: str,
        destinations: Optional[Sequence[Mapping[str, Any]]] = None,
        source_identifier: Optional[str] = None,
        currency: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Created:
        """``POST /api/v2/send_money``.

        Each destination is a mapping with a ``type`` (``mobile_wallet``,
        ``bank_account``, ``till``, ``paybill``, ``merchant_wallet``,
        ``merchant_bank_account``) and that type's fields, e.g.
        ``{"type": "mobile_wallet", "phone_number": "0712345678",
        "network": "Safaricom", "amount": Decimal("100"), "description": "Salary"}``.
        No destinations sends to your own accounts.
        """
        return self._typed(
            Created,
            "send_money",
            {
                "destinations": list(destinations) if destinations is not None else None,
                "source_identifier": source_identifier,
                "currency": currency,
                "callback_url": callback_url,
                "metadata": metadata,
            },
        )

    def status(self, id_or_location: str) -> SendMoney:
        """``GET /api/v2/send_money/{id}``."""
        return self._typed(SendMoney, "get_send_money", {"id": id_or_location})


class PollingApi(_Group):
    __slots__ = ()

    def create(
        self,
        *,
        scope: str,
        from_time: Timestamp,
        to_time: Timestamp,
        callback_url: str,
        scope_reference: Optional[str] = None,
    ) -> Created:
        """``POST /api/v2/polling``."""
        return self._typed(
            Created,
            "create_polling",
            {
                "scope": scope,
                "scope_reference": scope_reference,
                "from_time": from_time,
                "to_time": to_time,
                "callback_url": callback_url,
            },
        )

    def status(self, id_or_location: str) -> Polling:
        """``GET /api/v2/polling/{id}``."""
        return self._typed(Polling, "get_polling", {"id": id_or_location})


class SmsNotifications(_Group):
    __slots__ = ()

    def create(self, *, webhook_event_reference: str, message: str, callback_url: str) -> Created:
        """``POST /api/v1/transaction_sms_notifications``."""
        return self._typed(
            Created,
            "create_transaction_sms_notification",
            {
                "webhook_event_reference": webhook_event_reference,
                "message": message,
                "callback_url": callback_url,
            },
        )

    def status(self, id_or_location: str) -> SmsNotification:
        """``GET /api/v1/transaction_sms_notifications/{id}``."""
        return self._typed(SmsNotification, "get_transaction_sms_notification", {"id": id_or_location})


class Reversals(_Group):
    __slots__ = ()

    def create(
        self,
        *,
        transaction_reference: str,
        reason: str,
        callback_url: str,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Created:
        """``POST /api/v2/reversals``."""
        return self._typed(
            Created,
            "create_reversal",
            {
                "transaction_reference": transaction_reference,
                "reason": reason,
                "callback_url": callback_url,
                "metadata": metadata,
            },
        )

    def status(self, id_or_location: str) -> Reversal:
        """``GET /api/v2/reversals/{id}``."""
        return self._typed(Reversal, "get_reversal", {"id": id_or_location})


class PaymentLinks(_Group):
    __slots__ = ()

    def create(
        self,
        *,
        till_number: str,
        amount: Amount,
        callback_url: str,
        currency: Optional[str] = None,
        payment_reference: Optional[str] = None,
        note: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Created:
        """``POST /api/v2/payment_links``."""
        return self._typed(
            Created,
            "create_payment_link",
            {
                "till_number": till_number,
                "currency": currency,
                "amount": amount,
                "payment_reference": payment_reference,
                "note": note,
                "callback_url": callback_url,
                "metadata": metadata,
            },
        )

    def status(self, id_or_location: str) -> PaymentLink:
        """``GET /api/v2/payment_links/{id}``."""
        return self._typed(PaymentLink, "get_payment_link", {"id": id_or_location})

    def cancel(self, id_or_location: str) -> CancelledPaymentLink:
        """``POST /api/v2/payment_links/{id}/cancel``."""
        return self._typed(CancelledPaymentLink, "cancel_payment_link", {"id": id_or_location})


class Client:
    """A Kopo Kopo API client.

    >>> client = kopokopo.Client(client_id="...", client_secret="...",
    ...                          api_key="...", base_url=kopokopo.SANDBOX_URL)

    ``base_url`` defaults to the sandbox. ``timeout`` (default 30) is each
    call's whole deadline in seconds: waiting for a token, every attempt and
    every backoff together; ``connect_timeout`` (default 10) bounds opening a
    connection; both at most 3600. ``max_retries`` applies to GETs and token
    requests only (payments are never sent twice). ``proxy``: ``None`` or
    ``"env"`` reads ``HTTPS_PROXY``/``ALL_PROXY`` (honouring ``NO_PROXY``;
    ``HTTP_PROXY`` is never used), ``"none"`` connects directly, anything else
    is the proxy URL; loopback hosts are never proxied. Tokens are fetched,
    cached and refreshed by the client. Every call blocks without holding the
    GIL; share one client between threads.
    """

    __slots__ = (
        "_native",
        "tokens",
        "webhooks",
        "incoming_payments",
        "merchant_wallets",
        "merchant_bank_accounts",
        "external_recipients",
        "send_money",
        "polling",
        "sms_notifications",
        "reversals",
        "payment_links",
    )

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        connect_timeout: Optional[float] = None,
        proxy: Optional[str] = None,
    ) -> None:
        native = _kopokopo.NativeClient(
            client_id,
            client_secret,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            user_agent_suffix=_user_agent_suffix(),
            proxy=proxy,
        )
        self._native = native
        self.tokens = Tokens(native)
        self.webhooks = Webhooks(native)
        self.incoming_payments = IncomingPayments(native)
        self.merchant_wallets = MerchantWallets(native)
        self.merchant_bank_accounts = MerchantBankAccounts(native)
        self.external_recipients = ExternalRecipients(native)
        self.send_money = SendMoneyApi(native)
        self.polling = PollingApi(native)
        self.sms_notifications = SmsNotifications(native)
        self.reversals = Reversals(native)
        self.payment_links = PaymentLinks(native)

    @property
    def client_id(self) -> str:
        return self._native.client_id

    @property
    def base_url(self) -> str:
        return self._native.base_url

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` sent with every request."""
        return self._native.user_agent

    @property
    def timeout(self) -> float:
        return self._native.timeout

    @property
    def connect_timeout(self) -> float:
        return self._native.connect_timeout

    @property
    def max_retries(self) -> int:
        return self._native.max_retries

    def execute(self, operation: str, **params: Any) -> Any:
        """Runs a core operation by name (see ``kopokopo.OPERATIONS``) and
        returns its JSON result as plain Python data (amounts as Decimal)."""
        return result_json(self._native.execute(operation, params_json(params)))

    def __repr__(self) -> str:
        return f"kopokopo.Client(client_id={self.client_id!r}, base_url={self.base_url!r})"

    def __reduce__(self) -> Any:
        raise TypeError("kopokopo.Client cannot be pickled (it holds credentials)")
