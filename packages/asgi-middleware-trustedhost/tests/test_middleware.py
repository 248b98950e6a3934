from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_middleware_trustedhost import TrustedHostMiddleware
from asgi_testing import TestClient, WebSocketDenialResponse

Client = Callable[..., TestClient]
Call = Callable[..., Awaitable[list[Message]]]
MakeScope = Callable[..., Scope]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"OK"})


def test_the_signature_and_defaults_are_starlettes() -> None:
    parameters = inspect.signature(TrustedHostMiddleware).parameters
    assert list(parameters) == ["app", "allowed_hosts", "www_redirect"]
    assert (parameters["allowed_hosts"].default, parameters["www_redirect"].default) == (None, True)


def test_every_host_is_allowed_by_default(client: Client) -> None:
    middleware = TrustedHostMiddleware(app)
    assert (middleware.allowed_hosts, middleware.allow_any, middleware.www_redirect) == (
        ["*"],
        True,
        True,
    )
    test = client(middleware, base_url="http://anything.example")
    assert test.get("/").text == "OK"
    assert test.get("/", headers={"Host": "a b/c"}).text == "OK"


def test_public_attributes() -> None:
    middleware = TrustedHostMiddleware(
        app, allowed_hosts=("Example.org", "*.A.org"), www_redirect=False
    )
    assert middleware.app is app
    assert middleware.allowed_hosts == ["example.org", "*.a.org"]
    assert (middleware.allow_any, middleware.www_redirect) == (False, False)


@pytest.mark.parametrize(
    "host",
    [
        "example.org",
        "EXAMPLE.org",
        "example.org:8000",
        "a.example.net",
        "a.b.Example.NET:1",
        "[::1]",
        "[::1]:8000",
        "127.0.0.1:8000",
    ],
)
def test_allowed_hosts(client: Client, host: str) -> None:
    allowed = ["Example.org", "*.example.net", "[::1]", "127.0.0.1"]
    test = client(TrustedHostMiddleware(app, allowed_hosts=allowed))
    assert test.get("/", headers={"Host": host}).text == "OK"


@pytest.mark.parametrize(
    "host",
    [
        "evil.org",
        "example.net",  # a wildcard does not allow the domain itself
        "evilexample.net",
        "example.org.",
        "evil.org/x.example.net",
        "a@b.example.net",
        "a\\b.example.net",
        "x y.example.net",
        "example.org:",
        "example.org:abc",
        "::1",
        "[::1",
        "",
    ],
)
def test_refused_hosts(client: Client, host: str) -> None:
    test = client(
        TrustedHostMiddleware(app, allowed_hosts=["example.org", "*.example.net", "[::1]"])
    )
    response = test.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert response.text == "Invalid host header"
    assert [(k, v) for k, v in response.headers.multi_items()] == [
        ("content-length", "19"),
        ("content-type", "text/plain; charset=utf-8"),
    ]


@pytest.mark.anyio
async def test_a_missing_host_is_refused(call: Call, scope: MakeScope) -> None:
    start, body = await call(TrustedHostMiddleware(app, allowed_hosts=["example.org"]), scope())
    assert start == {
        "type": "http.response.start",
        "status": 400,
        "headers": [(b"content-length", b"19"), (b"content-type", b"text/plain; charset=utf-8")],
    }
    assert body == {"type": "http.response.body", "body": b"Invalid host header"}


@pytest.mark.anyio
async def test_the_first_host_header_counts(call: Call, scope: MakeScope) -> None:
    middleware = TrustedHostMiddleware(app, allowed_hosts=["example.org"])
    first = await call(middleware, scope(headers=[(b"host", b"example.org"), (b"host", b"evil")]))
    assert first[0]["status"] == 200
    second = await call(middleware, scope(headers=[(b"host", b"evil"), (b"host", b"example.org")]))
    assert second[0]["status"] == 400


@pytest.mark.anyio
async def test_the_refusal_headers_are_a_new_list_each_time(call: Call, scope: MakeScope) -> None:
    middleware = TrustedHostMiddleware(app, allowed_hosts=["example.org"])
    first, _ = await call(middleware, scope())
    first["headers"].append((b"x-added", b"by an outer middleware"))
    second, _ = await call(middleware, scope())
    assert len(second["headers"]) == 2


def test_www_redirect(client: Client) -> None:
    test = client(
        TrustedHostMiddleware(app, allowed_hosts=["www.example.org"]), follow_redirects=False
    )
    response = test.post("/a b/c?x=1&y=%20", headers={"Host": "Example.org:8000"})
    assert response.status_code == 307
    assert [(k, v) for k, v in response.headers.multi_items()] == [
        ("content-length", "0"),
        ("location", "http://www.Example.org:8000/a%20b/c?x=1&y=%20"),
    ]
    assert test.get("/", headers={"Host": "www.example.org"}).text == "OK"
    secure = client(
        TrustedHostMiddleware(app, allowed_hosts=["www.example.org"]), base_url="https://x"
    )
    response = secure.get("/p", headers={"Host": "example.org"}, follow_redirects=False)
    assert response.headers["location"] == "https://www.example.org/p"


def test_www_redirect_needs_the_www_host_listed_exactly(client: Client) -> None:
    wildcard = client(TrustedHostMiddleware(app, allowed_hosts=["*.example.org"]))
    assert wildcard.get("/", headers={"Host": "example.org"}).status_code == 400
    both = client(TrustedHostMiddleware(app, allowed_hosts=["*.example.org", "WWW.example.org"]))
    response = both.get("/", headers={"Host": "example.org"}, follow_redirects=False)
    assert response.headers["location"] == "http://www.example.org/"


def test_www_redirect_can_be_turned_off(client: Client) -> None:
    test = client(TrustedHostMiddleware(app, allowed_hosts=["www.example.org"], www_redirect=False))
    assert test.get("/", headers={"Host": "example.org"}).status_code == 400


def test_no_www_redirect_for_an_invalid_host(client: Client) -> None:
    test = client(TrustedHostMiddleware(app, allowed_hosts=["www.a@b.org"]))
    assert test.get("/", headers={"Host": "a@b.org"}).status_code == 400


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("//evil.com/x", b"http://www.example.org//evil.com/x"),
        ("/a?b#c", b"http://www.example.org/a%3Fb%23c"),
    ],
)
async def test_www_redirect_keeps_the_host(
    call: Call, scope: MakeScope, path: str, location: bytes
) -> None:
    request = scope(headers=[(b"host", b"example.org")])
    request["path"] = path
    start, _ = await call(TrustedHostMiddleware(app, allowed_hosts=["www.example.org"]), request)
    assert start["headers"] == [(b"content-length", b"0"), (b"location", location)]


def test_websocket_allowed(client: Client) -> None:
    test = client(TrustedHostMiddleware(app, allowed_hosts=["example.org"]))
    with test.websocket_connect("/ws", headers={"Host": "example.org"}):
        pass


def test_websocket_refused_with_a_denial_response(client: Client) -> None:
    test = client(TrustedHostMiddleware(app, allowed_hosts=["example.org"]))
    with pytest.raises(WebSocketDenialResponse) as info:
        with test.websocket_connect("/ws", headers={"Host": "evil.org"}):
            pass  # pragma: no cover - refused
    assert (info.value.status_code, info.value.text) == (400, "Invalid host header")


def test_websocket_www_redirect(client: Client) -> None:
    test = client(TrustedHostMiddleware(app, allowed_hosts=["www.example.org"]))
    with pytest.raises(WebSocketDenialResponse) as info:
        with test.websocket_connect("/ws?a=1", headers={"Host": "example.org"}):
            pass  # pragma: no cover - refused
    assert info.value.status_code == 307
    assert info.value.headers["location"] == "ws://www.example.org/ws?a=1"


@pytest.mark.anyio
async def test_other_scopes_pass_through() -> None:
    seen: list[Any] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def receive() -> Message:
        raise AssertionError  # pragma: no cover - never called

    async def send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - never called

    middleware = TrustedHostMiddleware(inner, allowed_hosts=["example.org"])
    await middleware({"type": "lifespan"}, receive, send)
    assert seen == ["lifespan"]


def test_generators_are_read_once(client: Client) -> None:
    hosts = (h for h in ["example.org"])
    test = client(TrustedHostMiddleware(app, allowed_hosts=hosts))  # type: ignore[arg-type]
    assert test.get("/", headers={"Host": "example.org"}).text == "OK"
