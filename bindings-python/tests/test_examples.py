"""The examples in examples/python/: the quickstart against the simulator,
and the Flask, FastAPI and Django receivers both through their test clients
and as real servers fed by the simulator's webhooks and result callbacks."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import threading
import time
from types import ModuleType
from typing import Any, Callable, Dict, Iterator, List

import pytest

import kopokopo
from conftest import (
    EXAMPLES,
    FIXTURES,
    MOCK_API_KEY,
    MOCK_CLIENT_ID,
    MOCK_CLIENT_SECRET,
    Mock,
    make_client,
)

if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))


def load(name: str) -> ModuleType:
    """The example module (imported once, with K2_API_KEY set by conftest), its store emptied."""
    module = importlib.import_module(name)
    module.RECEIVED.clear()  # type: ignore[attr-defined]
    module.PROCESSED.clear()  # type: ignore[attr-defined]
    module.SEEN.clear()  # type: ignore[attr-defined]
    return module


def signed(name: str) -> Dict[str, Any]:
    body = (FIXTURES / name).read_bytes()
    return {"body": body, "sig": kopokopo.sign(body, MOCK_API_KEY)}


WEBHOOK = "webhook.buygoods_transaction_received.k2.json"
RESULT = "result.incoming_payment.success.json"


# ---------------------------------------------------------------- quickstart


def test_quickstart(fresh_mock: Mock) -> None:
    env = dict(os.environ)
    env.update(
        K2_CLIENT_ID=MOCK_CLIENT_ID,
        K2_CLIENT_SECRET=MOCK_CLIENT_SECRET,
        K2_API_KEY=MOCK_API_KEY,
        K2_BASE_URL=fresh_mock.base_url,
    )
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), "0712345678", "150.00"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "STK push sent" in proc.stdout
    assert "status: Success" in proc.stdout
    assert "KES 150" in proc.stdout
    assert MOCK_CLIENT_SECRET not in proc.stdout


def test_async_quickstart(fresh_mock: Mock) -> None:
    env = dict(os.environ)
    env.update(
        K2_CLIENT_ID=MOCK_CLIENT_ID,
        K2_CLIENT_SECRET=MOCK_CLIENT_SECRET,
        K2_API_KEY=MOCK_API_KEY,
        K2_BASE_URL=fresh_mock.base_url,
    )
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "async_quickstart.py"), "0712345678", "150.00", "4"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 STK pushes sent" in proc.stdout
    assert proc.stdout.count(": Success (KES 150") == 4, proc.stdout
    assert MOCK_CLIENT_SECRET not in proc.stdout
    assert fresh_mock.counters()["requests"].get("POST /api/v2/incoming_payments") == 4


# ------------------------------------------------------------- test clients


def check_test_client(post: Callable[[str, bytes, Dict[str, str]], int], received: List[Any]) -> None:
    w = signed(WEBHOOK)
    r = signed(RESULT)
    h = kopokopo.SIGNATURE_HEADER
    assert post("/k2/webhooks", w["body"], {h: w["sig"]}) == 200
    assert isinstance(received[-1], kopokopo.WebhookEvent)
    assert post("/k2/results", r["body"], {h: r["sig"]}) == 200
    assert isinstance(received[-1], kopokopo.IncomingPayment)
    n = len(received)
    assert post("/k2/webhooks", w["body"], {h: "0" * 64}) == 401
    assert post("/k2/webhooks", w["body"], {}) == 401
    assert post("/k2/results", r["body"] + b"\n", {h: r["sig"]}) == 401
    garbage = b"not json"
    assert post("/k2/results", garbage, {h: kopokopo.sign(garbage, MOCK_API_KEY)}) == 400
    assert len(received) == n


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_redelivered_event_is_stored_and_processed_once(framework: str) -> None:
    mod, post = make_test_client(framework)
    w = signed(WEBHOOK)
    r = signed(RESULT)
    h = kopokopo.SIGNATURE_HEADER
    for _ in range(3):  # Kopo Kopo retries until it gets a 2xx: every copy is answered 200
        assert post("/k2/webhooks", w["body"], {h: w["sig"]}) == 200
        assert post("/k2/results", r["body"], {h: r["sig"]}) == 200
    assert len(mod.RECEIVED) == 2
    assert wait_until(lambda: len(mod.PROCESSED) == 2)
    assert mod.RECEIVED == mod.PROCESSED


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_event_not_stored_is_not_acknowledged(framework: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Storing fails: the receiver answers 500 (Kopo Kopo delivers again) and
    forgets the id, so the redelivery is stored."""
    mod, _post = make_test_client(framework)
    w = signed(WEBHOOK)
    h = kopokopo.SIGNATURE_HEADER

    class Failing(list):  # type: ignore[type-arg]
        def append(self, item: Any) -> None:
            raise OSError("database down")

    monkeypatch.setattr(mod, "RECEIVED", Failing())
    status = post_raising(framework, mod, "/k2/webhooks", w["body"], {h: w["sig"]})
    assert status == 500
    monkeypatch.setattr(mod, "RECEIVED", [])
    _mod, post = make_test_client(framework)
    assert post("/k2/webhooks", w["body"], {h: w["sig"]}) == 200
    assert len(mod.RECEIVED) == 1


def post_raising(framework: str, mod: ModuleType, path: str, body: bytes, headers: Dict[str, str]) -> int:
    """POST through the framework's test client with server errors answered as 500, not raised."""
    if framework == "flask":
        return int(mod.app.test_client().post(path, data=body, headers=headers).status_code)
    if framework == "fastapi":
        from fastapi.testclient import TestClient

        tc = TestClient(mod.app, raise_server_exceptions=False)
        return int(tc.post(path, content=body, headers=headers).status_code)
    from django.test import Client as DjangoClient

    return int(DjangoClient(raise_request_exception=False).post(
        path, data=body, content_type="application/json", headers=headers).status_code)


def test_flask_test_client() -> None:
    mod = load("flask_receiver")
    tc = mod.app.test_client()

    def post(path: str, body: bytes, headers: Dict[str, str]) -> int:
        return int(tc.post(path, data=body, headers={**headers, "content-type": "application/json"}).status_code)

    check_test_client(post, mod.RECEIVED)


def test_fastapi_test_client() -> None:
    from fastapi.testclient import TestClient

    mod = load("fastapi_receiver")
    tc = TestClient(mod.app)

    def post(path: str, body: bytes, headers: Dict[str, str]) -> int:
        return int(tc.post(path, content=body, headers={**headers, "content-type": "application/json"}).status_code)

    check_test_client(post, mod.RECEIVED)


def test_django_test_client() -> None:
    mod = load("django_receiver")
    from django.test import Client as DjangoClient

    tc = DjangoClient()

    def post(path: str, body: bytes, headers: Dict[str, str]) -> int:
        return int(tc.post(path, data=body, content_type="application/json", headers=headers).status_code)

    check_test_client(post, mod.RECEIVED)


# ------------------------------------------------------- body size cap (413)

MAX_BODY = 1024 * 1024


def make_test_client(framework: str) -> tuple[ModuleType, Callable[[str, Any, Dict[str, str]], int]]:
    if framework == "flask":
        mod = load("flask_receiver")
        ftc = mod.app.test_client()
        return mod, lambda path, body, headers: int(
            ftc.post(path, data=body, headers={**headers, "content-type": "application/json"}).status_code
        )
    if framework == "fastapi":
        from fastapi.testclient import TestClient

        mod = load("fastapi_receiver")
        atc = TestClient(mod.app)
        return mod, lambda path, body, headers: int(
            atc.post(path, content=body, headers={**headers, "content-type": "application/json"}).status_code
        )
    mod = load("django_receiver")
    from django.test import Client as DjangoClient

    dtc = DjangoClient()
    return mod, lambda path, body, headers: int(
        dtc.post(path, data=body, content_type="application/json", headers=headers).status_code
    )


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_body_over_1_mib_is_refused_413(framework: str) -> None:
    mod, post = make_test_client(framework)
    assert mod.MAX_BODY == MAX_BODY
    h = kopokopo.SIGNATURE_HEADER
    big = b" " * (MAX_BODY + 1)
    for path in ("/k2/webhooks", "/k2/results"):
        assert post(path, big, {h: kopokopo.sign(big, MOCK_API_KEY)}) == 413
    # At the cap the body is read and verified as usual.
    at_cap = b" " * MAX_BODY
    assert post("/k2/webhooks", at_cap, {h: "0" * 64}) == 401
    w = signed(WEBHOOK)
    assert post("/k2/webhooks", w["body"], {h: w["sig"]}) == 200
    assert len(mod.RECEIVED) == 1
    if framework == "fastapi":
        # Streamed without Content-Length (chunked): cut off while reading.
        chunks = [b" " * 65536] * (MAX_BODY // 65536 + 1)
        assert post("/k2/webhooks", iter(chunks), {h: "0" * 64}) == 413


def announce_over_cap(base: str, path: str) -> int:
    """Sends only the headers of a POST declaring a body over the cap: the
    receiver must answer 413 without waiting for (or buffering) the body."""
    host, port = base.split("://", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {MAX_BODY + 1}\r\n\r\n".encode()
        )
        head = sock.recv(4096).decode("latin-1")
    return int(head.split(" ", 2)[1])


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_real_server_refuses_declared_body_over_cap(framework: str) -> None:
    if framework == "flask":
        mod = load("flask_receiver")
        servers = serve_wsgi(mod.app)
    elif framework == "fastapi":
        mod = load("fastapi_receiver")
        servers = serve_asgi(mod.app)
    else:
        mod = load("django_receiver")
        servers = serve_wsgi(mod.application())
    base = next(servers)
    try:
        assert announce_over_cap(base, "/k2/webhooks") == 413
        assert announce_over_cap(base, "/k2/results") == 413
        assert mod.RECEIVED == []
    finally:
        for _ in servers:
            pass


# ------------------------------------------------------------- real servers


def serve_wsgi(app: Any) -> Iterator[str]:
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    class Threading(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = make_server("127.0.0.1", 0, app, server_class=Threading, handler_class=Quiet)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def serve_asgi(app: Any) -> Iterator[str]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    t = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        t.join(timeout=10)
        sock.close()


def wait_until(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def feed_from_simulator(mock: Mock, base: str, received: List[Any]) -> None:
    client = make_client(mock)
    client.webhooks.subscribe(
        event_type="buygoods_transaction_received", url=f"{base}/k2/webhooks", scope="company"
    )
    # Subscriptions outlive /__admin/reset, so send to this server only.
    mock.admin("trigger", {"topic": "buygoods_transaction_received", "url": f"{base}/k2/webhooks"})
    assert wait_until(lambda: any(isinstance(e, kopokopo.WebhookEvent) for e in received)), received
    client.incoming_payments.create(
        till_number="K000000", phone_number="0712345678", amount=75, callback_url=f"{base}/k2/results"
    )
    assert wait_until(lambda: any(isinstance(e, kopokopo.IncomingPayment) for e in received)), received
    payment = next(e for e in received if isinstance(e, kopokopo.IncomingPayment))
    assert payment.status == "Success"
    counters = mock.counters()
    assert counters.get("callbacks_failed", 0) == 0, counters


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_real_server_fed_by_simulator(framework: str, fresh_mock: Mock) -> None:
    if framework == "flask":
        mod = load("flask_receiver")
        servers = serve_wsgi(mod.app)
    elif framework == "fastapi":
        mod = load("fastapi_receiver")
        servers = serve_asgi(mod.app)
    else:
        mod = load("django_receiver")
        servers = serve_wsgi(mod.application())
    base = next(servers)
    try:
        feed_from_simulator(fresh_mock, base, mod.RECEIVED)
    finally:
        for _ in servers:
            pass
