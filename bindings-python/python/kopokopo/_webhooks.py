"""Webhook and result-callback signatures, and typed events.

Always pass the **raw request body** exactly as received (bytes), never
re-serialised JSON: the signature is an HMAC-SHA256 over those bytes.
"""

from __future__ import annotations

from typing import Optional, cast

from . import _kopokopo
from ._convert import Body, body_bytes
from ._models import CallbackResult, Webhook

__all__ = ["SIGNATURE_HEADER", "sign", "verify_signature", "verify", "parse_webhook", "parse_result"]

SIGNATURE_HEADER: str = _kopokopo.SIGNATURE_HEADER
"""``X-KopoKopo-Signature``: the header carrying the signature."""

_parse_webhook = _kopokopo.parse_webhook_object
_parse_result = _kopokopo.parse_result_object


def sign(body: Body, api_key: str) -> str:
    """The signature Kopo Kopo sends for ``body``: hex HMAC-SHA256 keyed by the API key."""
    return _kopokopo.sign(body_bytes(body), api_key)


def verify_signature(body: Body, signature: Optional[str], api_key: str) -> bool:
    """Whether ``signature`` is valid for the raw ``body`` (constant-time)."""
    return _kopokopo.verify_signature(body_bytes(body), signature, api_key)


def verify(body: Body, signature: Optional[str], api_key: str) -> None:
    """Like :func:`verify_signature` but raises :class:`SignatureError` with the reason."""
    _kopokopo.verify(body_bytes(body), signature, api_key)


def parse_webhook(body: Body, signature: Optional[str], api_key: str) -> Webhook:
    """Verifies the signature (raises :class:`SignatureError`) and parses a webhook
    into a :class:`WebhookEvent` (K2 structure) or :class:`DarajaEvent`."""
    return cast(Webhook, _parse_webhook(body if type(body) is bytes else body_bytes(body), signature, api_key))


def parse_result(body: Body, signature: Optional[str], api_key: str) -> CallbackResult:
    """Verifies the signature (raises :class:`SignatureError`) and parses a result
    POSTed to a ``callback_url`` (an :class:`IncomingPayment`, :class:`SendMoney`,
    :class:`Polling`, :class:`SmsNotification`, :class:`Reversal`,
    :class:`PaymentLink` or :class:`UnknownResult`)."""
    return cast(CallbackResult, _parse_result(body if type(body) is bytes else body_bytes(body), signature, api_key))
