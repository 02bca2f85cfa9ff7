"""Receive Kopo Kopo webhooks and result callbacks with FastAPI.

    K2_API_KEY=... uvicorn fastapi_receiver:app --port 8000

The signature is checked over the RAW request body (``await request.body()``).
"""

from __future__ import annotations

import os
from typing import Any, Callable, List, Optional

from fastapi import FastAPI, Request, Response

import kopokopo

app = FastAPI()
API_KEY = os.environ.get("K2_API_KEY", "")

# Replace with your own processing (queue it, store it...). Answer quickly.
RECEIVED: List[Any] = []


async def _handle(request: Request, parse: Callable[[bytes, Optional[str], str], Any]) -> Response:
    body = await request.body()  # raw bytes, exactly as received
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
