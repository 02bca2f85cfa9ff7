"""``kopokopo.AsyncClient``: the same API as :class:`kopokopo.Client`, awaitable.

The operation groups (``await client.incoming_payments.create(...)`` and the
rest) are generated from the core's operation table
(``_async_operations.py``), from the same template as the blocking client's.
This module holds the options, the thread pool and the ergonomics.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Optional, Type

from ._async_group import _Runner
from ._async_operations import _AsyncGroups
from ._client import Seconds, _native_client
from ._convert import params_json, result_json
from ._errors import InvalidArgumentError

__all__ = ["AsyncClient", "DEFAULT_MAX_CONCURRENCY"]

DEFAULT_MAX_CONCURRENCY = 16
"""How many calls an :class:`AsyncClient` runs at once unless told otherwise."""


class AsyncClient(_AsyncGroups):
    """A Kopo Kopo API client for ``asyncio``.

    >>> async with kopokopo.AsyncClient(client_id="...", client_secret="...",
    ...                                 api_key="...") as client:
    ...     created = await client.incoming_payments.create(...)

    The options are :class:`kopokopo.Client`'s (same names, same defaults,
    same validation), plus ``max_concurrency`` (default 16): the size of the
    thread pool the client owns. Each call runs the core's blocking operation
    on that pool with the GIL released, so the event loop is never blocked by
    the network; at most ``max_concurrency`` requests are in flight at once
    and further calls wait their turn in order. Errors are the same
    :class:`kopokopo.KopoKopoError` classes.

    Cancelling a task that awaits a call never sends a request twice: a call
    still waiting for a thread is dropped before anything is sent; one already
    sent completes on its thread and its result is discarded (payments are
    never retried). The client stays usable.

    Close it with ``async with`` or ``await client.aclose()``: new calls are
    then refused (``RuntimeError``), queued ones are dropped and the calls in
    flight are waited for. Webhook verification (``client.webhooks.verify``,
    ``parse_webhook``, ``parse_result``) does no I/O and stays synchronous.
    """

    __slots__ = ("_native", "_runner")

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
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
    ) -> None:
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise InvalidArgumentError(
                "invalid argument `max_concurrency`: must be a positive integer",
                field="max_concurrency",
                reason="must be a positive integer",
            )
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
        self._runner = _Runner(native, max_concurrency)
        self._init_groups(self._runner)

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

    @property
    def max_concurrency(self) -> int:
        """How many calls run at once (the size of the client's thread pool)."""
        return self._runner.max_concurrency

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` (or leaving ``async with``) has shut the client down."""
        return self._runner.closed

    async def execute(self, operation: str, **params: Any) -> Any:
        """Like :meth:`kopokopo.Client.execute`: runs a core operation by name
        and returns its JSON result as plain Python data."""
        text = await self._runner.run(self._native.execute, operation, params_json(params))
        return result_json(text)

    async def aclose(self) -> None:
        """Refuses new calls, drops queued ones and waits for the calls in flight.
        Closing twice is harmless."""
        await self._runner.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"kopokopo.AsyncClient(client_id={self.client_id!r}, base_url={self.base_url!r})"

    def __reduce__(self) -> Any:
        raise TypeError("kopokopo.AsyncClient cannot be pickled (it holds credentials)")
