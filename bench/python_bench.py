"""Python benchmarks, side by side in one process (bench/run calls this).

(a) Per webhook: verify alone and verify-then-parse, for every webhook and
    result fixture, through kopokopo, through the standard library
    (hmac.new(...).hexdigest() + hmac.compare_digest [+ json.loads]) and
    through the official k2-connect 2.0.0 (result_processor signature check
    + payload_decomposer.decompose). The headline figures are the all-fields
    ones (`*_all`): verify + parse + read every value (walk the whole typed
    object vs walk the whole dict / k2-connect's object). `parse_ours` alone
    (no field read) is reported too.
(b) 1,000 STK push creations against one `k2 mock`, through kopokopo's client
    and through k2connect.IncomingPayments.
(c) 1,000 STK push creations with 16 in flight: kopokopo.AsyncClient
    (max_concurrency=16, all 1,000 gathered), kopokopo.Client on 16 threads,
    and k2connect.IncomingPayments on 16 threads.

Prints one JSON object per measurement (median/min/max) to stdout.
Usage: python bench/python_bench.py K2_MOCK_BASE_URL [--pushes N] [--repeats R]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import hmac
import json
import pathlib
import statistics
import sys
import time
import timeit
from collections.abc import Mapping

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
API_KEY = "k2-mock-api-key"


_KINDS: dict = {}


def _kind(t: type, v) -> object:
    if dataclasses.is_dataclass(v):
        return tuple(f.name for f in dataclasses.fields(v))
    if issubclass(t, tuple):
        return 1
    if isinstance(v, Mapping):
        return 2
    return 0


def walk_typed(v) -> None:
    """Reads every field of a kopokopo object, recursively (attribute access;
    the field names of each class are looked up once, as handler code has them
    written out)."""
    t = type(v)
    kind = _KINDS.get(t)
    if kind is None:
        kind = _KINDS[t] = _kind(t, v)
    if kind == 0:
        return
    if kind == 1:
        for x in v:
            walk_typed(x)
    elif kind == 2:
        for x in v.values():
            walk_typed(x)
    else:
        for n in kind:
            walk_typed(getattr(v, n))


def walk_json(v) -> None:
    """Reads every value of json.loads output, recursively."""
    t = type(v)
    if t is dict:
        for x in v.values():
            walk_json(x)
    elif t is list:
        for x in v:
            walk_json(x)


def walk_any(v) -> None:
    """Reads every value of k2-connect's output (dicts, lists, objects)."""
    if isinstance(v, dict):
        for x in v.values():
            walk_any(x)
    elif isinstance(v, (list, tuple)):
        for x in v:
            walk_any(x)
    elif hasattr(v, "__dict__") and not isinstance(v, type):
        for x in vars(v).values():
            walk_any(x)


def per_call_us(fn, number: int, repeats: int) -> dict:
    times = timeit.repeat(fn, number=number, repeat=repeats)
    per = [t / number * 1e6 for t in times]
    return {"median_us": statistics.median(per), "min_us": min(per), "max_us": max(per)}


class FlaskLikeRequest:
    """What k2connect's ResultProcessor.process expects (a Flask request)."""

    def __init__(self, body: bytes, signature: str) -> None:
        self._body = body
        self.headers = {"X-KopoKopo-Signature": signature}

    def get_data(self) -> bytes:
        return self._body

    def get_json(self):
        return json.loads(self._body)


def webhooks(repeats: int) -> list[dict]:
    import kopokopo
    import k2connect
    from k2connect import payload_decomposer
    from k2connect.result_processor import ResultProcessor

    processor = ResultProcessor("https://sandbox.kopokopo.com/", API_KEY)
    key = API_KEY.encode()
    out = []
    files = sorted(FIXTURES.glob("webhook.*.json")) + sorted(FIXTURES.glob("result.*.json"))
    for path in files:
        body = path.read_bytes()
        sig = hmac.new(key, body, hashlib.sha256).hexdigest()
        is_result = path.name.startswith("result.")
        ours_parse = kopokopo.parse_result if is_result else kopokopo.parse_webhook

        def ours_verify():
            return kopokopo.verify_signature(body, sig, API_KEY)

        def std_verify():
            return hmac.compare_digest(hmac.new(key, body, hashlib.sha256).hexdigest(), sig)

        def ours_full():
            return ours_parse(body, sig, API_KEY)

        first_field = dataclasses.fields(ours_full())[0].name

        def ours_materialized():
            # parse, then read a field: builds every Python value (Decimal, datetime, nested models)
            return getattr(ours_parse(body, sig, API_KEY), first_field)

        def std_full():
            if not hmac.compare_digest(hmac.new(key, body, hashlib.sha256).hexdigest(), sig):
                raise ValueError("bad signature")
            return json.loads(body)

        def k2_full():
            text = processor.process(FlaskLikeRequest(body, sig))
            return payload_decomposer.decompose(text)

        def ours_all():
            walk_typed(ours_parse(body, sig, API_KEY))

        def std_all():
            if not hmac.compare_digest(hmac.new(key, body, hashlib.sha256).hexdigest(), sig):
                raise ValueError("bad signature")
            walk_json(json.loads(body))

        def k2_all():
            text = processor.process(FlaskLikeRequest(body, sig))
            walk_any(payload_decomposer.decompose(text))

        def k2_verify():
            return processor.process(FlaskLikeRequest(body, sig))

        # Sanity: every implementation accepts this body.
        assert ours_verify() and std_verify()
        ours_full()
        k2_ok = True
        try:
            k2_full()
        except Exception as e:  # k2connect cannot decompose some payloads
            k2_ok = False
            k2_error = f"{type(e).__name__}: {e}"[:120]
        n = 2000
        row = {
            "bench": "python_webhook",
            "fixture": path.name,
            "bytes": len(body),
            "verify_ours": per_call_us(ours_verify, n, repeats),
            "verify_stdlib": per_call_us(std_verify, n, repeats),
            "verify_k2connect": per_call_us(k2_verify, n, repeats),
            "parse_ours": per_call_us(ours_full, n, repeats),
            "parse_ours_materialized": per_call_us(ours_materialized, n, repeats),
            "parse_stdlib": per_call_us(std_full, n, repeats),
            "parse_ours_all": per_call_us(ours_all, n, repeats),
            "parse_stdlib_all": per_call_us(std_all, n, repeats),
        }
        row["ratio_all_ours_stdlib"] = row["parse_ours_all"]["median_us"] / row["parse_stdlib_all"]["median_us"]
        if k2_ok:
            row["parse_k2connect"] = per_call_us(k2_full, n, repeats)
            row["parse_k2connect_all"] = per_call_us(k2_all, n, repeats)
        else:
            row["parse_k2connect_error"] = k2_error
        out.append(row)
    del k2connect
    return out


def stk_pushes(base_url: str, pushes: int, repeats: int) -> list[dict]:
    import kopokopo
    import k2connect

    client = kopokopo.Client(
        client_id="k2-mock-client-id",
        client_secret="k2-mock-client-secret",
        api_key=API_KEY,
        base_url=base_url,
    )
    k2connect.initialize("k2-mock-client-id", "k2-mock-client-secret", base_url + "/", API_KEY)
    token = k2connect.Tokens.request_access_token()
    access_token = token["access_token"] if isinstance(token, dict) else json.loads(token)["access_token"]
    k2_service = k2connect.IncomingPayments(access_token)
    callback = "http://127.0.0.1:10009/unused"

    def ours():
        for i in range(pushes):
            client.incoming_payments.create(
                till_number="K000000",
                phone_number="+254712345678",
                first_name="Jane",
                last_name="Doe",
                amount="100",
                callback_url=callback,
                metadata={"n": i},
            )

    def theirs():
        for i in range(pushes):
            k2_service.create_incoming_payment(
                {
                    "payment_channel": "M-PESA STK Push",
                    "till_number": "K000000",
                    "subscriber": {"first_name": "Jane", "last_name": "Doe", "phone_number": "+254712345678"},
                    "amount": {"currency": "KES", "value": 100},
                    "callback_url": callback,
                    "metadata": {"n": i},
                }
            )

    ours()  # warm up (token, connections)
    theirs()
    results = {}
    for name, fn in (("ours", ours), ("k2connect", theirs)):
        rates = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            rates.append(pushes / (time.perf_counter() - t0))
        results[name] = {"median_per_s": statistics.median(rates), "min_per_s": min(rates), "max_per_s": max(rates)}
    return [{"bench": "python_stk_push", "pushes": pushes, **results}]


def stk_pushes_concurrent(base_url: str, pushes: int, repeats: int, in_flight: int = 16) -> list[dict]:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import kopokopo
    import k2connect

    creds = dict(client_id="k2-mock-client-id", client_secret="k2-mock-client-secret", api_key=API_KEY,
                 base_url=base_url)
    client = kopokopo.Client(**creds)
    k2connect.initialize("k2-mock-client-id", "k2-mock-client-secret", base_url + "/", API_KEY)
    token = k2connect.Tokens.request_access_token()
    access_token = token["access_token"] if isinstance(token, dict) else json.loads(token)["access_token"]
    k2_service = k2connect.IncomingPayments(access_token)
    callback = "http://127.0.0.1:10009/unused"

    def push_args(i: int) -> dict:
        return dict(till_number="K000000", phone_number="+254712345678", first_name="Jane", last_name="Doe",
                    amount="100", callback_url=callback, metadata={"n": i})

    def k2_push(i: int) -> None:
        k2_service.create_incoming_payment(
            {
                "payment_channel": "M-PESA STK Push",
                "till_number": "K000000",
                "subscriber": {"first_name": "Jane", "last_name": "Doe", "phone_number": "+254712345678"},
                "amount": {"currency": "KES", "value": 100},
                "callback_url": callback,
                "metadata": {"n": i},
            }
        )

    pool = ThreadPoolExecutor(max_workers=in_flight)

    def threads_ours() -> None:
        for _ in pool.map(lambda i: client.incoming_payments.create(**push_args(i)), range(pushes)):
            pass

    def threads_k2() -> None:
        for _ in pool.map(k2_push, range(pushes)):
            pass

    async def async_ours_run() -> None:
        async with kopokopo.AsyncClient(**creds, max_concurrency=in_flight) as aclient:
            await aclient.tokens.request()
            t0 = time.perf_counter()
            created = await asyncio.gather(*(aclient.incoming_payments.create(**push_args(i)) for i in range(pushes)))
            rates.append(pushes / (time.perf_counter() - t0))
            assert len({c.id for c in created}) == pushes

    threads_ours()  # warm up (token, connections)
    threads_k2()
    results = {}
    for name, fn in (("threads_ours", threads_ours), ("threads_k2connect", threads_k2)):
        rates = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            rates.append(pushes / (time.perf_counter() - t0))
        results[name] = {"median_per_s": statistics.median(rates), "min_per_s": min(rates), "max_per_s": max(rates)}
    rates = []
    asyncio.run(async_ours_run())  # warm up
    rates.clear()
    for _ in range(repeats):
        asyncio.run(async_ours_run())
    results["async_ours"] = {"median_per_s": statistics.median(rates), "min_per_s": min(rates),
                             "max_per_s": max(rates)}
    pool.shutdown()
    return [{"bench": "python_stk_push_concurrent", "pushes": pushes, "in_flight": in_flight, **results}]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base_url")
    ap.add_argument("--pushes", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--webhooks-only", action="store_true", help="skip the STK push comparison (no k2 mock needed)")
    ap.add_argument("--pushes-only", action="store_true", help="only the STK push comparisons")
    args = ap.parse_args()
    if args.webhooks_only:
        for row in webhooks(args.repeats):
            print(json.dumps(row), flush=True)
        return
    push_repeats = max(3, args.repeats // 2)
    rows = [] if args.pushes_only else webhooks(args.repeats)
    rows += stk_pushes(args.base_url, args.pushes, push_repeats)
    rows += stk_pushes_concurrent(args.base_url, args.pushes, max(5, args.repeats))
    for row in rows:
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    sys.exit(main())
