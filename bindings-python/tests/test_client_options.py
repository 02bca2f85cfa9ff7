"""The client options every binding has: base URL, timeout, connect timeout,
max retries, user-agent suffix and proxy (durations in seconds or as a
``timedelta``)."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

import kopokopo

OPTIONS = ["api_key", "base_url", "timeout", "connect_timeout", "max_retries", "user_agent_suffix", "proxy"]


def test_every_option_is_a_keyword() -> None:
    params = inspect.signature(kopokopo.Client).parameters
    for name in OPTIONS:
        assert name in params, name
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_options_are_applied() -> None:
    c = kopokopo.Client(
        "id",
        "secret",
        base_url="http://127.0.0.1:9",
        timeout=dt.timedelta(seconds=12.5),
        connect_timeout=2,
        max_retries=4,
        user_agent_suffix="shop/1.2",
        proxy="none",
    )
    assert c.base_url == "http://127.0.0.1:9"
    assert c.timeout == 12.5
    assert c.connect_timeout == 2.0
    assert c.max_retries == 4
    assert c.user_agent.endswith("; shop/1.2)")
    assert "python/" in c.user_agent
    c = kopokopo.Client("id", "secret", timeout=1.5, connect_timeout=dt.timedelta(milliseconds=250))
    assert (c.timeout, c.connect_timeout) == (1.5, 0.25)


@pytest.mark.parametrize("field,value", [("timeout", 0), ("connect_timeout", dt.timedelta(0)), ("max_retries", -1)])
def test_bad_options_name_the_field(field: str, value: object) -> None:
    with pytest.raises(kopokopo.InvalidArgumentError) as info:
        kopokopo.Client("id", "secret", **{field: value})  # type: ignore[arg-type]
    assert info.value.field == field
