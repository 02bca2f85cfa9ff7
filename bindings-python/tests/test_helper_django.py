"""kopokopo.django through Django's own test Client, AsyncClient, RequestFactory
and AsyncRequestFactory, with sync and async views."""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Dict, List, Tuple

import pytest

pytest.importorskip("django")

import kopokopo
from conftest import EXAMPLES, MOCK_API_KEY
from helpers_common import CAP, RESULT, WEBHOOK, H, check, sig

# Django's settings are process-wide: let the example configure them (as
# test_examples.py does), then route this module's URLs with override_settings.
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))
import django_receiver  # noqa: F401
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, AsyncRequestFactory, Client, RequestFactory, override_settings
from django.urls import path

from kopokopo.django import WebhookView

k2 = WebhookView(api_key=MOCK_API_KEY, max_body=CAP)
RECEIVED: List[Tuple[str, object]] = []


@k2.webhook
def sync_webhook(request: HttpRequest, event: kopokopo.Webhook) -> HttpResponse:
    RECEIVED.append(("webhook", event))
    return HttpResponse("ok")


@k2.result
def sync_result(request: HttpRequest, result: kopokopo.CallbackResult) -> HttpResponse:
    RECEIVED.append(("result", result))
    return HttpResponse("ok")


@k2.webhook
async def async_webhook(request: HttpRequest, event: kopokopo.Webhook) -> HttpResponse:
    await asyncio.sleep(0)
    RECEIVED.append(("webhook", event))
    return HttpResponse("ok")


@k2.result
async def async_result(request: HttpRequest, result: kopokopo.CallbackResult, till: str = "") -> HttpResponse:
    await asyncio.sleep(0)
    RECEIVED.append(("result", result))
    return HttpResponse("ok")


urlpatterns = [
    path("sync/webhook", sync_webhook),
    path("sync/result", sync_result),
    path("async/webhook", async_webhook),
    path("async/result", async_result),
    path("async/<str:till>/result", async_result),
]


@pytest.fixture(autouse=True)
def _routes() -> Any:
    RECEIVED.clear()
    with override_settings(ROOT_URLCONF=__name__, DATA_UPLOAD_MAX_MEMORY_SIZE=None):
        yield


def test_decorated_views_are_csrf_exempt_and_keep_their_kind() -> None:
    assert getattr(sync_webhook, "csrf_exempt", False) and getattr(async_webhook, "csrf_exempt", False)
    assert not asyncio.iscoroutinefunction(sync_webhook)
    assert asyncio.iscoroutinefunction(async_webhook)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_django_test_client(kind: str) -> None:
    tc = Client(enforce_csrf_checks=True)

    def post(p: str, body: bytes, headers: Dict[str, str]) -> int:
        return int(tc.post(f"/{kind}{p}", data=body, content_type="application/json", headers=headers).status_code)

    check(post, RECEIVED)
    assert tc.get(f"/{kind}/webhook").status_code == 405


def test_django_async_client_asgi() -> None:
    tc = AsyncClient()

    async def run() -> List[int]:
        out = []
        for p, body, headers in [
            ("/async/webhook", WEBHOOK, sig(WEBHOOK)),
            ("/async/K000000/result", RESULT, sig(RESULT)),
            ("/async/webhook", WEBHOOK, {H: "0" * 64}),
            ("/sync/result", b"x" * (CAP + 1), {}),
        ]:
            r = await tc.post(p, data=body, content_type="application/json", headers=headers)
            out.append(r.status_code)
        return out

    assert asyncio.run(run()) == [200, 200, 401, 413]
    assert [k for k, _ in RECEIVED] == ["webhook", "result"]


def test_request_factories() -> None:
    rf = RequestFactory()
    req = rf.post("/x", data=WEBHOOK, content_type="application/json", headers=sig(WEBHOOK))
    assert sync_webhook(req).status_code == 200
    assert sync_webhook(rf.post("/x", data=WEBHOOK, content_type="application/json")).status_code == 401
    arf = AsyncRequestFactory()
    areq = arf.post("/x", data=RESULT, content_type="application/json", headers=sig(RESULT))
    assert asyncio.run(async_result(areq)).status_code == 200
    bad = arf.post("/x", data=b"not json", content_type="application/json", headers=sig(b"not json"))
    assert asyncio.run(async_result(bad)).status_code == 400
    assert isinstance(RECEIVED[0][1], kopokopo.WebhookEvent) and isinstance(RECEIVED[1][1], kopokopo.IncomingPayment)
