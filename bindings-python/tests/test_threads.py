"""Blocking calls release the GIL, and one client is shared by threads."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List

import kopokopo
from conftest import Mock, make_client

DELAY_MS = 500
THREADS = 8


def test_eight_threads_finish_in_about_one_request(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock, max_retries=0)
    created = client.incoming_payments.create(
        till_number="K000000", phone_number="0712345678", amount=10, callback_url="https://example.com/cb"
    )
    # One request alone, with the delay.
    fresh_mock.fault("delay", count=1, path="/api/v2/incoming_payments/", delay_ms=DELAY_MS)
    t0 = time.monotonic()
    client.incoming_payments.status(created.id)
    single = time.monotonic() - t0
    assert single >= DELAY_MS / 1000

    # A Python thread keeps counting while the requests are in flight: it can
    # only do so if the GIL is released.
    ticks: List[int] = [0]
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    spinner = threading.Thread(target=spin)
    spinner.start()
    fresh_mock.fault("delay", count=THREADS, path="/api/v2/incoming_payments/", delay_ms=DELAY_MS)
    barrier = threading.Barrier(THREADS)

    def one(_: int) -> str:
        barrier.wait()
        return client.incoming_payments.status(created.id).status

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(one, range(THREADS)))
    elapsed = time.monotonic() - t0
    stop.set()
    spinner.join()

    assert len(statuses) == THREADS and all(statuses)
    serial = THREADS * DELAY_MS / 1000
    assert elapsed < serial / 2, f"{THREADS} concurrent requests took {elapsed:.2f}s (one: {single:.2f}s)"
    assert elapsed < single + 1.5, f"{elapsed:.2f}s vs one request {single:.2f}s"
    assert ticks[0] > 50, "the spinner thread starved: the GIL was held during I/O"
    # All threads shared one token.
    assert fresh_mock.counters()["tokens_issued"] == 1


def test_concurrent_token_fetch_is_shared(fresh_mock: Mock) -> None:
    client = make_client(fresh_mock)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        infos = list(pool.map(lambda _: client.tokens.info(), range(THREADS)))
    assert len(infos) == THREADS
    assert fresh_mock.counters()["tokens_issued"] == 1


def test_webhook_verification_from_threads() -> None:
    body = b'{"topic":"customer_created","id":"x","event":{"resource":{"first_name":"A"}}}'
    sig = kopokopo.sign(body, "k")
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda _: kopokopo.verify_signature(body, sig, "k"), range(200)))
    assert all(results)
