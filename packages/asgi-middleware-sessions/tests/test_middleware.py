"""SessionMiddleware with the signed cookie (the default), around raw ASGI apps."""

from __future__ import annotations

import base64
import inspect
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from itsdangerous import TimestampSigner

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_sessions import Session, SessionMiddleware, SessionTooLargeError
from asgi_testing import TestClient

Client = Callable[..., TestClient]
Call = Callable[[ASGIApp, Scope], Awaitable[list[Message]]]
MakeScope = Callable[..., Scope]
NOW = 1_800_000_000


def starlette_cookie(data: Any, key: str = "secret") -> str:
    """A cookie value in Starlette's format: base64 JSON, itsdangerous timestamp-signed."""
    payload = base64.b64encode(json.dumps(data).encode())
    return TimestampSigner(key).sign(payload).decode()


def read_cookie(value: str, key: str = "secret") -> Any:
    """What Starlette's middleware would find in a cookie value."""
    return json.loads(base64.b64decode(TimestampSigner(key).unsign(value)))


def set_cookies(response: Any) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k == "set-cookie"]


def cookie_value(response: Any, name: str = "session") -> str:
    (header,) = set_cookies(response)
    first = header.split(";")[0]
    assert first.startswith(f"{name}=")
    return first[len(name) + 1 :]


def test_the_signature_and_defaults_are_starlettes() -> None:
    parameters = inspect.signature(SessionMiddleware).parameters
    assert list(parameters) == [
        "app",
        "secret_key",
        "session_cookie",
        "max_age",
        "path",
        "same_site",
        "https_only",
        "domain",
        "partitioned",
        "store",  # additive, keyword-only
    ]
    defaults = {
        name: p.default for name, p in parameters.items() if name not in ("app", "secret_key")
    }
    assert defaults == {
        "session_cookie": "session",
        "max_age": 14 * 24 * 60 * 60,
        "path": "/",
        "same_site": "lax",
        "https_only": False,
        "domain": None,
        "partitioned": False,
        "store": None,
    }
    assert parameters["store"].kind is inspect.Parameter.KEYWORD_ONLY


def test_a_session_round_trip(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret"))
    response = test.get("/set?user=ada")
    assert response.json() == {"user": "ada"}
    assert response.headers["vary"] == "Cookie"
    value = cookie_value(response)
    assert read_cookie(value) == {"user": "ada"}
    (header,) = set_cookies(response)
    assert header == f"session={value}; path=/; Max-Age=1209600; httponly; samesite=lax"

    response = test.get("/read")
    assert response.json() == {"user": "ada"}
    assert response.headers["vary"] == "Cookie"
    assert set_cookies(response) == []  # not modified: no Set-Cookie

    response = test.get("/set-int?n=1")
    assert response.json() == {"user": "ada", "n": 1}
    assert read_cookie(cookie_value(response)) == {"user": "ada", "n": 1}


def test_untouched_sessions_add_no_headers(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret"))
    test.get("/set?user=ada")
    for path in ("/health", "/peek"):  # /peek reads without request.session's mark
        response = test.get(path)
        assert "vary" not in response.headers
        assert set_cookies(response) == []
    assert test.get("/peek").json() == "ada"


def test_clearing_a_session_deletes_the_cookie(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret"))
    test.get("/set?user=ada")
    response = test.get("/clear")
    assert set_cookies(response) == [
        "session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax"
    ]
    assert response.headers["vary"] == "Cookie"
    assert "session" not in test.cookies
    assert test.get("/read").json() == {}


def test_clearing_an_empty_session_sets_no_cookie(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret"))
    response = test.get("/clear")
    assert response.headers["vary"] == "Cookie"
    assert set_cookies(response) == []


def test_a_starlette_cookie_is_read_and_ours_is_starlettes_format(
    client: Client, app: ASGIApp
) -> None:
    test = client(SessionMiddleware(app, "secret"))
    test.cookies.set("session", starlette_cookie({"user": "ada", "é": [1, None]}))
    assert test.get("/read").json() == {"user": "ada", "é": [1, None]}
    response = test.get("/set?n=2")
    assert read_cookie(cookie_value(response)) == {"user": "ada", "é": [1, None], "n": "2"}


def test_the_set_cookie_header_is_starlettes_byte_for_byte(
    monkeypatch: pytest.MonkeyPatch, call: Call, make_scope: MakeScope
) -> None:
    """Observed from Starlette 1.10 with the same key, data and clock."""
    monkeypatch.setattr(time, "time", lambda: NOW)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["session"].update({"a": 1, "é": ["x", None]})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    middleware = SessionMiddleware(
        app,
        "secret",
        session_cookie="sid",
        path="/app",
        same_site="strict",
        https_only=True,
        domain="example.com",
        partitioned=True,
    )
    import anyio

    sent = anyio.run(call, middleware, make_scope())
    assert sent[0]["headers"] == [
        (b"vary", b"Cookie"),
        (
            b"set-cookie",
            (
                b"sid=eyJhIjogMSwgIlx1MDBlOSI6IFsieCIsIG51bGxdfQ==.a0nSAA."
                b"cgpMUUCc6hREb2MQLfV21h8Styk; "
                b"path=/app; Max-Age=1209600; httponly; samesite=strict; secure; "
                b"domain=example.com; partitioned"
            ),
        ),
    ]


def test_max_age_none_is_a_browser_session_cookie(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret", max_age=None))
    response = test.get("/set?user=ada")
    (header,) = set_cookies(response)
    assert header == f"session={cookie_value(response)}; path=/; httponly; samesite=lax"
    assert test.get("/read").json() == {"user": "ada"}


def test_an_expired_cookie_is_refused_by_the_server(
    client: Client, app: ASGIApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    test = client(SessionMiddleware(app, "secret", max_age=60))
    monkeypatch.setattr(time, "time", lambda: NOW)
    value = cookie_value(test.get("/set?user=ada"))
    monkeypatch.setattr(time, "time", lambda: NOW + 61)
    test.cookies.clear()
    test.cookies.set("session", value)  # a browser that kept it too long
    assert test.get("/read").json() == {}
    response = test.get("/clear")
    assert set_cookies(response) == []  # nothing valid came in: nothing to delete


def test_secure_cookies_over_https(client: Client, app: ASGIApp) -> None:
    test = client(
        SessionMiddleware(app, "secret", https_only=True, same_site="none", partitioned=True),
        base_url="https://testserver",
    )
    response = test.get("/set?user=ada")
    (header,) = set_cookies(response)
    assert header.endswith("; httponly; samesite=none; secure; partitioned")
    assert test.get("/read").json() == {"user": "ada"}


def test_path_and_cookie_name(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret", session_cookie="sid", path="/"))
    response = test.get("/set?user=ada")
    assert read_cookie(cookie_value(response, "sid")) == {"user": "ada"}
    assert test.get("/read").json() == {"user": "ada"}


def test_key_rotation(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, ["new", "old"]))
    test.cookies.set("session", starlette_cookie({"user": "ada"}, key="old"))
    assert test.get("/read").json() == {"user": "ada"}
    response = test.get("/set?n=1")
    assert read_cookie(cookie_value(response), key="new") == {"user": "ada", "n": "1"}
    test.cookies.clear()
    test.cookies.set("session", starlette_cookie({"user": "eve"}, key="unknown"))
    assert test.get("/read").json() == {}


def _tampered() -> str:
    """One character of the signature changed (not the last: it carries padding bits)."""
    payload, timestamp, signature = starlette_cookie({"user": "ada"}).split(".")
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    return f"{payload}.{timestamp}.{flipped}"


def _signed(payload: bytes) -> str:
    return TimestampSigner("secret").sign(payload).decode()


BAD_COOKIES = {
    "tampered": _tampered(),
    "forged data": starlette_cookie({"user": "admin"}).replace(
        base64.b64encode(b'{"user": "admin"}').decode(),
        base64.b64encode(b'{"user": "root!"}').decode(),
    ),
    "truncated": starlette_cookie({"user": "ada"})[:20],
    "no signature": base64.b64encode(b'{"user": "ada"}').decode(),
    "other key": starlette_cookie({"user": "ada"}, key="other"),
    "not base64": _signed(b"!!!!"),
    "cut padding": _signed(base64.b64encode(b'{"a": 1}').rstrip(b"=")),
    "not JSON": _signed(base64.b64encode(b"not json")),
    "not UTF-8": _signed(base64.b64encode(b'{"a": "\xff"}')),
    "a JSON list": _signed(base64.b64encode(b"[1, 2]")),
    "a JSON string": _signed(base64.b64encode(b'"ada"')),
    "JSON null": _signed(base64.b64encode(b"null")),
    "a JSON list of pairs": _signed(base64.b64encode(b'[["user", "admin"]]')),
    "deeply nested": _signed(base64.b64encode(b"[" * 2000)),
    "oversized": starlette_cookie({"x": "x" * 4000}),
    "empty": "",
    "garbage": "\x7f\x00;;=",
}


@pytest.mark.parametrize("value", BAD_COOKIES.values(), ids=BAD_COOKIES.keys())
def test_bad_cookies_give_an_empty_session(
    client: Client, app: ASGIApp, value: str, call: Call, make_scope: MakeScope
) -> None:
    test = client(SessionMiddleware(app, "secret"))
    test.cookies.set("session", value)
    response = test.get("/read")
    assert (response.status_code, response.json()) == (200, {})
    response = test.get("/clear")
    assert set_cookies(response) == []  # it was never a session: nothing to delete
    response = test.get("/set?user=eve")  # a fresh, valid cookie replaces it
    assert read_cookie(cookie_value(response)) == {"user": "eve"}


@pytest.mark.anyio
async def test_bad_raw_cookie_headers(call: Call, make_scope: MakeScope, app: ASGIApp) -> None:
    for raw in (b"session", b"=;=;", b"session=\xff\xfe", b"\x00session=\x00", b"session=a=b"):
        sent = await call(SessionMiddleware(app, "secret"), make_scope([(b"cookie", raw)]))
        assert sent[0]["status"] == 200


def test_a_session_too_large_for_a_cookie_raises_before_the_response(
    client: Client, app: ASGIApp
) -> None:
    test = client(SessionMiddleware(app, "secret"))
    with pytest.raises(SessionTooLargeError, match=r"'session' would be \d+ bytes"):
        test.get("/big?size=4000")
    quiet = client(SessionMiddleware(app, "secret"), raise_server_exceptions=False)
    assert quiet.get("/big?size=4000").status_code == 500
    assert quiet.get("/big?size=2900").status_code == 200  # fits


@pytest.mark.anyio
async def test_nothing_is_sent_when_the_session_is_too_large(
    call: Call, make_scope: MakeScope
) -> None:
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["session"]["x"] = "x" * 5000
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        except SessionTooLargeError:
            sent.append({"type": "caught"})
            raise

    with pytest.raises(SessionTooLargeError):
        sent.extend(await call(SessionMiddleware(app, "secret"), make_scope()))
    assert sent == [{"type": "caught"}]


def test_values_that_are_not_json_raise_a_clear_type_error(client: Client) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["session"]["when"] = object()
        await send({"type": "http.response.start", "status": 200, "headers": []})

    with pytest.raises(TypeError, match=r"Keep only JSON values in the session"):
        client(SessionMiddleware(app, "secret")).get("/")


VARY_CASES = [
    ([], [(b"vary", b"Cookie")]),
    ([(b"vary", b"Accept-Encoding")], [(b"vary", b"Accept-Encoding, Cookie")]),
    ([(b"vary", b"Cookie")], [(b"vary", b"Cookie, Cookie")]),
    ([(b"vary", b"*")], [(b"vary", b"*, Cookie")]),
    ([(b"vary", b"")], [(b"vary", b", Cookie")]),
    (
        [(b"vary", b"A"), (b"x", b"1"), (b"vary", b"B")],
        [(b"vary", b"A, B, Cookie"), (b"x", b"1")],
    ),
    ([(b"Vary", b"Cookie")], [(b"Vary", b"Cookie"), (b"vary", b"Cookie")]),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("before", "after"), VARY_CASES)
async def test_vary_cookie_is_merged_as_starlette_does(
    call: Call,
    make_scope: MakeScope,
    before: list[tuple[bytes, bytes]],
    after: list[tuple[bytes, bytes]],
) -> None:
    headers = [(b"content-type", b"text/plain"), *before]
    original = list(headers)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["session"].mark_accessed()
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"OK"})

    sent = await call(SessionMiddleware(app, "secret"), make_scope())
    assert sent[0]["headers"] == [(b"content-type", b"text/plain"), *after]
    assert headers == original  # the app's list is not changed in place
    assert sent[1] == {"type": "http.response.body", "body": b"OK"}


@pytest.mark.anyio
async def test_a_start_without_headers_and_other_set_cookies(
    call: Call, make_scope: MakeScope
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["session"]["a"] = 1
        await send({"type": "http.response.start", "status": 204})

    sent = await call(SessionMiddleware(app, "secret"), make_scope())
    assert [name for name, _ in sent[0]["headers"]] == [b"vary", b"set-cookie"]

    async def with_cookie(scope: Scope, receive: Receive, send: Send) -> None:
        scope["session"]["a"] = 1
        headers = [(b"set-cookie", b"x=1")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})

    sent = await call(SessionMiddleware(with_cookie, "secret"), make_scope())
    names = [(name, value[:2]) for name, value in sent[0]["headers"]]
    assert names == [(b"set-cookie", b"x="), (b"vary", b"Co"), (b"set-cookie", b"se")]


@pytest.mark.anyio
async def test_a_session_already_in_the_scope_is_replaced(
    call: Call, make_scope: MakeScope
) -> None:
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["session"])
        await send({"type": "http.response.start", "status": 200, "headers": []})

    cookie = f"session={starlette_cookie({'a': 1})}".encode()
    await call(SessionMiddleware(app, "secret"), make_scope([(b"cookie", cookie)], session={}))
    assert type(seen[0]) is Session
    assert seen[0] == {"a": 1}


def test_websockets_read_the_session_but_cannot_write_it(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret"))
    test.get("/set?user=ada")
    with test.websocket_connect("/ws") as websocket:
        assert websocket.receive_json() == {"user": "ada"}
    assert test.get("/read").json() == {"user": "ada"}  # no Set-Cookie on a WebSocket


@pytest.mark.anyio
async def test_lifespan_passes_through() -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)
        await send({"type": "lifespan.startup.complete"})

    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(message: Message) -> None:
        sent.append(message)

    await SessionMiddleware(app, "secret")({"type": "lifespan"}, receive, send)
    assert "session" not in seen[0]
    assert sent == [{"type": "lifespan.startup.complete"}]


def test_regenerate_with_the_signed_cookie_signs_it_again(client: Client, app: ASGIApp) -> None:
    test = client(SessionMiddleware(app, "secret"))
    response = test.get("/login?user=ada")
    assert read_cookie(cookie_value(response)) == {"user": "ada"}
