"""Receive Kopo Kopo webhooks and result callbacks with FastAPI.

    K2_API_KEY=... uvicorn fastapi_receiver:app --port 8000

The signature is checked over the RAW request body, read in chunks up to
``MAX_BODY`` (1 MiB); larger bodies are answered 413 and not kept: the
signature can only be checked once the whole body is in memory, so without a
cap anyone who can reach the URL could make the receiver buffer any amount
(``await request.body()`` has no limit).
"""

from __future__ import annotations

import os
from typing import Any, Callable, List, Optional

from fastapi import FastAPI, Request, Response

import kopokopo

MAX_BODY = 1024 * 1024  # 1 MiB; Kopo Kopo's events are a few KiB

app = FastAPI()
API_KEY = os.environ.get("K2_API_KEY", "")

# Replace with your own processing (queue it, store it...). Answer quickly.
RECEIVED: List[Any] = []


async def _read_capped(request: Request) -> Optional[bytes]:
    """The raw body, exactly as received, or None when it is over MAX_BODY."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return bytes(body)


async def _handle(request: Request, parse: Callable[[bytes, Optional[str], str], Any]) -> Response:
    body = await _read_capped(request)
    if body is None:
        return Response("body too large", status_code=413)
    signature = request.headers.get(kopokopo.SIGNATURE_HEADER)
    try:
        event = parse(body, signature, API_KEY)
    except kopokopo.SignatureError:
        return Response("invalid signature", status_code=401)
    except kopokopo.KopoKopoError as e:
        return Response(f"bad payload: {e.code}", status_code=400)
    RECEIVED.append(event)
    return Response("ok", status_code=200)


@app.post("/k2/webhooks")
async def webhooks(request: Request) -> Response:
    return await _handle(request, kopokopo.parse_webhook)


@app.post("/k2/results")
async def results(request: Request) -> Response:
    return await _handle(request, kopokopo.parse_result)
