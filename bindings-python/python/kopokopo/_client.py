"""``kopokopo.Client``.

The operation groups (``client.incoming_payments.create(...)`` and the rest)
are generated from the core's operation table (``_operations.py``); this
module holds only the client's options and ergonomics. One client may be
shared by any number of threads.
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
import warnings
from typing import Any, Optional, Union

from . import _kopokopo
from ._convert import params_json, result_json
from ._group import Amount, Timestamp
from ._operations import _Groups
from ._version import __version__

__all__ = ["Client", "Amount", "Timestamp", "Seconds"]

Seconds = Union[float, int, _dt.timedelta]
"""A duration: a number of seconds or a :class:`datetime.timedelta`."""

# Names the group classes had before the single naming scheme (``<Group>Api``).
_DEPRECATED_GROUP_NAMES = {
    "Tokens": "TokensApi",
    "Webhooks": "WebhooksApi",
    "IncomingPayments": "IncomingPaymentsApi",
    "MerchantWallets": "MerchantWalletsApi",
    "MerchantBankAccounts": "MerchantBankAccountsApi",
    "ExternalRecipients": "ExternalRecipientsApi",
    "SmsNotifications": "SmsNotificationsApi",
    "Reversals": "ReversalsApi",
    "PaymentLinks": "PaymentLinksApi",
}


def __getattr__(name: str) -> Any:
    new = _DEPRECATED_GROUP_NAMES.get(name)
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(f"kopokopo._client.{name} is deprecated: use {new}", DeprecationWarning, stacklevel=2)
    from . import _operations

    return getattr(_operations, new)


def _user_agent_suffix(extra: Optional[str]) -> str:
    v = sys.version_info
    base = f"python/{__version__}; {platform.python_implementation()} {v.major}.{v.minor}"
    return f"{base}; {extra}" if extra else base


def _seconds(value: Optional[Seconds]) -> Optional[Any]:
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    return value


def _native_client(
    client_id: str,
    client_secret: str,
    *,
    api_key: Optional[str],
    base_url: Optional[str],
    timeout: Optional[Seconds],
    max_retries: Optional[int],
    connect_timeout: Optional[Seconds],
    proxy: Optional[str],
    user_agent_suffix: Optional[str],
) -> _kopokopo.NativeClient:
    """The core client with these options (shared by Client and AsyncClient)."""
    return _kopokopo.NativeClient(
        client_id,
        client_secret,
        api_key=api_key,
        base_url=base_url,
        timeout=_seconds(timeout),
        connect_timeout=_seconds(connect_timeout),
        max_retries=max_retries,
        user_agent_suffix=_user_agent_suffix(user_agent_suffix),
        proxy=proxy,
    )


class Client(_Groups):
    """A Kopo Kopo API client.

    >>> client = kopokopo.Client(client_id="...", client_secret="...",
    ...                          api_key="...", base_url=kopokopo.SANDBOX_URL)

    ``base_url`` defaults to the sandbox. ``timeout`` (default 30) is each
    call's whole deadline in seconds (a number or a ``timedelta``): waiting for
    a token, every attempt and every backoff together; ``connect_timeout``
    (default 10) bounds opening a connection; both at most 3600.
    ``max_retries`` applies to GETs and token requests only (payments are
    never sent twice). ``user_agent_suffix`` is appended to the
    ``User-Agent`` (after the package's own ``python/...`` part). ``proxy``:
    ``None`` or ``"env"`` reads ``HTTPS_PROXY``/``ALL_PROXY`` (honouring
    ``NO_PROXY``; ``HTTP_PROXY`` is never used), ``"none"`` connects directly,
    anything else is the proxy URL; loopback hosts are never proxied. Tokens
    are fetched, cached and refreshed by the client. Every call blocks without
    holding the GIL; share one client between threads.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[Seconds] = None,
        max_retries: Optional[int] = None,
        connect_timeout: Optional[Seconds] = None,
        proxy: Optional[str] = None,
        user_agent_suffix: Optional[str] = None,
    ) -> None:
        native = _native_client(
            client_id,
            client_secret,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            user_agent_suffix=user_agent_suffix,
            proxy=proxy,
        )
        self._native = native
        self._init_groups(native)

    @property
    def client_id(self) -> str:
        """The OAuth client id this client authenticates with."""
        return self._native.client_id

    @property
    def base_url(self) -> str:
        """The API base URL in use (the sandbox unless configured)."""
        return self._native.base_url

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` sent with every request."""
        return self._native.user_agent

    @property
    def timeout(self) -> float:
        """Each call's whole deadline, in seconds."""
        return self._native.timeout

    @property
    def connect_timeout(self) -> float:
        """The connect timeout, in seconds."""
        return self._native.connect_timeout

    @property
    def max_retries(self) -> int:
        """Retries of GET and token requests (payments are never retried)."""
        return self._native.max_retries

    def execute(self, operation: str, **params: Any) -> Any:
        """Runs a core operation by name (``group.method``, see
        ``kopokopo.OPERATIONS``; the older names are still accepted) and
        returns its JSON result as plain Python data (amounts as Decimal)."""
        return result_json(self._native.execute(operation, params_json(params)))

    def __repr__(self) -> str:
        return f"kopokopo.Client(client_id={self.client_id!r}, base_url={self.base_url!r})"

    def __reduce__(self) -> Any:
        raise TypeError("kopokopo.Client cannot be pickled (it holds credentials)")
