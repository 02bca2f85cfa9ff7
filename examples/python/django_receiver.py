"""Receive Kopo Kopo webhooks and result callbacks with Django.

A single-file Django project for illustration; in your project put the two
views in a ``views.py`` and the paths in ``urls.py``.

    K2_API_KEY=... python django_receiver.py runserver 8000

``kopokopo.django.WebhookView`` does the HTTP part (sync and async views): it
makes the view CSRF-exempt and POST-only, reads the raw body up to
``MAX_BODY`` (413 above), verifies the signature (401) and parses the event
(400 if it does not parse); the view gets the typed event.

The safe pattern, so that no event is ever lost or handled twice:

* answer 200 only after the event is stored (if storing fails, the view
  raises, Django answers 500 and Kopo Kopo delivers the event again);
* dedupe by the event id (Kopo Kopo may deliver an event more than once);
* process it asynchronously (here a worker thread; in production a task
  queue such as Celery reading the store), never in the request.

``RECEIVED`` and ``InMemoryDedupe`` stand in for your database: in
production, with several processes, use a shared store (a unique key on the
event id in your model, or Redis ``SET NX EX``).
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from typing import Any, List

from django.conf import settings

MAX_BODY = 1024 * 1024  # 1 MiB; Kopo Kopo's events are a few KiB

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret"),
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        DATA_UPLOAD_MAX_MEMORY_SIZE=MAX_BODY,
    )
    import django

    django.setup()

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

import kopokopo  # noqa: E402
from kopokopo.django import WebhookView  # noqa: E402

k2 = WebhookView(api_key=os.environ.get("K2_API_KEY", ""), max_body=MAX_BODY)

RECEIVED: List[Any] = []  # your durable store (a model)
PROCESSED: List[Any] = []
SEEN = kopokopo.InMemoryDedupe(ttl=24 * 3600)  # production: a shared store
WORK: queue.Queue[Any] = queue.Queue()


def store(event: Any) -> None:
    """Stores an event once (a redelivery of a stored event is skipped)."""
    key = kopokopo.event_key(event)
    if not SEEN.first_time(key):
        return
    try:
        RECEIVED.append(event)  # your Model.objects.create(...): must succeed before answering 200
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


@k2.webhook
def webhooks(request: HttpRequest, event: kopokopo.Webhook) -> HttpResponse:
    store(event)
    return HttpResponse("ok")


@k2.result
async def results(request: HttpRequest, result: kopokopo.CallbackResult) -> HttpResponse:
    store(result)  # an async view works the same way (use your ORM's async API)
    return HttpResponse("ok")


urlpatterns = [
    path("k2/webhooks", webhooks),
    path("k2/results", results),
]


def application() -> Any:
    """The WSGI application (for gunicorn/uwsgi or a test server)."""
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
