"""kopokopo.fastapi through FastAPI's own TestClient (and a bare Starlette app)."""

from __future__ import annotations

from typing import Dict, Iterator, List, Tuple

import pytest

pytest.importorskip("fastapi")

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

import kopokopo
from conftest import MOCK_API_KEY, MOCK_CLIENT_ID, MOCK_CLIENT_SECRET
from helpers_common import CAP, WEBHOOK, H, check, sig
from kopokopo.fastapi import WebhookDependency


# (`Depends` as a default, not `Annotated[...]`: with postponed annotations FastAPI
# resolves an annotation in the module's globals, and `k2` is local here.)
def make_app(k2: WebhookDependency) -> Tuple[FastAPI, List[Tuple[str, object]]]:
    app = FastAPI()
    received: List[Tuple[str, object]] = []

    @app.post("/webhook")
    async def webhook(event: kopokopo.Webhook = Depends(k2.webhook)) -> Dict[str, str]:  # noqa: B008
        received.append(("webhook", event))
        return {"ok": "yes"}

    @app.post("/result")
    def result(res: kopokopo.CallbackResult = Depends(k2.result)) -> Dict[str, str]:  # noqa: B008
        received.append(("result", res))
        return {"ok": "yes"}

    return app, received


@pytest.mark.parametrize("by", ["api_key", "client", "async_client"])
def test_fastapi_dependency(by: str) -> None:
    if by == "api_key":
        k2 = WebhookDependency(api_key=MOCK_API_KEY, max_body=CAP)
    elif by == "client":
        k2 = WebhookDependency(client=kopokopo.Client(MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, api_key=MOCK_API_KEY),
                               max_body=CAP)
    else:
        k2 = WebhookDependency(
            client=kopokopo.AsyncClient(MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, api_key=MOCK_API_KEY), max_body=CAP
        )
    app, received = make_app(k2)
    tc = TestClient(app)

    def post(path: str, body: bytes, headers: Dict[str, str]) -> int:
        return int(tc.post(path, content=body, headers={**headers, "content-type": "application/json"}).status_code)

    check(post, received)
    r = tc.post("/webhook", content=WEBHOOK, headers={H: "0" * 64})
    assert r.json() == {"detail": "invalid signature"}


def test_fastapi_streamed_body_over_cap_is_cut_off() -> None:
    app, received = make_app(WebhookDependency(api_key=MOCK_API_KEY, max_body=CAP))
    tc = TestClient(app)

    def chunks() -> Iterator[bytes]:
        for _ in range(CAP // 1000 + 2):
            yield b" " * 1000

    # No Content-Length (chunked): refused while reading.
    assert tc.post("/webhook", content=chunks(), headers={H: "0" * 64}).status_code == 413
    assert received == []
    assert tc.post("/webhook", content=WEBHOOK, headers=sig(WEBHOOK)).status_code == 200


def test_constructor_arguments() -> None:
    with pytest.raises(TypeError):
        WebhookDependency()
    with pytest.raises(TypeError):
        WebhookDependency(api_key="k", client=kopokopo.Client("a", "b"))
    with pytest.raises(ValueError):
        WebhookDependency(api_key="k", max_body=0)
    assert WebhookDependency(api_key="k").receiver.max_body == 1024 * 1024
