"""kopokopo: the Kopo Kopo (K2 Connect) payments API.

STK push, send money, payment links, reversals, polling, SMS notifications
and signed webhooks, backed by the project's single Rust implementation.

``kopokopo.Client`` blocks (share it between threads); ``kopokopo.AsyncClient``
is the same API for ``asyncio``. Receiving: ``kopokopo.parse_webhook`` /
``parse_result``, and the optional framework helpers ``kopokopo.fastapi``,
``kopokopo.flask`` and ``kopokopo.django`` (imported only when you import them).
"""

from . import _models
from ._async_client import DEFAULT_MAX_CONCURRENCY, AsyncClient
from ._client import Amount, Client, Seconds, Timestamp
from ._errors import (
    ApiError,
    AuthenticationError,
    DecodeError,
    InternalError,
    InvalidArgumentError,
    KopoKopoError,
    RateLimitError,
    SignatureError,
    TimeoutError,  # noqa: A004 (kopokopo.TimeoutError, deliberately)
    TransportError,
)
from ._kopokopo import (
    NETWORK_SAFARICOM,
    OPERATIONS,
    PAYMENT_CHANNEL_MPESA,
    PAYMENT_CHANNEL_STK_PUSH,
    PRODUCTION_URL,
    SANDBOX_URL,
)
from ._models import *  # noqa: F403 (every generated model class)
from ._version import __version__
from ._webhooks import SIGNATURE_HEADER, parse_result, parse_webhook, sign, verify, verify_signature
from .receiving import InMemoryDedupe, event_key

__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "DEFAULT_MAX_CONCURRENCY",
    "Amount",
    "Timestamp",
    "Seconds",
    "OPERATIONS",
    "SANDBOX_URL",
    "PRODUCTION_URL",
    "NETWORK_SAFARICOM",
    "PAYMENT_CHANNEL_STK_PUSH",
    "PAYMENT_CHANNEL_MPESA",
    "SIGNATURE_HEADER",
    "sign",
    "verify",
    "verify_signature",
    "parse_webhook",
    "parse_result",
    "InMemoryDedupe",
    "event_key",
    "KopoKopoError",
    "InvalidArgumentError",
    "AuthenticationError",
    "ApiError",
    "RateLimitError",
    "TransportError",
    "TimeoutError",
    "SignatureError",
    "DecodeError",
    "InternalError",
]
__all__ += _models.__all__
