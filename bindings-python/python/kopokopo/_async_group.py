"""The hand-written half of :class:`kopokopo.AsyncClient`'s groups (``_async_operations.py`` is generated).

A coroutine method turns its keyword arguments into the core's JSON
parameters on the event loop's thread (cheap, and argument errors are raised
before anything is queued), then runs the blocking native call on the
client's own bounded thread pool. The native call releases the GIL while the
request is in flight, so the loop keeps running other tasks.

Cancellation: cancelling the awaiting task cancels a call that is still
queued (a worker skips it: it is never sent); a call already running
finishes on its worker thread and its result is dropped. Nothing is retried
on cancellation, so a POST is never sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import weakref
from typing import Any, Callable, List, Mapping, Optional, Tuple, Type, TypeVar, cast

from . import _kopokopo
from ._convert import params_json

__all__ = ["_AsyncGroup", "_Runner"]

M = TypeVar("M")
T = TypeVar("T")

# (loop, future, function, arguments), or None: stop.
_Work = Optional[Tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], Tuple[Any, ...]]]


def _settle(fut: asyncio.Future[Any], ok: bool, value: Any) -> None:
    """On the loop's thread: hands the outcome to the awaiting task (unless it was cancelled)."""
    if fut.cancelled():
        return
    if ok:
        fut.set_result(value)
    else:
        fut.set_exception(value)


def _worker(work: queue.SimpleQueue[_Work]) -> None:
    """One of the client's threads. Holds no reference to the client, so an
    unclosed client can still be collected (its finalizer stops the threads)."""
    while True:
        item = work.get()
        if item is None:
            return
        loop, fut, fn, args = item
        if fut.cancelled():  # cancelled while queued: never started, nothing sent
            continue
        try:
            value, ok = fn(*args), True
        except BaseException as e:  # noqa: BLE001 (handed to the awaiting task)
            value, ok = e, False
        with contextlib.suppress(RuntimeError):  # that event loop is closed: nobody awaits the result
            loop.call_soon_threadsafe(_settle, fut, ok, value)
        del item, fut, value


def _join(threads: List[threading.Thread]) -> None:
    for t in threads:
        t.join()


def _stop(work: queue.SimpleQueue[_Work], threads: int) -> None:
    for _ in range(threads):
        work.put(None)


class _Runner:
    """The native client and the ``max_concurrency`` threads its blocking calls run on.

    A call is queued with the awaiting task's future; a worker thread runs it
    (the native call releases the GIL) and settles the future on its loop with
    one ``call_soon_threadsafe``. (A plain queue rather than
    ``loop.run_in_executor``, whose extra future, locks and callbacks per call
    cost about a third of the throughput with 16 calls in flight in our runs
    of the bench/python_bench.py STK push comparison.)
    """

    __slots__ = ("__weakref__", "_closed", "_finalizer", "_lock", "_threads", "_work", "max_concurrency", "native")

    def __init__(self, native: _kopokopo.NativeClient, max_concurrency: int) -> None:
        self.native = native
        self.max_concurrency = max_concurrency
        self._work: queue.SimpleQueue[_Work] = queue.SimpleQueue()
        self._threads: List[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False
        self._finalizer = weakref.finalize(self, _stop, self._work, max_concurrency)

    @property
    def closed(self) -> bool:
        return self._closed

    def _start(self) -> None:
        with self._lock:
            if self._threads or self._closed:
                return
            for i in range(self.max_concurrency):
                t = threading.Thread(target=_worker, args=(self._work,), name=f"kopokopo-async-{i}", daemon=True)
                t.start()
                self._threads.append(t)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise RuntimeError("this kopokopo.AsyncClient is closed")
        if not self._threads:
            self._start()
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._work.put((loop, fut, fn, args))
        return await fut

    async def aclose(self) -> None:
        """Refuses new calls, drops queued ones and waits for those in flight."""
        if self._closed:
            return
        self._closed = True
        while True:  # queued calls: never started, cancelled
            try:
                item = self._work.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                loop, fut, _fn, _args = item
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(fut.cancel)
        self._finalizer()  # one stop per thread, after whatever is in flight
        threads = list(self._threads)
        if threads:
            # Joining blocks: wait for it off the loop.
            await asyncio.get_running_loop().run_in_executor(None, _join, threads)


class _AsyncGroup:
    __slots__ = ("_native", "_runner")

    def __init__(self, runner: _Runner) -> None:
        self._runner = runner
        # For the synchronous webhook verification mixin (no I/O).
        self._native = runner.native

    async def _call(self, cls: Type[M], operation: str, params: Mapping[str, Any]) -> M:
        text = params_json(params)
        return cast(M, await self._runner.run(self._native.call, operation, text))

    async def _call_none(self, operation: str, params: Mapping[str, Any]) -> None:
        text = params_json(params)
        await self._runner.run(self._native.call, operation, text)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._native!r}>"
