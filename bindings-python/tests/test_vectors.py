"""Generic runner over the shared test vectors in tests/vectors/*.json.

Every case of every file runs; a kind this runner does not know FAILS (so a
new kind of vector cannot be silently skipped). Expected values are compared
as a deep subset: every key of `expect` must be present with an equal value
(an expected null must be present and null); numbers compare as exact
decimals. Formats: tests/vectors/README.md.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

import kopokopo
from conftest import FIXTURES, VECTORS
from kopokopo import _kopokopo

VECTOR_API_KEY = "k2-vectors-api-key"
DEFAULT_CLIENT_ID = "vector-client-id"
DEFAULT_CLIENT_SECRET = "vector-client-secret"
DEFAULT_BASE_URL = "https://sandbox.kopokopo.com"


def _load_cases() -> List[Tuple[str, Dict[str, Any]]]:
    out: List[Tuple[str, Dict[str, Any]]] = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        cases = doc.get("cases") if isinstance(doc, dict) else None
        assert isinstance(cases, list), f"{path.name}: no `cases` list"
        for i, case in enumerate(cases):
            out.append((f"{path.stem}[{i}] {case.get('name', '')}", case))
    return out


CASES = _load_cases()


def test_vectors_present() -> None:
    assert (VECTORS / "signatures.json").exists(), "tests/vectors/signatures.json is missing"
    assert len(CASES) > 0


def _json(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _params(case: Dict[str, Any]) -> str:
    # Vectors hold JSON; re-serialise with exact decimals.
    return json.dumps(case.get("params") or {}, default=str)


def _fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _body(case: Dict[str, Any]) -> bytes:
    if "fixture" in case:
        return _fixture_bytes(case["fixture"])
    if "body_b64" in case:
        return base64.b64decode(case["body_b64"])
    body = case.get("body")
    assert isinstance(body, str), "case has no body"
    return body.encode("utf-8")


def _number(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, Decimal)):
        return Decimal(v)
    return v


def assert_subset(expected: Any, actual: Any, path: str = "$") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for k, v in expected.items():
            assert k in actual, f"{path}.{k}: missing (expected {v!r})"
            assert_subset(v, actual[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), f"{path}: expected {len(expected)} items, got {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_subset(e, a, f"{path}[{i}]")
    else:
        assert _number(expected) == _number(actual), f"{path}: expected {expected!r}, got {actual!r}"


def _check_error(err: kopokopo.KopoKopoError, expect: Dict[str, Any]) -> None:
    assert isinstance(err, kopokopo.KopoKopoError)
    assert err.code == expect["code"], f"code {err.code!r} != {expect['code']!r}: {err}"
    if "field" in expect:
        assert isinstance(err, kopokopo.InvalidArgumentError)
        assert err.field == expect["field"], f"field {err.field!r} != {expect['field']!r}: {err}"
    if "http_status" in expect:
        assert getattr(err, "http_status", None) == expect["http_status"]
    if "error_code" in expect:
        assert getattr(err, "error_code", None) == expect["error_code"]
    if "error_message" in expect:
        assert getattr(err, "error_message", None) == expect["error_message"]
    if "error_messages" in expect:
        assert isinstance(err, kopokopo.ApiError)
        assert err.error_messages == expect["error_messages"]
    if "retry_after_secs" in expect:
        assert isinstance(err, kopokopo.RateLimitError)
        want = expect["retry_after_secs"]
        assert err.retry_after == (None if want is None else float(want))


# ------------------------------------------------------------------ kinds


def run_signature(case: Dict[str, Any]) -> None:
    body = _body(case)
    sig: Optional[str] = case["signature"]
    key: str = case["api_key"]
    valid = bool(case["valid"])
    assert kopokopo.verify_signature(body, sig, key) is valid
    if valid:
        assert sig is not None
        assert kopokopo.sign(body, key) == sig.strip().lower()
    else:
        with pytest.raises(kopokopo.KopoKopoError) as info:
            kopokopo.verify(body, sig, key)
        assert info.value.code == ("invalid_argument" if key == "" else "signature_invalid")


def run_request(case: Dict[str, Any]) -> None:
    method, url, headers, body = _kopokopo.build_request(
        case["operation"],
        _params(case),
        client_id=case.get("client_id") or DEFAULT_CLIENT_ID,
        client_secret=case.get("client_secret") or DEFAULT_CLIENT_SECRET,
        base_url=case.get("base_url"),
        token=case.get("token"),
    )
    expect = case["expect"]
    assert method == expect["method"]
    assert url == expect["url"]
    lower = {k.lower(): v for k, v in headers}
    for name, value in (expect.get("headers") or {}).items():
        assert lower.get(name.lower()) == value, f"header {name}: {lower.get(name.lower())!r} != {value!r}"
    for name in expect.get("headers_absent") or []:
        assert name.lower() not in lower, f"header {name} should be absent"
    if expect.get("body_form") is not None:
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        assert form == expect["body_form"]
    elif expect.get("body_json") is not None:
        assert_subset(expect["body_json"], _json(body.decode("utf-8")))
        assert_subset(_json(body.decode("utf-8")), expect["body_json"])
    else:
        assert body == b"", f"expected no body, got {body!r}"


def _response(case: Dict[str, Any]) -> Tuple[int, List[Tuple[str, str]], bytes]:
    r = case["response"]
    if "body_fixture" in r:
        body = _fixture_bytes(r["body_fixture"])
    elif "body_b64" in r:
        body = base64.b64decode(r["body_b64"])
    else:
        body = (r.get("body") or "").encode("utf-8")
    headers = [(str(k), str(v)) for k, v in (r.get("headers") or {}).items()]
    return int(r["status"]), headers, body


def run_response(case: Dict[str, Any]) -> None:
    status, headers, body = _response(case)
    result = _json(_kopokopo.parse_response(case["operation"], _params(case), status, headers, body))
    expect = case["expect"]
    if expect is None:
        assert result is None
    else:
        assert_subset(expect, result)


def run_validation_error(case: Dict[str, Any]) -> None:
    with pytest.raises(kopokopo.KopoKopoError) as info:
        _kopokopo.build_request(
            case["operation"],
            _params(case),
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            base_url=DEFAULT_BASE_URL,
            token="vector-access-token",
        )
    _check_error(info.value, case["expect"])


def run_response_error(case: Dict[str, Any]) -> None:
    status, headers, body = _response(case)
    with pytest.raises(kopokopo.KopoKopoError) as info:
        _kopokopo.parse_response(case["operation"], _params(case), status, headers, body)
    _check_error(info.value, case["expect"])


def _run_event(
    case: Dict[str, Any], native: Callable[[bytes, Optional[str], str], Any], public: Callable[..., Any]
) -> None:
    body = _body(case)
    signature = kopokopo.sign(body, VECTOR_API_KEY)
    if "expect_error" in case:
        with pytest.raises(kopokopo.KopoKopoError) as info:
            public(body, signature, VECTOR_API_KEY)
        assert info.value.code == case["expect_error"]
        return
    raw = _json(native(body, signature, VECTOR_API_KEY).json())
    assert_subset(case["expect"], raw)
    typed = public(body, signature, VECTOR_API_KEY)
    # The typed object is built from the same JSON and keeps it.
    d = typed.to_dict()
    if "value" in raw and "kind" in raw and "structure" not in raw:
        assert d == raw["value"]
    else:
        assert d == raw
    # A bad signature is refused for every event.
    with pytest.raises(kopokopo.SignatureError):
        public(body, "0" * 64, VECTOR_API_KEY)


def run_webhook(case: Dict[str, Any]) -> None:
    _run_event(case, _kopokopo.parse_webhook, kopokopo.parse_webhook)


def run_result(case: Dict[str, Any]) -> None:
    _run_event(case, _kopokopo.parse_result, kopokopo.parse_result)


RUNNERS: Dict[str, Callable[[Dict[str, Any]], None]] = {
    "signature": run_signature,
    "request": run_request,
    "response": run_response,
    "validation_error": run_validation_error,
    "response_error": run_response_error,
    "webhook": run_webhook,
    "result": run_result,
}


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_vector(case: Dict[str, Any]) -> None:
    kind = case.get("kind")
    runner = RUNNERS.get(str(kind))
    if runner is None:
        pytest.fail(f"unknown vector kind {kind!r}: teach tests/test_vectors.py to run it")
    runner(case)
