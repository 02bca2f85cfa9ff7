"""kopokopo.flask through Flask's own test_client."""

from __future__ import annotations

from typing import Dict, List, Tuple

import pytest

pytest.importorskip("flask")

from flask import Flask

import kopokopo
from conftest import MOCK_API_KEY, MOCK_CLIENT_ID, MOCK_CLIENT_SECRET
from helpers_common import CAP, RESULT, WEBHOOK, H, check, sig
from kopokopo.flask import WebhookView


def make_app(k2: WebhookView, flask_cap: bool = False) -> Tuple[Flask, List[Tuple[str, object]]]:
    app = Flask(__name__)
    if flask_cap:
        app.config["MAX_CONTENT_LENGTH"] = CAP
    received: List[Tuple[str, object]] = []

    @app.post("/webhook")
    @k2.webhook
    def webhook(event: kopokopo.Webhook) -> Tuple[str, int]:
        received.append(("webhook", event))
        return "ok", 200

    @app.post("/result")
    @k2.result
    def result(res: kopokopo.CallbackResult) -> Tuple[str, int]:
        received.append(("result", res))
        return "ok", 200

    @app.post("/tills/<till>/result")
    @k2.result
    def with_route_args(res: kopokopo.CallbackResult, till: str) -> Tuple[str, int]:
        received.append((f"till {till}", res))
        return "ok", 200

    return app, received


@pytest.mark.parametrize("variant", ["api_key", "client", "flask_max_content_length"])
def test_flask_decorator(variant: str) -> None:
    if variant == "client":
        k2 = WebhookView(client=kopokopo.Client(MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, api_key=MOCK_API_KEY),
                         max_body=CAP)
    else:
        k2 = WebhookView(api_key=MOCK_API_KEY, max_body=CAP)
    app, received = make_app(k2, flask_cap=variant == "flask_max_content_length")
    tc = app.test_client()

    def post(path: str, body: bytes, headers: Dict[str, str]) -> int:
        return int(tc.post(path, data=body, headers={**headers, "content-type": "application/json"}).status_code)

    check(post, received)
    r = tc.post("/webhook", data=WEBHOOK, headers={H: "0" * 64})
    assert r.get_data(as_text=True) == "invalid signature"
    assert tc.post("/tills/K000000/result", data=RESULT, headers=sig(RESULT)).status_code == 200
    assert received[-1][0] == "till K000000"


def test_flask_async_view() -> None:
    pytest.importorskip("asgiref")
    app = Flask(__name__)
    k2 = WebhookView(api_key=MOCK_API_KEY, max_body=CAP)
    got: List[object] = []

    @app.post("/webhook")
    @k2.webhook
    async def webhook(event: kopokopo.Webhook) -> Tuple[str, int]:
        got.append(event)
        return "ok", 200

    tc = app.test_client()
    assert tc.post("/webhook", data=WEBHOOK, headers=sig(WEBHOOK)).status_code == 200
    assert tc.post("/webhook", data=WEBHOOK, headers={H: "0" * 64}).status_code == 401
    assert len(got) == 1 and isinstance(got[0], kopokopo.WebhookEvent)
