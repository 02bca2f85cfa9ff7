"""kopokopo.receiving: the dedupe helper, event keys, the shared Receiver, and
the framework helpers being imported only when used."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import List

import pytest

import kopokopo
from conftest import FIXTURES, MOCK_API_KEY
from kopokopo.receiving import Receiver, RequestRejectedError


def test_import_kopokopo_imports_no_framework() -> None:
    code = (
        "import sys, kopokopo, kopokopo.receiving\n"
        "loaded = [m for m in ('fastapi', 'starlette', 'flask', 'werkzeug', 'django') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "import kopokopo.flask\n"
        "assert 'flask' in sys.modules and 'django' not in sys.modules and 'fastapi' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_dedupe_first_time_ttl_and_forget() -> None:
    now = [1000.0]
    seen = kopokopo.InMemoryDedupe(ttl=60, clock=lambda: now[0])
    assert seen.first_time("a")
    assert not seen.first_time("a")
    assert "a" in seen and len(seen) == 1
    now[0] += 59
    assert not seen.first_time("a")
    now[0] += 2
    assert "a" not in seen
    assert seen.first_time("a")  # expired: seen again as new
    seen.forget("a")
    assert seen.first_time("a")
    seen.clear()
    assert len(seen) == 0


def test_dedupe_bounded_and_thread_safe() -> None:
    seen = kopokopo.InMemoryDedupe(ttl=3600, max_entries=100)
    for i in range(250):
        assert seen.first_time(str(i))
    assert len(seen) == 100
    assert "249" in seen and "0" not in seen
    firsts: List[bool] = []
    barrier = threading.Barrier(8)

    def race() -> None:
        barrier.wait()
        firsts.append(seen.first_time("same"))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert firsts.count(True) == 1
    with pytest.raises(ValueError):
        kopokopo.InMemoryDedupe(ttl=0)


def test_event_key() -> None:
    for name in sorted(p.name for p in FIXTURES.glob("webhook.*.json")):
        body = (FIXTURES / name).read_bytes()
        event = kopokopo.parse_webhook(body, kopokopo.sign(body, MOCK_API_KEY), MOCK_API_KEY)
        key = kopokopo.event_key(event)
        if isinstance(event, kopokopo.WebhookEvent):
            assert key == f"webhook:{event.id}", name
        else:
            assert key == f"daraja:{event.trans_id}", name
    for name in sorted(p.name for p in FIXTURES.glob("result.*.json")):
        body = (FIXTURES / name).read_bytes()
        result = kopokopo.parse_result(body, kopokopo.sign(body, MOCK_API_KEY), MOCK_API_KEY)
        key = kopokopo.event_key(result)
        assert key.startswith("result:") and key.endswith(f":{result.id}:{result.status}"), name
    # The same rule as Node's eventId (bindings-node/lib/http.js).
    body = (FIXTURES / "result.incoming_payment.success.json").read_bytes()
    result = kopokopo.parse_result(body, kopokopo.sign(body, MOCK_API_KEY), MOCK_API_KEY)
    assert kopokopo.event_key(result) == f"result:incoming_payment:{result.id}:{result.status}"


def test_receiver_maps_core_errors_to_statuses() -> None:
    body = (FIXTURES / "result.incoming_payment.success.json").read_bytes()
    r = Receiver(api_key=MOCK_API_KEY, max_body=len(body))
    ok = r.result(body, kopokopo.sign(body, MOCK_API_KEY))
    assert ok == kopokopo.parse_result(body, kopokopo.sign(body, MOCK_API_KEY), MOCK_API_KEY)
    cases = [
        (lambda: r.result(body, "0" * 64), 401, kopokopo.SignatureError),
        (lambda: r.result(body, None), 401, kopokopo.SignatureError),
        (lambda: r.webhook(b"[]", kopokopo.sign(b"[]", MOCK_API_KEY)), 400, kopokopo.KopoKopoError),
        (lambda: r.result(body + b" ", kopokopo.sign(body + b" ", MOCK_API_KEY)), 413, type(None)),
        (lambda: r.check_length(str(len(body) + 1)), 413, type(None)),
        (lambda: r.check_length("x"), 400, type(None)),
    ]
    for fn, status, err in cases:
        with pytest.raises(RequestRejectedError) as e:
            fn()
        assert e.value.status == status
        assert isinstance(e.value.error, err)
    r.check_length(None)
    r.check_length(str(len(body)))
    # A receiver without an API key is misconfigured: 500, so Kopo Kopo delivers again later.
    for unconfigured in (Receiver(api_key=""), Receiver(client=kopokopo.Client("id", "secret"))):
        with pytest.raises(RequestRejectedError) as e:
            unconfigured.webhook(body, kopokopo.sign(body, MOCK_API_KEY))
        assert e.value.status == 500
