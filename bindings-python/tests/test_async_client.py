"""kopokopo.AsyncClient against `k2 mock`: concurrency without blocking the
event loop, the same results and errors as the blocking client, cancellation,
closing, and the generated groups matching the blocking client's."""

from __future__ import annotations

import asyncio
import inspect
import json
import threading
import time
from typing import Any, Dict, List

import pytest

import kopokopo
from conftest import MOCK_API_KEY, MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, REPO, Mock, make_client

POST_PUSH = "POST /api/v2/incoming_payments"


def make_async(mock: Mock, **kw: Any) -> kopokopo.AsyncClient:
    args: Dict[str, Any] = dict(
        client_id=MOCK_CLIENT_ID,
        client_secret=MOCK_CLIENT_SECRET,
        api_key=MOCK_API_KEY,
        base_url=mock.base_url,
        timeout=10,
    )
    args.update(kw)
    return kopokopo.AsyncClient(**args)


def push_args(i: int) -> Dict[str, Any]:
    return dict(
        till_number="K000000",
        phone_number="0712345678",
        amount="150.00",
        callback_url="https://example.com/k2/results",
        first_name="Jane",
        metadata={"n": i},
    )


def pushes_sent(mock: Mock) -> int:
    return int(mock.counters()["requests"].get(POST_PUSH, 0))


async def until_sent(mock: Mock, n: int, timeout: float = 10.0) -> None:
    """Waits (without blocking the loop) until the simulator has received n pushes."""
    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(pushes_sent, mock) < n:
        assert time.monotonic() < deadline, f"fewer than {n} pushes reached the simulator"
        await asyncio.sleep(0.01)


# ----------------------------------------------------------- the generated API


def test_same_groups_methods_and_signatures_as_client() -> None:
    schema = json.loads((REPO / "schema" / "kopokopo.json").read_text(encoding="utf-8"))
    sync = kopokopo.Client("id", "secret", base_url="http://127.0.0.1:9")
    aio = kopokopo.AsyncClient("id", "secret", base_url="http://127.0.0.1:9")
    for op in schema["operations"]:
        s = getattr(getattr(sync, op["group"]), op["method"])
        a = getattr(getattr(aio, op["group"]), op["method"])
        assert inspect.iscoroutinefunction(a), op["name"]
        assert inspect.signature(s) == inspect.signature(a), op["name"]
        assert s.__doc__ == a.__doc__, op["name"]
    assert set(kopokopo.Client.__init__.__code__.co_varnames[: kopokopo.Client.__init__.__code__.co_argcount]) <= set(
        inspect.signature(kopokopo.AsyncClient).parameters
    ) | {"self"}
    sync_opts = set(inspect.signature(kopokopo.Client).parameters)
    assert set(inspect.signature(kopokopo.AsyncClient).parameters) == sync_opts | {"max_concurrency"}
    # Webhook verification does no I/O and stays synchronous, as on Client.
    assert not inspect.iscoroutinefunction(aio.webhooks.parse_webhook)
    assert aio.max_concurrency == kopokopo.DEFAULT_MAX_CONCURRENCY == 16


def test_options_and_repr() -> None:
    aio = kopokopo.AsyncClient(
        "id", "secret", base_url="http://127.0.0.1:9", timeout=5, connect_timeout=2, max_retries=1,
        user_agent_suffix="shop/1", max_concurrency=3,
    )
    assert (aio.timeout, aio.connect_timeout, aio.max_retries, aio.max_concurrency) == (5.0, 2.0, 1, 3)
    assert "shop/1" in aio.user_agent
    assert "secret" not in repr(aio)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(kopokopo.InvalidArgumentError) as e:
            kopokopo.AsyncClient("id", "secret", max_concurrency=bad)  # type: ignore[arg-type]
        assert e.value.field == "max_concurrency"
    with pytest.raises(kopokopo.InvalidArgumentError):
        kopokopo.AsyncClient("id", "secret", timeout=-1)
    with pytest.raises(TypeError):
        __import__("pickle").dumps(aio)


# -------------------------------------------- 50 concurrent pushes, loop free


def test_fifty_concurrent_pushes_never_block_the_loop(fresh_mock: Mock) -> None:
    sync = make_client(fresh_mock)

    async def main() -> tuple[List[kopokopo.Created], float, int]:
        late = 0.0
        ticks = 0
        stop = asyncio.Event()

        async def ticker() -> None:
            nonlocal late, ticks
            loop = asyncio.get_running_loop()
            expected = loop.time() + 0.01
            while not stop.is_set():
                await asyncio.sleep(max(0.0, expected - loop.time()))
                late = max(late, loop.time() - expected)
                ticks += 1
                expected += 0.01

        async with make_async(fresh_mock) as client:
            await client.tokens.request()  # the token first: every push then only POSTs
            t = asyncio.ensure_future(ticker())
            created = await asyncio.gather(*(client.incoming_payments.create(**push_args(i)) for i in range(50)))
            stop.set()
            await t
        return list(created), late, ticks

    # Every push is delayed 100 ms by the simulator, so a loop blocked by a
    # push would make the ticker >= 100 ms late on every attempt. Up to three
    # attempts, so that a shared, overloaded machine descheduling the whole
    # process once does not fail the test.
    lateness: List[float] = []
    for _attempt in range(3):
        fresh_mock.reset()
        fresh_mock.fault("delay", count=50, path="/api/v2/incoming_payments", delay_ms=100)
        t0 = time.monotonic()
        created, late, ticks = asyncio.run(main())
        elapsed = time.monotonic() - t0
        assert len(created) == 50
        assert all(isinstance(c, kopokopo.Created) for c in created)
        assert len({c.id for c in created}) == 50, "ids not distinct"
        assert ticks >= 10
        # 16 at a time: 50 pushes of >= 100 ms each take about 4 rounds, not 50.
        assert elapsed < 50 * 0.1 / 2, f"{elapsed:.2f}s"
        assert pushes_sent(fresh_mock) == 50
        lateness.append(late)
        if late <= 0.05:
            break
    assert min(lateness) <= 0.05, f"the 10 ms ticker was late by {[round(x * 1000) for x in lateness]} ms"

    # The same inputs through the blocking client give the same results.
    time.sleep(0.5)  # let the simulator finish the payments (callback delay)

    async def statuses() -> List[kopokopo.IncomingPayment]:
        async with make_async(fresh_mock) as client:
            return list(await asyncio.gather(*(client.incoming_payments.status(c.location) for c in created)))

    async_status = asyncio.run(statuses())
    sync_status = [sync.incoming_payments.status(c.location) for c in created]
    assert async_status == sync_status
    assert {s.status for s in async_status} == {"Success"}
    one_sync = sync.incoming_payments.create(**push_args(0))
    assert type(one_sync) is type(created[0])
    assert one_sync.location.rsplit("/", 1)[0] == created[0].location.rsplit("/", 1)[0]


def test_concurrency_is_bounded_by_max_concurrency(fresh_mock: Mock) -> None:
    fresh_mock.fault("delay", count=8, path="/api/v2/incoming_payments", delay_ms=300)

    async def main() -> float:
        async with make_async(fresh_mock, max_concurrency=2) as client:
            await client.tokens.request()
            t0 = time.monotonic()
            await asyncio.gather(*(client.incoming_payments.create(**push_args(i)) for i in range(8)))
            return time.monotonic() - t0

    elapsed = asyncio.run(main())
    # 8 delayed pushes, 2 at a time: at least 4 rounds of 300 ms.
    assert elapsed >= 4 * 0.3 * 0.9, f"{elapsed:.2f}s: more than 2 ran at once"


def test_native_call_releases_the_gil_in_worker_threads(fresh_mock: Mock) -> None:
    fresh_mock.fault("delay", count=1, path="/api/v2/incoming_payments", delay_ms=400)
    counts = [0]
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            counts[0] += 1
            time.sleep(0.001)

    async def main() -> None:
        async with make_async(fresh_mock) as client:
            await client.tokens.request()
            th = threading.Thread(target=spin)
            th.start()
            await client.incoming_payments.create(**push_args(0))
            stop.set()
            th.join()

    asyncio.run(main())
    assert counts[0] > 50, "a plain thread starved while the native call was in flight"


# ------------------------------------------------------ same errors and data


def test_same_exceptions_as_the_blocking_client(fresh_mock: Mock) -> None:
    sync = make_client(fresh_mock, max_retries=0)

    async def main() -> None:
        async with make_async(fresh_mock, max_retries=0) as client:
            with pytest.raises(kopokopo.InvalidArgumentError) as e:
                await client.incoming_payments.create(**{**push_args(0), "amount": 1.5})
            assert e.value.field == "amount"
            with pytest.raises(kopokopo.InvalidArgumentError) as e2:
                await client.incoming_payments.create(**{**push_args(0), "phone_number": "12"})
            with pytest.raises(kopokopo.InvalidArgumentError) as e3:
                sync.incoming_payments.create(**{**push_args(0), "phone_number": "12"})
            assert (e2.value.field, e2.value.reason) == (e3.value.field, e3.value.reason)
            fresh_mock.fault("500", count=1, path="/api/v2/incoming_payments")
            with pytest.raises(kopokopo.ApiError) as e4:
                await client.incoming_payments.create(**push_args(0))
            assert e4.value.http_status == 500
            # execute() by name, as on Client
            got = await client.execute("incoming_payments.create", **push_args(1))
            assert set(got) == set(sync.execute("incoming_payments.create", **push_args(1)))

    asyncio.run(main())


# ---------------------------------------------------------------- cancellation


def test_cancelling_a_running_call_never_sends_twice(fresh_mock: Mock) -> None:
    async def main() -> None:
        async with make_async(fresh_mock, max_concurrency=1) as client:
            await client.tokens.request()
            fresh_mock.fault("delay", count=1, path="/api/v2/incoming_payments", delay_ms=600)
            running = asyncio.ensure_future(client.incoming_payments.create(**push_args(1)))
            queued = asyncio.ensure_future(client.incoming_payments.create(**push_args(2)))
            await until_sent(fresh_mock, 1)  # the first is in flight, the second waits for the one thread
            running.cancel()
            queued.cancel()
            for task in (running, queued):
                with pytest.raises(asyncio.CancelledError):
                    await task
            await asyncio.sleep(0.8)  # the first request completes on its thread
            assert pushes_sent(fresh_mock) == 1, "the queued call was sent, or the running one twice"
            # Still usable.
            again = await client.incoming_payments.create(**push_args(3))
            assert again.id
            assert pushes_sent(fresh_mock) == 2

    asyncio.run(main())


def test_wait_for_timeout_cancels_cleanly(fresh_mock: Mock) -> None:
    async def main() -> None:
        async with make_async(fresh_mock) as client:
            await client.tokens.request()
            fresh_mock.fault("delay", count=1, path="/api/v2/incoming_payments", delay_ms=500)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.incoming_payments.create(**push_args(1)), timeout=0.1)
            await asyncio.sleep(0.7)
            sent = pushes_sent(fresh_mock)
            assert sent <= 1  # sent once, or (timed out while still queued) never
            await client.incoming_payments.create(**push_args(2))
            assert pushes_sent(fresh_mock) == sent + 1

    asyncio.run(main())


# --------------------------------------------------------------------- closing


def test_aclose_and_async_with(fresh_mock: Mock) -> None:
    async def main() -> None:
        client = make_async(fresh_mock)
        fresh_mock.fault("delay", count=1, path="/api/v2/incoming_payments", delay_ms=300)
        in_flight = asyncio.ensure_future(client.incoming_payments.create(**push_args(1)))
        await until_sent(fresh_mock, 1)
        await client.aclose()  # waits for the call in flight
        assert in_flight.done() and in_flight.result().id
        assert client.closed
        with pytest.raises(RuntimeError):
            await client.tokens.request()
        await client.aclose()  # twice is fine
        async with make_async(fresh_mock) as c2:
            assert (await c2.tokens.request()).access_token
        assert c2.closed
        # A call still queued when the client closes is dropped, never sent.
        c3 = make_async(fresh_mock, max_concurrency=1)
        fresh_mock.fault("delay", count=1, path="/api/v2/incoming_payments", delay_ms=300)
        first = asyncio.ensure_future(c3.incoming_payments.create(**push_args(2)))
        queued = asyncio.ensure_future(c3.incoming_payments.create(**push_args(3)))
        await until_sent(fresh_mock, 2)
        await c3.aclose()
        assert first.result().id
        with pytest.raises(asyncio.CancelledError):
            await queued
        assert pushes_sent(fresh_mock) == 2

    asyncio.run(main())


def test_one_client_across_event_loops(fresh_mock: Mock) -> None:
    client = make_async(fresh_mock)
    for _ in range(2):
        assert asyncio.run(client.tokens.info()) is not None
    asyncio.run(client.aclose())


def test_threads_stop_when_an_unclosed_client_is_collected(fresh_mock: Mock) -> None:
    import gc

    def workers() -> List[threading.Thread]:
        return [t for t in threading.enumerate() if t.name.startswith("kopokopo-async-")]

    before = len(workers())
    client = make_async(fresh_mock, max_concurrency=4)
    asyncio.run(client.tokens.request())
    assert len(workers()) == before + 4
    del client
    gc.collect()
    deadline = time.monotonic() + 5
    while len(workers()) > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(workers()) == before
