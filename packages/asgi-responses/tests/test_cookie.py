from __future__ import annotations

from datetime import datetime, timezone

import pytest

from asgi_core import UsageError
from asgi_responses import cookie_header


def test_defaults() -> None:
    assert cookie_header("a", "1") == "a=1; Path=/; SameSite=lax"


def test_every_attribute() -> None:
    expires = datetime(2037, 1, 22, 12, 0, 10, tzinfo=timezone.utc)
    header = cookie_header(
        "mycookie",
        "myvalue",
        max_age=10,
        expires=expires,
        path="/",
        domain="localhost",
        secure=True,
        httponly=True,
        samesite="none",
    )
    assert header == (
        "mycookie=myvalue; Domain=localhost; expires=Thu, 22 Jan 2037 12:00:10 GMT; "
        "HttpOnly; Max-Age=10; Path=/; SameSite=none; Secure"
    )


def test_expires_as_string_and_seconds() -> None:
    assert "expires=Thu, 01 Jan 1970 00:00:00 GMT" in cookie_header(
        "a", expires="Thu, 01 Jan 1970 00:00:00 GMT"
    )
    assert "expires=" in cookie_header("a", expires=60)


def test_no_path_no_samesite() -> None:
    assert cookie_header("a", "1", path=None, samesite=None) == "a=1"


def test_values_needing_quotes() -> None:
    assert cookie_header("a", "with space", samesite=None) == 'a="with space"; Path=/'


def test_partitioned_on_every_python_where_python_3_14_writes_it() -> None:
    # http.cookies (Python 3.14+, where Starlette supports it) writes attributes sorted by
    # name: Partitioned comes after Max-Age and before Path
    assert cookie_header("a", "1", secure=True, partitioned=True) == (
        "a=1; Partitioned; Path=/; SameSite=lax; Secure"
    )
    assert cookie_header(
        "a", "1", max_age=5, domain="x.org", httponly=True, samesite=None, partitioned=True
    ) == ("a=1; Domain=x.org; HttpOnly; Max-Age=5; Partitioned; Path=/")
    # no check of its own: browsers drop a Partitioned cookie that is not also Secure
    assert cookie_header("a", partitioned=True, path=None, samesite=None) == 'a=""; Partitioned'


def test_invalid_samesite() -> None:
    # Starlette's message; an AssertionError (what Starlette raises) and a ValueError
    with pytest.raises(UsageError) as info:
        cookie_header("a", "1", samesite="sometimes")  # type: ignore[arg-type]
    assert str(info.value) == "samesite must be either 'strict', 'lax' or 'none'"
    assert isinstance(info.value, AssertionError)
    assert isinstance(info.value, ValueError)


def test_samesite_is_case_insensitive() -> None:
    assert cookie_header("a", samesite="Strict").endswith("SameSite=Strict")  # type: ignore[arg-type]
