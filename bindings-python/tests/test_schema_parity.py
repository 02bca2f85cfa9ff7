"""Field-level parity with the core, driven by the schema (schema/kopokopo.json).

For every webhook, result and response fixture under tests/fixtures and every
webhook/result/response vector: each key of the core's JSON for the parsed
value is reachable as a typed attribute of the Python object (never only
through a raw dict), with the Python type the schema promises (Decimal for
money, datetime for timestamps, tuples, nested model classes), and every
scalar value of the API's own payload is found among the typed values.
User data (``metadata``, unknown topics) is a read-only mapping by design.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

import pytest

import kopokopo
from conftest import FIXTURES, REPO, VECTORS
from kopokopo import _kopokopo

SCHEMA = json.loads((REPO / "schema" / "kopokopo.json").read_text(encoding="utf-8"))
TYPES: Dict[str, Dict[str, Any]] = {t["name"]: t for t in SCHEMA["types"]}
RESULT_OF = {}
for _op in SCHEMA["operations"]:
    RESULT_OF[_op["name"]] = _op["result"]
    RESULT_OF[_op["legacy_name"]] = _op["result"]
# Struct variants with their own class (scripts/codegen/python.py, VARIANT_CLASS_NAMES).
VARIANT_CLASSES = {"CallbackResult.Unknown": "UnknownResult"}
KEY = "parity-key"


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def _thaw(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {k: _thaw(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return [_thaw(x) for x in v]
    return v


class Checker:
    def __init__(self) -> None:
        self.checked = 0

    def value(self, obj: Any, data: Any, ty: Any, path: str) -> None:
        self.checked += 1
        if ty in ("json", "metadata"):
            assert not isinstance(obj, (dict, list)), f"{path}: user data must be read-only"
            assert _thaw(obj) == data, f"{path}: {obj!r} != {data!r}"
            return
        if data is None:
            assert obj is None or obj == () or obj == "", f"{path}: {obj!r} for null"
            return
        if ty == "string":
            assert isinstance(obj, str) and obj == data, f"{path}: {obj!r} != {data!r}"
        elif ty == "money":
            assert isinstance(obj, Decimal), f"{path}: money is {type(obj).__name__}"
            assert obj == Decimal(str(data)) and str(obj) == str(data), f"{path}: {obj!r} != {data!r}"
        elif ty == "int":
            assert isinstance(obj, int) and obj == data, f"{path}: {obj!r} != {data!r}"
        elif ty == "bool":
            assert obj is data, f"{path}: {obj!r} != {data!r}"
        elif ty == "timestamp":
            raise AssertionError(f"{path}: timestamps are checked by their record")
        elif "list" in ty:
            assert isinstance(obj, tuple), f"{path}: list is {type(obj).__name__}"
            assert len(obj) == len(data), path
            for i, (o, d) in enumerate(zip(obj, data)):
                self.value(o, d, ty["list"], f"{path}[{i}]")
        else:
            self.ref(obj, data, ty["ref"], path)

    def ref(self, obj: Any, data: Any, name: str, path: str) -> None:
        t = TYPES[name]
        if t["kind"] == "record":
            assert type(obj).__name__ == name, f"{path}: {type(obj).__name__} is not {name}"
            self.record(obj, data, t["fields"], path)
            return
        tag = data[t["tag"]]
        variant = next(v for v in t["variants"] if v["tag"] == tag)
        newtype = variant["fields"] and variant["fields"][0]["name"] == ""
        if t["content"] is not None:
            assert set(data) == {t["tag"], t["content"]}, f"{path}: {sorted(data)}"
            content = data[t["content"]]
            if newtype:
                self.value(obj, content, variant["fields"][0]["type"], f"{path}<{tag}>")
            else:
                cls = VARIANT_CLASSES.get(f"{name}.{variant['name']}", f"{variant['name']}{name}")
                assert type(obj).__name__ == cls, f"{path}: {type(obj).__name__} is not {cls}"
                self.record(obj, content, variant["fields"], f"{path}<{tag}>")
        elif newtype:
            # Internally tagged: the referenced record's fields next to the tag.
            inner = variant["fields"][0]["type"]["ref"]
            assert type(obj).__name__ == inner, f"{path}: {type(obj).__name__} is not {inner}"
            assert getattr(obj, t["tag"]) == tag
            rest = {k: v for k, v in data.items() if k != t["tag"]}
            self.record(obj, rest, TYPES[inner]["fields"] + variant["fields"][1:], f"{path}<{tag}>")
        else:
            # Internally tagged struct variant (e.g. an unknown webhook resource: `value`).
            cls = VARIANT_CLASSES.get(f"{name}.{variant['name']}", f"{variant['name']}{name}")
            assert type(obj).__name__ == cls, f"{path}: {type(obj).__name__} is not {cls}"
            rest = {k: v for k, v in data.items() if k != t["tag"]}
            self.record(obj, rest, variant["fields"], f"{path}<{tag}>")

    def record(self, obj: Any, data: Dict[str, Any], fields: List[Dict[str, Any]], path: str) -> None:
        by_key = {f["key"]: f for f in fields}
        for key, value in data.items():
            f = by_key.get(key)
            assert f is not None, f"{path}.{key}: a key of the core's JSON that is not a typed field"
            attr = getattr(obj, f["name"])
            if f["type"] == "timestamp":
                self.checked += 1
                assert attr is None or isinstance(attr, dt.datetime), f"{path}.{key}: {attr!r}"
                if value is not None:
                    # The text is kept for to_dict(); an empty text is no time.
                    assert obj.__dict__.get("_t_" + f["name"]) == value, f"{path}.{key}: text not kept"
                    assert attr is not None or not value.strip(), f"{path}.{key}: {value!r} is not read as a time"
                    assert attr is None or attr.tzinfo is not None, f"{path}.{key}: naive datetime"
                    expected = _python_time(value)
                    if expected is not None:
                        assert attr == expected and attr.utcoffset() == expected.utcoffset(), f"{path}.{key}"
                else:
                    assert attr is None
            else:
                self.value(attr, value, f["type"], f"{path}.{key}")


KENYA = dt.timezone(dt.timedelta(hours=3))


def _python_time(text: str) -> Optional[dt.datetime]:
    """The instant Python's own ISO 8601 reader sees (no offset: Kenya time)."""
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=KENYA)


def _leaves(v: Any) -> Iterator[Any]:
    if isinstance(v, dict):
        for x in v.values():
            yield from _leaves(x)
    elif isinstance(v, list):
        for x in v:
            yield from _leaves(x)
    elif v is not None and v != "" and not isinstance(v, bool):
        yield v


def _typed_leaves(v: Any, out: List[Any]) -> None:
    if isinstance(v, kopokopo.WebhookEvent.__mro__[1]):  # _Model
        for k, x in vars(v).items():
            if k != "_src":
                _typed_leaves(x, out)
    elif isinstance(v, Mapping):
        for x in v.values():
            _typed_leaves(x, out)
    elif isinstance(v, tuple):
        for x in v:
            _typed_leaves(x, out)
    else:
        out.append(v)


def _norm(v: Any) -> str:
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        return "#" + str(Decimal(v).normalize())
    if isinstance(v, str):
        try:
            return "#" + str(Decimal(v).normalize())
        except ArithmeticError:
            return v
    return str(v)


def assert_payload_covered(obj: Any, payload: Any, where: str) -> None:
    typed: List[Any] = []
    _typed_leaves(obj, typed)
    have = {_norm(x) for x in typed}
    missing = [x for x in _leaves(payload) if _norm(x) not in have]
    assert not missing, f"{where}: values of the payload with no typed attribute: {missing}"


def _event_cases() -> List[Tuple[str, bytes, str]]:
    cases = []
    for path in sorted(FIXTURES.rglob("*.json")):
        name = path.name
        if name.startswith("webhook."):
            cases.append((str(path.relative_to(FIXTURES)), path.read_bytes(), "webhook"))
        elif name.startswith("result."):
            cases.append((str(path.relative_to(FIXTURES)), path.read_bytes(), "result"))
    events = json.loads((VECTORS / "events.json").read_text(encoding="utf-8"))
    for case in events["cases"]:
        if case.get("kind") in ("webhook", "result") and "expect_error" not in case:
            if "fixture" in case:
                body = (FIXTURES / case["fixture"]).read_bytes()
            elif "body" in case:
                body = case["body"] if isinstance(case["body"], str) else json.dumps(case["body"])
                body = body.encode("utf-8")
            else:
                continue
            cases.append((f"vector:{case['name']}", body, case["kind"]))
    return cases


EVENT_CASES = _event_cases()


@pytest.mark.parametrize("name,body,kind", EVENT_CASES, ids=[c[0] for c in EVENT_CASES])
def test_event_fields_are_typed(name: str, body: bytes, kind: str) -> None:
    sig = kopokopo.sign(body, KEY)
    if kind == "webhook":
        obj: Any = kopokopo.parse_webhook(body, sig, KEY)
        core = _loads(_kopokopo.parse_webhook(body, sig, KEY).json())
        type_name = "Webhook"
    else:
        obj = kopokopo.parse_result(body, sig, KEY)
        core = _loads(_kopokopo.parse_result(body, sig, KEY).json())
        type_name = "CallbackResult"
    checker = Checker()
    checker.ref(obj, core, type_name, "$")
    assert checker.checked > 0
    # Documented payloads only: some vectors carry deliberately unknown keys.
    if not name.startswith("vector:") and not isinstance(obj, kopokopo.UnknownResult):
        assert_payload_covered(obj, _loads(body.decode("utf-8")), name)


def _response_cases() -> List[Tuple[str, str, Dict[str, Any], int, List[Tuple[str, str]], bytes]]:
    out = []
    responses = json.loads((VECTORS / "responses.json").read_text(encoding="utf-8"))
    for case in responses["cases"]:
        if case.get("kind") != "response" or case.get("expect") is None:
            continue
        r = case["response"]
        if "body_fixture" in r:
            body = (FIXTURES / r["body_fixture"]).read_bytes()
        elif "body" in r:
            body = (r.get("body") or "").encode("utf-8")
        else:
            continue
        headers = [(str(k), str(v)) for k, v in (r.get("headers") or {}).items()]
        out.append((case["name"], case["operation"], case.get("params") or {}, int(r["status"]), headers, body))
    return out


RESPONSE_CASES = _response_cases()


@pytest.mark.parametrize("case", RESPONSE_CASES, ids=[c[0] for c in RESPONSE_CASES])
def test_response_fields_are_typed(case: Tuple[str, str, Dict[str, Any], int, List[Tuple[str, str]], bytes]) -> None:
    name, operation, params, status, headers, body = case
    result = RESULT_OF[operation]
    obj = _kopokopo.parse_response_object(operation, json.dumps(params), status, headers, body)
    core = _loads(_kopokopo.parse_response(operation, json.dumps(params), status, headers, body))
    if result is None:
        assert obj is None and core is None
        return
    checker = Checker()
    checker.ref(obj, core, result, "$")
    assert obj.to_dict() == core
    if status < 300 and body.strip():
        assert_payload_covered(obj, _loads(body.decode("utf-8")), name)


def test_every_fixture_kind_is_covered() -> None:
    names = {c[0] for c in EVENT_CASES}
    for path in FIXTURES.glob("webhook.*.json"):
        assert path.name in names
    for path in FIXTURES.glob("result.*.json"):
        assert path.name in names
    fixtures_in_vectors = set()
    responses = json.loads((VECTORS / "responses.json").read_text(encoding="utf-8"))
    for case in responses["cases"]:
        fx: Optional[str] = (case.get("response") or {}).get("body_fixture")
        if fx:
            fixtures_in_vectors.add(Path(fx).name)
    missing = [p.name for p in FIXTURES.glob("response.*.json") if p.name not in fixtures_in_vectors]
    assert not missing, f"response fixtures no vector parses: {missing}"
