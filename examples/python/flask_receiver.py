"""Receive Kopo Kopo webhooks and result callbacks with Flask.

    K2_API_KEY=... flask --app flask_receiver run --port 8000

Subscribe ``https://your.host/k2/webhooks`` for webhooks and use
``https://your.host/k2/results`` as the ``callback_url`` of your requests.
``kopokopo.flask.WebhookView`` does the HTTP part: it reads the raw body up to
``MAX_BODY`` (413 above), verifies the signature (401) and parses the event
(400 if it does not parse); the view gets the typed event.

The safe pattern, so that no event is ever lost or handled twice:

* answer 200 only after the event is stored (if storing fails, the view
  raises, Flask answers 500 and Kopo Kopo delivers the event again);
* dedupe by the event id (Kopo Kopo may deliver an event more than once);
* process it asynchronously (here a worker thread), never in the request.

``RECEIVED`` and ``InMemoryDedupe`` stand in for your database: in
production, with several processes, use a shared store (a unique key on the
event id in your table, or Redis ``SET NX EX``).
"""

from __future__ import annotations

import os
import queue
import threading
from typing import Any, List, Tuple

from flask import Flask

import kopokopo
from kopokopo.flask import WebhookView

MAX_BODY = 1024 * 1024  # 1 MiB; Kopo Kopo's events are a few KiB

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # Flask's own cap too
k2 = WebhookView(api_key=os.environ.get("K2_API_KEY", ""), max_body=MAX_BODY)

RECEIVED: List[Any] = []  # your durable store (a database table)
PROCESSED: List[Any] = []
SEEN = kopokopo.InMemoryDedupe(ttl=24 * 3600)  # production: a shared store
WORK: queue.Queue[Any] = queue.Queue()


def store(event: Any) -> None:
    """Stores an event once (a redelivery of a stored event is skipped)."""
    key = kopokopo.event_key(event)
    if not SEEN.first_time(key):
        return
    try:
        RECEIVED.append(event)  # your INSERT: must succeed before answering 200
    except BaseException:
        SEEN.forget(key)  # not stored: let the redelivery through
        raise
    WORK.put(event)


def process(event: Any) -> None:
    """Your application logic (fulfil the order...), off the request."""
    PROCESSED.append(event)


def _worker() -> None:
    while True:
        process(WORK.get())


threading.Thread(target=_worker, name="k2-worker", daemon=True).start()


@app.post("/k2/webhooks")
@k2.webhook
def webhooks(event: kopokopo.Webhook) -> Tuple[str, int]:
    store(event)
    return "ok", 200


@app.post("/k2/results")
@k2.result
def results(result: kopokopo.CallbackResult) -> Tuple[str, int]:
    store(result)
    return "ok", 200
