from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import pytest
from itsdangerous import TimestampSigner

from asgi_middleware_sessions import MAX_COOKIE_SIZE, SessionTooLargeError
from asgi_middleware_sessions._cookie import (
    DATA_SALT,
    ID_SALT,
    SessionCookie,
    decode_data,
    encode_data,
)

NOW = 1_800_000_000


def cookie(**options: Any) -> SessionCookie:
    settings: dict[str, Any] = {
        "salt": DATA_SALT,
        "max_age": 1209600,
        "path": "/",
        "same_site": "lax",
        "https_only": False,
        "domain": None,
        "partitioned": False,
        **options,
    }
    keys = settings.pop("keys", ["secret"])
    return SessionCookie(settings.pop("name", "session"), keys, **settings)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: NOW)


def test_data_is_base64_of_json_dumps_as_starlette_writes_it() -> None:
    data = {"a": 1, "é": ["x", None]}
    payload = encode_data(data)
    assert payload == b"eyJhIjogMSwgIlx1MDBlOSI6IFsieCIsIG51bGxdfQ=="
    assert decode_data(payload) == data


@pytest.mark.parametrize(
    "payload",
    [
        b"!!!!",  # not base64
        base64.b64encode(b'{"a": 1}').rstrip(b"="),  # padding cut off
        base64.urlsafe_b64encode(b'{"a": "\xff\xfe??>>"}'),  # the URL-safe alphabet
        base64.b64encode(b"not json"),
        base64.b64encode(b'{"a": "\xff"}'),  # not UTF-8
        base64.b64encode(b"[1, 2]"),
        base64.b64encode(b"3"),
        base64.b64encode(b'"text"'),
        base64.b64encode(b"null"),
        base64.b64encode(b"[" * 3000),  # deeper than the recursion limit
        b"",
    ],
)
def test_payloads_that_are_not_base64_json_objects_give_none(payload: bytes) -> None:
    assert decode_data(payload) is None


def test_the_set_cookie_header_is_starlettes_byte_for_byte(frozen: None) -> None:
    payload = encode_data({"a": 1, "é": ["x", None]})
    signed = (
        b"session=eyJhIjogMSwgIlx1MDBlOSI6IFsieCIsIG51bGxdfQ==.a0nSAA.cgpMUUCc6hREb2MQLfV21h8Styk"
    )
    assert cookie().set_header(payload) == (
        b"set-cookie",
        signed + b"; path=/; Max-Age=1209600; httponly; samesite=lax",
    )
    assert cookie(max_age=None).set_header(payload) == (
        b"set-cookie",
        signed + b"; path=/; httponly; samesite=lax",
    )
    every_option = cookie(
        name="sid",
        path="/app",
        same_site="strict",
        https_only=True,
        domain="example.com",
        partitioned=True,
    )
    assert every_option.set_header(payload) == (
        b"set-cookie",
        b"sid" + signed[len(b"session") :] + b"; path=/app; Max-Age=1209600; httponly; "
        b"samesite=strict; secure; domain=example.com; partitioned",
    )
    assert every_option.delete_header == (
        b"set-cookie",
        (
            b"sid=null; path=/app; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; "
            b"samesite=strict; secure; domain=example.com; partitioned"
        ),
    )
    assert cookie().delete_header == (
        b"set-cookie",
        b"session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax",
    )


def test_a_cookie_itsdangerous_signed_with_the_key_is_read() -> None:
    value = TimestampSigner("secret").sign(b"payload").decode()
    assert cookie().unsign(value) == b"payload"


def test_the_first_key_signs_and_every_key_verifies(frozen: None) -> None:
    rotated = cookie(keys=["new", "old"])
    _, header = rotated.set_header(b"payload")
    value = header.split(b";")[0].split(b"=", 1)[1].decode()
    assert TimestampSigner("new").unsign(value) == b"payload"
    old = TimestampSigner("old").sign(b"before").decode()
    assert rotated.unsign(old) == b"before"
    assert cookie(keys=["new"]).unsign(old) is None  # once the old key is dropped


def test_ids_and_data_are_signed_apart() -> None:
    data_cookie = cookie()
    id_cookie = cookie(salt=ID_SALT)
    _, header = data_cookie.set_header(b"payload")
    value = header.split(b";")[0].split(b"=", 1)[1].decode()
    assert data_cookie.unsign(value) == b"payload"
    assert id_cookie.unsign(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "a.b.c",
        "payload.AAAAAA.bad",
        "é.é.é",
        TimestampSigner("other").sign("x").decode(),
    ],
)
def test_forged_or_malformed_values_give_none(value: str) -> None:
    assert cookie().unsign(value) is None


def test_expiry_is_checked_on_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: NOW)
    value = TimestampSigner("secret").sign(b"payload").decode()
    monkeypatch.setattr(time, "time", lambda: NOW + 61)
    assert cookie(max_age=60).unsign(value) is None
    assert cookie(max_age=61).unsign(value) == b"payload"
    assert cookie(max_age=None).unsign(value) == b"payload"  # a browser-session cookie
    monkeypatch.setattr(time, "time", lambda: NOW - 10)
    assert cookie(max_age=60).unsign(value) is None  # signed in the future


def test_an_oversized_incoming_cookie_is_not_even_verified() -> None:
    big = TimestampSigner("secret").sign(b"x" * MAX_COOKIE_SIZE).decode()
    assert cookie().unsign(big) is None
    fits = TimestampSigner("secret").sign(b"x" * (MAX_COOKIE_SIZE - 7 - 35)).decode()
    assert len("session") + len(fits) == MAX_COOKIE_SIZE
    assert cookie().unsign(fits) is not None


def test_a_session_too_large_for_a_cookie_raises() -> None:
    limit = MAX_COOKIE_SIZE - len("session") - 35  # the signature adds 35 bytes
    header = cookie().set_header(b"x" * limit)
    assert len(header[1].split(b";")[0]) == MAX_COOKIE_SIZE + 1  # name, "=" and value
    with pytest.raises(SessionTooLargeError) as caught:
        cookie().set_header(b"x" * (limit + 1))
    assert caught.value.size == MAX_COOKIE_SIZE + 1
    assert "'session' would be 4097 bytes" in str(caught.value)


@pytest.mark.parametrize(
    ("headers", "value"),
    [
        ([], None),
        ([(b"cookie", b"other=1")], None),
        ([(b"cookie", b"session=abc")], "abc"),
        ([(b"cookie", b'a=1; session="abc"; b=2')], "abc"),
        ([(b"cookie", b"session=1; session=2")], "2"),
        ([(b"cookie", b"session=1"), (b"x", b"y"), (b"cookie", b"session=2")], "2"),
        ([(b"cookie", b"session=1"), (b"cookie", b"other=2")], "1"),
        ([(b"Cookie", b"session=1")], None),  # ASGI header names are lower case
        ([(b"cookie", b"session=\xe9")], "\xe9"),
    ],
)
def test_read_takes_the_last_value_of_the_cookie(
    make_scope: Callable[..., Any], headers: list[tuple[bytes, bytes]], value: str | None
) -> None:
    assert cookie().read(make_scope(headers)) == value
