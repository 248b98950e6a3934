from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from asgi_middleware_sessions import MemorySessionStore, RedisSessionStore, SessionStore
from asgi_middleware_sessions._store import dumps, loads, new_session_id, positive_int


def test_session_ids_are_random_256_bit_and_cookie_safe() -> None:
    ids = {new_session_id() for _ in range(1000)}
    assert len(ids) == 1000
    for session_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", session_id)  # 32 bytes of token_urlsafe


def test_dumps_is_json_dumps() -> None:
    assert dumps({"a": [1, None], "é": True}) == '{"a": [1, null], "\\u00e9": true}'


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        ({"when": dt.date(2026, 1, 1)}, "Object of type date is not JSON serializable"),
        ({"set": {1}}, "Object of type set is not JSON serializable"),
    ],
)
def test_dumps_says_what_a_session_may_hold(data: dict[str, Any], cause: str) -> None:
    with pytest.raises(TypeError, match=r"Keep only JSON values in the session") as caught:
        dumps(data)
    assert cause in str(caught.value)
    assert isinstance(caught.value.__cause__, TypeError)


def test_dumps_of_a_cycle() -> None:
    data: dict[str, Any] = {}
    data["self"] = data
    with pytest.raises(TypeError, match=r"Circular reference detected"):
        dumps(data)


@pytest.mark.parametrize(
    ("raw", "data"),
    [
        ('{"a": 1}', {"a": 1}),
        (b'{"a": 1}', {"a": 1}),
        ("[1]", None),
        ("null", None),
        ("{", None),
        (b"\xff", None),
        ("[" * 3000, None),
    ],
)
def test_loads_accepts_only_json_objects(raw: str | bytes, data: dict[str, Any] | None) -> None:
    assert loads(raw) == data


def test_positive_int() -> None:
    assert positive_int("Store", "size", 3) == 3
    for bad in (0, -1, 1.0, True, "3", None):
        with pytest.raises(ValueError, match=r"Store\(size=.*\): pass a whole number > 0\."):
            positive_int("Store", "size", bad)


def test_the_stores_implement_the_protocol() -> None:
    assert isinstance(MemorySessionStore(), SessionStore)
    assert isinstance(RedisSessionStore("redis://127.0.0.1:1"), SessionStore)
    assert not isinstance(object(), SessionStore)
