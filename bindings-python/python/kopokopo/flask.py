"""Flask view decorators for Kopo Kopo webhooks and result callbacks.

Install with ``pip install "kopokopo[flask]"``; importing :mod:`kopokopo`
alone never imports Flask.

>>> from flask import Flask
>>> import kopokopo
>>> from kopokopo.flask import WebhookView
>>> k2 = WebhookView(api_key=API_KEY)                 # or client=my_client
>>> @app.post("/k2/webhooks")
... @k2.webhook
... def webhooks(event: kopokopo.Webhook) -> tuple[str, int]:
...     ...                                            # verified and parsed
...     return "ok", 200

The decorated view receives the verified, parsed event as its first argument
(then the route's own arguments). The decorator reads the raw body up to
``max_body`` (default 1 MiB) and answers for you: ``413`` over the cap
(declared or streamed), ``401`` for a missing or wrong signature, ``400`` for
a signed body that does not parse. ``async def`` views work too (Flask's
``async`` extra). See :mod:`kopokopo.receiving` for the safe pattern (store
before answering 200, dedupe by id, process asynchronously).
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar, Union, cast

from flask import Response, request

from .receiving import DEFAULT_MAX_BODY, SIGNATURE_HEADER, Receiver, RequestRejectedError

if TYPE_CHECKING:
    from ._async_client import AsyncClient
    from ._client import Client

__all__ = ["WebhookView", "read_body"]

F = TypeVar("F", bound=Callable[..., Any])

_CHUNK = 64 * 1024


def read_body(receiver: Receiver) -> bytes:
    """The current request's raw body, exactly as received; ``RequestRejectedError(413)`` over the cap."""
    receiver.check_length(request.content_length)
    stream = request.stream  # Flask's own MAX_CONTENT_LENGTH, when set, also answers 413 here
    body = bytearray()
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        receiver.check_size(len(body))


def _refuse(e: RequestRejectedError) -> Response:
    return Response(e.reason, status=e.status, mimetype="text/plain")


class WebhookView:
    """``@k2.webhook`` / ``@k2.result``: the view receives the verified, parsed event.

    Give ``api_key`` or ``client`` (a :class:`kopokopo.Client` configured
    with ``api_key``); ``max_body`` caps the body (bytes).
    """

    __slots__ = ("receiver",)

    def __init__(
        self,
        *,
        api_key: Optional[str] = None,
        client: Optional[Union[Client, AsyncClient]] = None,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.receiver = Receiver(api_key=api_key, client=client, max_body=max_body)

    def webhook(self, view: F) -> F:
        """Decorates a view taking the webhook (:class:`kopokopo.WebhookEvent` or :class:`kopokopo.DarajaEvent`)."""
        return self._wrap(view, self.receiver.webhook)

    def result(self, view: F) -> F:
        """Decorates a view taking the result callback (:class:`kopokopo.IncomingPayment`, ...)."""
        return self._wrap(view, self.receiver.result)

    def _wrap(self, view: F, parse: Callable[[bytes, Optional[str]], Any]) -> F:
        receiver = self.receiver

        def event() -> Any:
            body = read_body(receiver)
            return parse(body, request.headers.get(SIGNATURE_HEADER))

        if inspect.iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    ev = event()
                except RequestRejectedError as e:
                    return _refuse(e)
                return await view(ev, *args, **kwargs)

            return cast(F, async_wrapper)

        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                ev = event()
            except RequestRejectedError as e:
                return _refuse(e)
            return view(ev, *args, **kwargs)

        return cast(F, wrapper)
