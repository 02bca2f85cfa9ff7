"""Receive Kopo Kopo webhooks and result callbacks with FastAPI.

    K2_API_KEY=... uvicorn fastapi_receiver:app --port 8000

``kopokopo.fastapi.WebhookDependency`` does the HTTP part: it reads the raw
body in chunks up to ``MAX_BODY`` (413 above; ``await request.body()`` has no
limit), verifies the signature (401) and parses the event (400 if it does
not parse); the endpoint gets the typed event.

The safe pattern, so that no event is ever lost or handled twice:

* answer 200 only after the event is stored (if storing fails, the endpoint
  raises, FastAPI answers 500 and Kopo Kopo delivers the event again);
* dedupe by the event id (Kopo Kopo may deliver an event more than once);
* process it asynchronously (here a background task run after the answer;
  in production a job queue reading the store), never in the request.

``RECEIVED`` and ``InMemoryDedupe`` stand in for your database: in
production, with several workers, use a shared store (a unique key on the
event id in your table, or Redis ``SET NX EX``).
"""

from __future__ import annotations

import os
from typing import Annotated, Any, List

from fastapi import BackgroundTasks, Depends, FastAPI, Response

import kopokopo
from kopokopo.fastapi import WebhookDependency

MAX_BODY = 1024 * 1024  # 1 MiB; Kopo Kopo's events are a few KiB

app = FastAPI()
k2 = WebhookDependency(api_key=os.environ.get("K2_API_KEY", ""), max_body=MAX_BODY)

RECEIVED: List[Any] = []  # your durable store (a database table)
PROCESSED: List[Any] = []
SEEN = kopokopo.InMemoryDedupe(ttl=24 * 3600)  # production: a shared store


def store(event: Any) -> bool:
    """Stores an event once; False when it was already stored (a redelivery)."""
    key = kopokopo.event_key(event)
    if not SEEN.first_time(key):
        return False
    try:
        RECEIVED.append(event)  # your INSERT: must succeed before answering 200
    except BaseException:
        SEEN.forget(key)  # not stored: let the redelivery through
        raise
    return True


async def process(event: Any) -> None:
    """Your application logic (fulfil the order...), after the answer."""
    PROCESSED.append(event)


@app.post("/k2/webhooks")
async def webhooks(
    event: Annotated[kopokopo.Webhook, Depends(k2.webhook)], background: BackgroundTasks
) -> Response:
    if store(event):
        background.add_task(process, event)
    return Response("ok")


@app.post("/k2/results")
async def results(
    result: Annotated[kopokopo.CallbackResult, Depends(k2.result)], background: BackgroundTasks
) -> Response:
    if store(result):
        background.add_task(process, result)
    return Response("ok")
