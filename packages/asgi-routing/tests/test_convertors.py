from __future__ import annotations

import math
import uuid
from typing import Any

import pytest

from asgi_routing import CONVERTOR_TYPES, Convertor, Route, Router, register_url_convertor
from asgi_routing._convertors import SEGMENT_CONVERTORS


def test_builtin_conversions() -> None:
    assert CONVERTOR_TYPES["str"].convert("abc") == "abc"
    assert CONVERTOR_TYPES["path"].convert("a/b") == "a/b"
    assert CONVERTOR_TYPES["int"].convert("0042") == 42
    assert CONVERTOR_TYPES["float"].convert("1.5") == 1.5
    value = uuid.uuid4()
    assert CONVERTOR_TYPES["uuid"].convert(str(value)) == value


def test_to_string() -> None:
    assert CONVERTOR_TYPES["str"].to_string("abc") == "abc"
    assert CONVERTOR_TYPES["path"].to_string("a/b") == "a/b"
    assert CONVERTOR_TYPES["int"].to_string(7) == "7"
    assert CONVERTOR_TYPES["float"].to_string(1.5) == "1.5"
    assert CONVERTOR_TYPES["float"].to_string(2.0) == "2"
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert CONVERTOR_TYPES["uuid"].to_string(value) == "12345678-1234-5678-1234-567812345678"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("str", "a/b", "May not contain path separators"),
        ("str", "", "Must not be empty"),
        ("int", -1, "Negative integers are not supported"),
        ("float", -1.0, "Negative floats are not supported"),
        ("float", math.nan, "NaN values are not supported"),
        ("float", math.inf, "Infinite values are not supported"),
    ],
)
def test_to_string_refuses(kind: str, value: Any, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        CONVERTOR_TYPES[kind].to_string(value)


def test_only_builtin_single_segment_convertors_are_indexed() -> None:
    assert {id(CONVERTOR_TYPES[n]) for n in ("str", "int", "float", "uuid")} == set(
        SEGMENT_CONVERTORS
    )
    assert id(CONVERTOR_TYPES["path"]) not in SEGMENT_CONVERTORS


def test_register_a_custom_convertor() -> None:
    class DateConvertor(Convertor[str]):
        regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

        def convert(self, value: str) -> str:
            return value.replace("-", "")

        def to_string(self, value: str) -> str:
            return f"{value[:4]}-{value[4:6]}-{value[6:]}"

    register_url_convertor("date", DateConvertor())
    try:
        route = Route("/on/{day:date}", lambda request: None)
        router = Router([route])
        assert router.url_path_for("<lambda>", day="20260102") == "/on/2026-01-02"
        match = route.path_regex.fullmatch("/on/2026-01-02")
        assert match is not None
    finally:
        del CONVERTOR_TYPES["date"]
