"""FastAPI (and Starlette) dependencies for Kopo Kopo webhooks and result callbacks.

Install with ``pip install "kopokopo[fastapi]"``; importing :mod:`kopokopo`
alone never imports FastAPI.

>>> from fastapi import Depends, FastAPI
>>> import kopokopo
>>> from kopokopo.fastapi import WebhookDependency
>>> k2 = WebhookDependency(api_key=API_KEY)          # or client=my_client
>>> @app.post("/k2/webhooks")
... async def webhooks(event: kopokopo.Webhook = Depends(k2.webhook)) -> dict:
...     ...                                           # verified and parsed
>>> @app.post("/k2/results")
... async def results(result: kopokopo.CallbackResult = Depends(k2.result)) -> dict:
...     ...

The dependency reads the raw body in chunks and stops at ``max_body``
(default 1 MiB; ``await request.body()`` has no limit), then verifies and
parses it with the core. It answers for you: ``413`` over the cap (declared
or streamed), ``401`` for a missing or wrong signature, ``400`` for a signed
body that does not parse. See :mod:`kopokopo.receiving` for the safe pattern
(store before answering 200, dedupe by id, process asynchronously).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Union

from fastapi import HTTPException, Request

from ._models import CallbackResult, Webhook
from .receiving import DEFAULT_MAX_BODY, SIGNATURE_HEADER, Receiver, RequestRejectedError

if TYPE_CHECKING:
    from ._async_client import AsyncClient
    from ._client import Client

__all__ = ["WebhookDependency", "read_body"]


async def read_body(request: Request, receiver: Receiver) -> bytes:
    """The raw body, exactly as received; ``RequestRejectedError(413)`` as soon as it is over the cap."""
    receiver.check_length(request.headers.get("content-length"))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        receiver.check_size(len(body))
    return bytes(body)


def _http(e: RequestRejectedError) -> HTTPException:
    return HTTPException(status_code=e.status, detail=e.reason)


class WebhookDependency:
    """``Depends(k2.webhook)`` / ``Depends(k2.result)``: the verified, parsed event.

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

    async def webhook(self, request: Request) -> Webhook:
        """The verified webhook (:class:`kopokopo.WebhookEvent` or :class:`kopokopo.DarajaEvent`)."""
        try:
            body = await read_body(request, self.receiver)
            return self.receiver.webhook(body, request.headers.get(SIGNATURE_HEADER))
        except RequestRejectedError as e:
            raise _http(e) from e

    async def result(self, request: Request) -> CallbackResult:
        """The verified result callback (:class:`kopokopo.IncomingPayment`, ...)."""
        try:
            body = await read_body(request, self.receiver)
            return self.receiver.result(body, request.headers.get(SIGNATURE_HEADER))
        except RequestRejectedError as e:
            raise _http(e) from e
