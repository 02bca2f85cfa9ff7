"""The hand-written half of the operation groups (``_operations.py`` is generated).

A group method turns its keyword arguments into the core's JSON parameters
and runs the core operation through the native client, which releases the
GIL while the request is in flight and builds the typed result directly.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Mapping, Optional, Type, TypeVar, Union, cast

from . import _kopokopo
from ._convert import Body, body_bytes, params_json
from ._models import CallbackResult, Webhook

__all__ = ["Amount", "Timestamp", "WebhookVerification"]

Amount = Union[Decimal, int, str]
"""An amount of money: ``Decimal("150.00")``, ``150`` or ``"150.00"`` (never a float)."""

Timestamp = Union[str, _dt.datetime]
"""An ISO 8601 timestamp, as text or a (preferably timezone-aware) datetime."""

M = TypeVar("M")


class _Group:
    __slots__ = ("_native",)

    def __init__(self, native: _kopokopo.NativeClient) -> None:
        self._native = native

    def _call(self, cls: Type[M], operation: str, params: Mapping[str, Any]) -> M:
        return cast(M, self._native.call(operation, params_json(params)))

    def _call_none(self, operation: str, params: Mapping[str, Any]) -> None:
        self._native.call(operation, params_json(params))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._native!r}>"


class WebhookVerification:
    """``client.webhooks``: verification with the client's API key."""

    __slots__ = ()
    _native: _kopokopo.NativeClient

    def verify(self, body: Body, signature: Optional[str]) -> bool:
        """Whether ``signature`` matches the raw ``body``.

        Raises :class:`InvalidArgumentError` (``field == "api_key"``) when the
        client has no API key, like :meth:`parse_webhook`.
        """
        return self._native.verify_signature(body_bytes(body), signature)

    def parse_webhook(self, body: Body, signature: Optional[str]) -> Webhook:
        """Verifies (raises :class:`SignatureError`) and parses a webhook."""
        return cast(Webhook, self._native.parse_webhook_object(body_bytes(body), signature))

    def parse_result(self, body: Body, signature: Optional[str]) -> CallbackResult:
        """Verifies (raises :class:`SignatureError`) and parses a result callback."""
        return cast(CallbackResult, self._native.parse_result_object(body_bytes(body), signature))
