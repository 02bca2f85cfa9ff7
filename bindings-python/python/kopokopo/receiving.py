"""Receiving webhooks and result callbacks: what every framework helper shares.

The framework helpers (:mod:`kopokopo.fastapi`, :mod:`kopokopo.flask`,
:mod:`kopokopo.django`) only move bytes and status codes; this module holds
the rest, with no framework imported:

* :class:`Receiver`: the body cap (``413``) and the mapping of the core's
  verification errors onto HTTP statuses (``401`` bad or missing signature,
  ``400`` a verified body that does not parse). Verification and parsing are
  the core's (:func:`kopokopo.parse_webhook` / :func:`kopokopo.parse_result`,
  or a client's ``webhooks`` group).
* :class:`InMemoryDedupe`: remembers event ids for a while, to show the safe
  receiving pattern (Kopo Kopo retries a delivery that was not answered
  ``2xx``, so the same event can arrive more than once).

The safe pattern, which the examples in ``examples/python`` follow:

1. verify and parse (the helper);
2. skip an event already stored (dedupe by its id, :func:`event_key`);
3. store it durably, and answer ``200`` only after it is stored: if storing
   fails, answer ``5xx`` (and forget the id) so Kopo Kopo delivers it again;
4. process it asynchronously (a worker reads the store), never in the request.

``InMemoryDedupe`` lives in one process and forgets everything on restart:
in production, with several workers or hosts, use a shared store (a unique
key in your database, or Redis ``SET key NX EX ttl``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Optional, Union, cast

from ._base import _UNIONS
from ._convert import Body
from ._errors import InvalidArgumentError, KopoKopoError, SignatureError
from ._models import CallbackResult, DarajaEvent, UnknownResult, Webhook, WebhookEvent
from ._webhooks import SIGNATURE_HEADER, parse_result, parse_webhook

if TYPE_CHECKING:
    from ._async_client import AsyncClient
    from ._client import Client

__all__ = ["DEFAULT_MAX_BODY", "SIGNATURE_HEADER", "RequestRejectedError", "Receiver", "InMemoryDedupe", "event_key"]

DEFAULT_MAX_BODY = 1024 * 1024
"""1 MiB: Kopo Kopo's events are a few KiB. The signature covers the whole body,
so it can only be checked once the body is in memory: the cap bounds what an
unauthenticated sender can make the receiver buffer."""


class RequestRejectedError(Exception):
    """A request the receiver refuses: ``status`` (413, 401 or 400; 500 when the
    receiver itself has no API key) and a short ``reason``.

    The framework helpers answer it as ``status`` with ``reason`` as the body.
    ``error`` is the core's exception, when there is one.
    """

    def __init__(self, status: int, reason: str, error: Optional[KopoKopoError] = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.error = error


class Receiver:
    """Verifies and parses webhooks and results for one API key.

    Give either ``api_key`` (the one that signs your events) or ``client`` (a
    :class:`kopokopo.Client` or :class:`kopokopo.AsyncClient` configured
    with ``api_key``). ``max_body`` (default 1 MiB) is the body cap.
    """

    __slots__ = ("_parse_result", "_parse_webhook", "max_body")

    def __init__(
        self,
        *,
        api_key: Optional[str] = None,
        client: Optional[Union[Client, AsyncClient]] = None,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        if (api_key is None) == (client is None):
            raise TypeError("give exactly one of api_key= or client=")
        if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body < 1:
            raise ValueError("max_body must be a positive number of bytes")
        self.max_body = max_body
        self._parse_webhook: Callable[[Body, Optional[str]], Webhook]
        self._parse_result: Callable[[Body, Optional[str]], CallbackResult]
        if client is not None:
            self._parse_webhook = client.webhooks.parse_webhook
            self._parse_result = client.webhooks.parse_result
        else:
            key: str = api_key or ""
            self._parse_webhook = lambda body, signature: parse_webhook(body, signature, key)
            self._parse_result = lambda body, signature: parse_result(body, signature, key)

    def check_length(self, declared: Optional[Union[str, int]]) -> None:
        """Raises ``RequestRejectedError(413)`` when a declared ``Content-Length`` is over the cap
        (before anything is read)."""
        if declared is None or declared == "":
            return
        try:
            n = int(declared)
        except ValueError:
            raise RequestRejectedError(400, "invalid content-length") from None
        if n > self.max_body:
            raise RequestRejectedError(413, "body too large")

    def check_size(self, received: int) -> None:
        """Raises ``RequestRejectedError(413)`` once more than ``max_body`` bytes were read."""
        if received > self.max_body:
            raise RequestRejectedError(413, "body too large")

    def webhook(self, body: Body, signature: Optional[str]) -> Webhook:
        """The verified, parsed webhook, or :class:`RequestRejectedError` (413, 401 or 400)."""
        return cast(Webhook, self._run(self._parse_webhook, body, signature))

    def result(self, body: Body, signature: Optional[str]) -> CallbackResult:
        """The verified, parsed result callback, or :class:`RequestRejectedError` (413, 401 or 400)."""
        return cast(CallbackResult, self._run(self._parse_result, body, signature))

    def _run(self, parse: Callable[[Body, Optional[str]], Any], body: Body, signature: Optional[str]) -> Any:
        self.check_size(len(body))
        try:
            return parse(body, signature)
        except SignatureError as e:
            raise RequestRejectedError(401, "invalid signature", e) from e
        except InvalidArgumentError as e:
            if e.field != "api_key":
                raise RequestRejectedError(400, f"bad payload: {e.code}", e) from e
            # No API key configured: the receiver's fault, not the sender's. 500
            # makes Kopo Kopo deliver the event again once it is fixed.
            raise RequestRejectedError(500, "receiver has no API key configured", e) from e
        except KopoKopoError as e:
            raise RequestRejectedError(400, f"bad payload: {e.code}", e) from e


def event_key(event: Union[Webhook, CallbackResult]) -> str:
    """The key to deduplicate ``event`` by: the same rule in every binding
    (Node's ``eventId``):

    * a K2-structure webhook: ``webhook:<id>``;
    * a Daraja-structure webhook (no id): ``daraja:<TransID>``;
    * a result: ``result:<kind>:<id>:<status>`` (``kind`` as in
      ``CallbackResult``: ``incoming_payment``, ``send_money``...), so a later
      status of the same resource is a new event; a result of an unknown type:
      ``result:unknown:<data.type>:<data.id>:<status>``.

    Raises ``ValueError`` for an event without an id."""
    key = ""
    if isinstance(event, WebhookEvent):
        key = f"webhook:{event.id}" if event.id else ""
    elif isinstance(event, DarajaEvent):
        key = f"daraja:{event.trans_id}" if event.trans_id else ""
    elif isinstance(event, UnknownResult):
        raw: Any = event.raw
        data: Any = raw.get("data") if isinstance(raw, Mapping) else None
        data = data if isinstance(data, Mapping) else {}
        attributes: Any = data.get("attributes")
        status = attributes.get("status") if isinstance(attributes, Mapping) else None
        rid = data.get("id")
        if isinstance(rid, str) and rid:
            key = f"result:unknown:{event.result_type}:{rid}:{status or ''}"
    else:
        kind = _UNIONS["CallbackResult"][2].get(type(event))
        rid = getattr(event, "id", None)
        if kind and rid:
            key = f"result:{kind}:{rid}:{getattr(event, 'status', None) or ''}"
    if not key:
        raise ValueError(f"{type(event).__name__} has no id to deduplicate by")
    return key


class InMemoryDedupe:
    """Remembers keys (event ids) for ``ttl`` seconds; thread-safe.

    >>> seen = kopokopo.InMemoryDedupe(ttl=24 * 3600)
    >>> if seen.first_time(kopokopo.event_key(event)):
    ...     store(event)          # on failure: seen.forget(key), answer 5xx

    At most ``max_entries`` keys are kept (the oldest are forgotten first).
    One process only, and lost on restart: production needs a shared store
    (a unique database key, Redis ``SET NX EX``...).
    """

    __slots__ = ("_clock", "_entries", "_lock", "max_entries", "ttl")

    def __init__(
        self,
        ttl: float = 24 * 3600,
        *,
        max_entries: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl <= 0 or max_entries < 1:
            raise ValueError("ttl and max_entries must be positive")
        self.ttl = float(ttl)
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._entries:
            key, expires = next(iter(self._entries.items()))
            if expires > now and len(self._entries) <= self.max_entries:
                break
            del self._entries[key]

    def first_time(self, key: str) -> bool:
        """Marks ``key`` as seen; ``True`` if it was not seen within the TTL (atomic)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            if key in self._entries:
                return False
            self._entries[key] = now + self.ttl
            self._expire(now)
            return True

    def forget(self, key: str) -> None:
        """Unmarks ``key`` (storing the event failed: let the redelivery through)."""
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        """Forgets every event seen so far."""
        with self._lock:
            self._entries.clear()

    def __contains__(self, key: object) -> bool:
        with self._lock:
            now = self._clock()
            self._expire(now)
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._entries)

    def __repr__(self) -> str:
        return f"kopokopo.InMemoryDedupe(ttl={self.ttl!r}, entries={len(self)})"
