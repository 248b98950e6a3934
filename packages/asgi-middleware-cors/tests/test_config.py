from __future__ import annotations

import re
from typing import Any

import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_cors import CORSMiddleware


async def app(scope: Scope, receive: Receive, send: Send) -> None:  # pragma: no cover - unused
    pass


@pytest.mark.parametrize(
    "name", ["allow_origins", "allow_methods", "allow_headers", "expose_headers"]
)
@pytest.mark.parametrize("value", ["https://a.org", b"GET"])
def test_a_single_string_is_refused(name: str, value: Any) -> None:
    with pytest.raises(TypeError) as info:
        CORSMiddleware(app, **{name: value})
    message = str(info.value)
    assert message.startswith(f"{name} must be a collection of strings such as [")
    assert (
        f"not a single string: received {value!r}. Wrap it in a list: {name}=[{value!r}]."
        in message
    )


def test_a_non_string_item_is_refused() -> None:
    with pytest.raises(TypeError) as info:
        CORSMiddleware(app, allow_methods=["GET", 1])  # type: ignore[list-item]
    assert str(info.value) == (
        "allow_methods must hold strings such as ['GET', 'POST']: received 1 (int) in "
        "allow_methods=['GET', 1]."
    )


@pytest.mark.parametrize("value", ["600", 1.5, None, True])
def test_max_age_must_be_an_int(value: Any) -> None:
    with pytest.raises(
        TypeError, match=r"^max_age must be a whole number of seconds \(an int\), received "
    ):
        CORSMiddleware(app, max_age=value)


def test_max_age_must_not_be_negative() -> None:
    with pytest.raises(
        ValueError, match=r"^max_age must be 0 or more seconds, received -5\. Use max_age=0"
    ):
        CORSMiddleware(app, max_age=-5)
    assert CORSMiddleware(app, max_age=0).preflight_headers["Access-Control-Max-Age"] == "0"


def test_an_invalid_regex_says_so() -> None:
    with pytest.raises(re.error) as info:
        CORSMiddleware(app, allow_origin_regex="https://(a.org")
    assert str(info.value).startswith(
        "allow_origin_regex is not a valid regular expression (missing ), unterminated "
        "subpattern at position 8): received 'https://(a.org'."
    )
    assert info.value.pos == 8


def test_a_compiled_regex_is_accepted() -> None:
    pattern = re.compile(r"https://a\.org")
    assert CORSMiddleware(app, allow_origin_regex=pattern).allow_origin_regex is pattern  # type: ignore[arg-type]
