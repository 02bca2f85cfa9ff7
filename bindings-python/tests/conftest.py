"""Shared fixtures: the `k2 mock` simulator, an admin helper, a loopback
callback receiver and a configured client."""

from __future__ import annotations

import http.server
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import kopokopo

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent
REPO = BINDING.parent
VECTORS = REPO / "tests" / "vectors"
FIXTURES = REPO / "tests" / "fixtures"
EXAMPLES = REPO / "examples" / "python"

MOCK_CLIENT_ID = "k2-mock-client-id"
MOCK_CLIENT_SECRET = "k2-mock-client-secret"
MOCK_API_KEY = "k2-mock-api-key"

# The receivers in examples/python read their API key from the environment
# when they are imported.
os.environ.setdefault("K2_API_KEY", MOCK_API_KEY)


def k2_bin() -> Path:
    env = os.environ.get("K2_BIN")
    if env:
        return Path(env)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / "k2"


class Mock:
    """A running `k2 mock` and its admin endpoints."""

    def __init__(self, proc: subprocess.Popen[str], base_url: str) -> None:
        self.proc = proc
        self.base_url = base_url

    def admin(self, name: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        method = "GET" if body is None and name == "counters" else "POST"
        req = urllib.request.Request(
            f"{self.base_url}/__admin/{name}",
            data=data if method == "POST" else None,
            method=method,
            headers={"content-type": "application/json"},
        )
        if method == "POST" and data is None:
            req.data = b"{}"
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def fault(self, mode: str, count: int = 1, path: Optional[str] = None, **extra: Any) -> None:
        body: Dict[str, Any] = {"mode": mode, "count": count, **extra}
        if path is not None:
            body["path"] = path
        self.admin("faults", body)

    def counters(self) -> Dict[str, Any]:
        result: Dict[str, Any] = self.admin("counters")
        return result

    def reset(self) -> None:
        self.admin("reset", {})


@pytest.fixture(scope="session")
def mock() -> Iterator[Mock]:
    exe = k2_bin()
    if not exe.exists():
        pytest.fail(
            f"k2 simulator not found at {exe}: build it with `cargo build -p kopokopo-mock` or set K2_BIN"
        )
    proc = subprocess.Popen(
        [str(exe), "mock", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    if not first.startswith("http"):
        proc.kill()
        pytest.fail(f"k2 mock printed {first!r} instead of its base URL")
    # Keep draining stdout so the simulator never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout or []], daemon=True).start()
    try:
        yield Mock(proc, first)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def fresh_mock(mock: Mock) -> Mock:
    mock.reset()
    return mock


def make_client(mock: Mock, **kw: Any) -> kopokopo.Client:
    args: Dict[str, Any] = dict(
        client_id=MOCK_CLIENT_ID,
        client_secret=MOCK_CLIENT_SECRET,
        api_key=MOCK_API_KEY,
        base_url=mock.base_url,
        timeout=10,
    )
    args.update(kw)
    return kopokopo.Client(**args)


@pytest.fixture
def client(fresh_mock: Mock) -> kopokopo.Client:
    return make_client(fresh_mock)


Received = Tuple[str, Dict[str, str], bytes]


class Receiver:
    """A loopback HTTP server recording every POST (path, headers, raw body)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[Received] = queue.Queue()
        self.status = 200
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.queue.put((self.path, headers, body))
                self.send_response(outer.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def get(self, timeout: float = 10.0) -> Received:
        return self.queue.get(timeout=timeout)

    def get_for(self, path: str, timeout: float = 10.0) -> Received:
        """The next request to `path` (others received meanwhile are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no callback to {path} within {timeout}s")
            item = self.queue.get(timeout=left)
            if item[0] == path:
                return item

    def nothing_for(self, seconds: float) -> List[Received]:
        got: List[Received] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                got.append(self.queue.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                break
        return got

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    try:
        yield r
    finally:
        r.close()


def python_exe() -> str:
    return sys.executable
