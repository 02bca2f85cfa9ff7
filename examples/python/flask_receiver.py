"""Receive Kopo Kopo webhooks and result callbacks with Flask.

    K2_API_KEY=... flask --app flask_receiver run --port 8000

Subscribe ``https://your.host/k2/webhooks`` for webhooks and use
``https://your.host/k2/results`` as the ``callback_url`` of your requests.
The signature is checked over the RAW request body: never re-serialise JSON.
Bodies over ``MAX_BODY`` (1 MiB) are answered 413 without being read: the
signature can only be checked once the whole body is in memory, so without a
cap anyone who can reach the URL could make the receiver buffer any amount.
"""

from __future__ import annotations

import os
from typing import Any, List, Tuple

from flask import Flask, request

import kopokopo

MAX_BODY = 1024 * 1024  # 1 MiB; Kopo Kopo's events are a few KiB

app = Flask(__name__)
# Flask answers 413 when the body is larger (declared or streamed).
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
API_KEY = os.environ.get("K2_API_KEY", "")

# Replace with your own processing (queue it, store it...). Answer quickly.
RECEIVED: List[Any] = []


def _handle(parse: Any) -> Tuple[str, int]:
    body: bytes = request.get_data()  # raw bytes, exactly as received (413 over MAX_BODY)
    signature = request.headers.get(kopokopo.SIGNATURE_HEADER)
    try:
        event = parse(body, signature, API_KEY)
    except kopokopo.SignatureError:
        return "invalid signature", 401
    except kopokopo.KopoKopoError as e:
        return f"bad payload: {e.code}", 400
    RECEIVED.append(event)
    return "ok", 200


@app.post("/k2/webhooks")
def webhooks() -> Tuple[str, int]:
    return _handle(kopokopo.parse_webhook)


@app.post("/k2/results")
def results() -> Tuple[str, int]:
    return _handle(kopokopo.parse_result)
