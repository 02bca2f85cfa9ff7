"""Receive Kopo Kopo webhooks and result callbacks with Django.

A single-file Django project for illustration; in your project put the two
views in a ``views.py`` and the paths in ``urls.py``.

    K2_API_KEY=... python django_receiver.py runserver 8000

The signature is checked over the RAW request body (``request.body``).
Bodies over ``MAX_BODY`` (1 MiB) are answered 413 without being read: the
signature can only be checked once the whole body is in memory, so without a
cap anyone who can reach the URL could make the receiver buffer any amount.
``DATA_UPLOAD_MAX_MEMORY_SIZE`` is the same cap in Django's own settings.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, List, Optional

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

from django.core.exceptions import RequestDataTooBig  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

import kopokopo  # noqa: E402

API_KEY = os.environ.get("K2_API_KEY", "")

# Replace with your own processing (queue it, store it...). Answer quickly.
RECEIVED: List[Any] = []


def _handle(request: HttpRequest, parse: Callable[[bytes, Optional[str], str], Any]) -> HttpResponse:
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > MAX_BODY:
        return HttpResponse("body too large", status=413)
    try:
        body = request.body  # raw bytes, exactly as received
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE in your settings
        return HttpResponse("body too large", status=413)
    signature = request.headers.get(kopokopo.SIGNATURE_HEADER)
    try:
        event = parse(body, signature, API_KEY)
    except kopokopo.SignatureError:
        return HttpResponse("invalid signature", status=401)
    except kopokopo.KopoKopoError as e:
        return HttpResponse(f"bad payload: {e.code}", status=400)
    RECEIVED.append(event)
    return HttpResponse("ok", status=200)


@csrf_exempt
@require_POST
def webhooks(request: HttpRequest) -> HttpResponse:
    return _handle(request, kopokopo.parse_webhook)


@csrf_exempt
@require_POST
def results(request: HttpRequest) -> HttpResponse:
    return _handle(request, kopokopo.parse_result)


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
