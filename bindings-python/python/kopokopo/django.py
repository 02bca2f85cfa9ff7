"""Django view decorators for Kopo Kopo webhooks and result callbacks (sync and async views).

Install with ``pip install "kopokopo[django]"``; importing :mod:`kopokopo`
alone never imports Django.

>>> import kopokopo
>>> from kopokopo.django import WebhookView
>>> k2 = WebhookView(api_key=settings.K2_API_KEY)     # or client=my_client
>>> @k2.webhook
... def webhooks(request, event: kopokopo.Webhook) -> HttpResponse:
...     ...                                            # verified and parsed
...     return HttpResponse("ok")
>>> @k2.result
... async def results(request, result: kopokopo.CallbackResult) -> HttpResponse:
...     ...

The decorated view is called as ``view(request, event, *args, **kwargs)``.
The decorator makes the view CSRF-exempt (Kopo Kopo cannot send a CSRF
token; the signature authenticates the request), answers ``405`` to
anything but ``POST``, reads the raw body up to ``max_body`` (default 1 MiB)
and answers for you: ``413`` over the cap, ``401`` for a missing or wrong
signature, ``400`` for a signed body that does not parse. ``async def``
views stay async. See :mod:`kopokopo.receiving` for the safe pattern (store
before answering 200, dedupe by id, process asynchronously).
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar, Union, cast

from django.http import HttpResponse, HttpResponseNotAllowed

from .receiving import DEFAULT_MAX_BODY, SIGNATURE_HEADER, Receiver, RequestRejectedError

if TYPE_CHECKING:
    from ._async_client import AsyncClient
    from ._client import Client

__all__ = ["WebhookView", "read_body"]

F = TypeVar("F", bound=Callable[..., Any])

_CHUNK = 64 * 1024


def read_body(request: Any, receiver: Receiver) -> bytes:
    """The raw body of a Django ``HttpRequest``, exactly as received; ``RequestRejectedError(413)`` over the cap."""
    receiver.check_length(request.META.get("CONTENT_LENGTH"))
    body = bytearray()
    while True:
        chunk = request.read(_CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        receiver.check_size(len(body))


class WebhookView:
    """``@k2.webhook`` / ``@k2.result``: the view receives the verified, parsed event.

    Give ``api_key`` or ``client`` (a :class:`kopokopo.Client` or
    :class:`kopokopo.AsyncClient` configured with ``api_key``); ``max_body``
    caps the body (bytes).
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
        """Decorates a view taking ``(request, webhook)``."""
        return self._wrap(view, self.receiver.webhook)

    def result(self, view: F) -> F:
        """Decorates a view taking ``(request, result)``."""
        return self._wrap(view, self.receiver.result)

    def _wrap(self, view: F, parse: Callable[[bytes, Optional[str]], Any]) -> F:
        receiver = self.receiver

        def event(request: Any) -> Any:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            try:
                body = read_body(request, receiver)
                return parse(body, request.headers.get(SIGNATURE_HEADER))
            except RequestRejectedError as e:
                return HttpResponse(e.reason, status=e.status, content_type="text/plain")

        if inspect.iscoroutinefunction(view):

            @functools.wraps(view)
            async def async_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                ev = event(request)
                if isinstance(ev, HttpResponse):
                    return ev
                return await view(request, ev, *args, **kwargs)

            wrapped: Any = async_wrapper
        else:

            @functools.wraps(view)
            def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                ev = event(request)
                if isinstance(ev, HttpResponse):
                    return ev
                return view(request, ev, *args, **kwargs)

            wrapped = wrapper
        wrapped.csrf_exempt = True  # what django.views.decorators.csrf.csrf_exempt sets
        return cast(F, wrapped)
