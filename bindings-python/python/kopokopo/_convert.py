"""Type conversion between Python values and the core's JSON (nothing else).

Parameters keep the core's field names. ``None`` means "not given" (the core
applies its own defaults). Amounts may be :class:`decimal.Decimal`, ``int`` or
``str``; a ``float`` is refused with :class:`InvalidArgumentError` because a
binary float cannot represent money exactly. ``datetime``/``date`` values are
sent as ISO 8601 text. Everything else (required fields, formats, ranges) is
checked by the core.
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any, Mapping, Union

from ._errors import InvalidArgumentError

Body = Union[bytes, bytearray, memoryview, str]


def _invalid(field: str, reason: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"invalid argument `{field}`: {reason}", field=field, reason=reason)


def _encode(value: Any, path: str, in_metadata: bool) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        # The exact decimal text; the core parses (and validates) it.
        return str(value)
    if isinstance(value, float):
        if in_metadata:
            return value
        raise _invalid(
            path or "amount",
            "must be a decimal.Decimal, int or str, not float (a float cannot represent money exactly)",
        )
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise _invalid(path or "params", "keys must be strings")
            if v is None and not in_metadata:
                continue
            child = f"{path}.{k}" if path else k
            out[k] = _encode(v, child, in_metadata or k == "metadata")
        return out
    if isinstance(value, (list, tuple)):
        return [_encode(v, f"{path}[{i}]", in_metadata) for i, v in enumerate(value)]
    raise _invalid(path or "params", f"unsupported type {type(value).__name__}")


def params_json(params: Mapping[str, Any]) -> str:
    """Keyword arguments -> the JSON object the core's operation expects."""
    return json.dumps(_encode(params, "", False), separators=(",", ":"))


def result_json(text: str) -> Any:
    """The core's JSON result -> Python (JSON numbers with a fraction as Decimal)."""
    return json.loads(text, parse_float=Decimal)


def body_bytes(body: Body) -> bytes:
    """A raw request body as bytes (``str`` is encoded as UTF-8)."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    raise _invalid("body", f"must be bytes, not {type(body).__name__}")
