from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_middleware_httpsredirect import HTTPSRedirectMiddleware
from asgi_testing import TestClient, WebSocketDenialResponse

Client = Callable[..., TestClient]
Call = Callable[..., Awaitable[list[Message]]]
MakeScope = Callable[..., Scope]

INVALID = [(b"content-length", b"19"), (b"content-type", b"text/plain; charset=utf-8")]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"OK"})


def test_the_signature_is_starlettes() -> None:
    assert list(inspect.signature(HTTPSRedirectMiddleware).parameters) == ["app"]
    assert HTTPSRedirectMiddleware(app).app is app


def test_http_is_redirected(client: Client) -> None:
    test = client(HTTPSRedirectMiddleware(app), follow_redirects=False)
    response = test.post("/a b/c?x=1&y=%20")
    assert response.status_code == 307
    assert response.text == ""
    assert [(k, v) for k, v in response.headers.multi_items()] == [
        ("content-length", "0"),
        ("location", "https://testserver/a%20b/c?x=1&y=%20"),
    ]


def test_https_passes_through(client: Client) -> None:
    test = client(HTTPSRedirectMiddleware(app), base_url="https://testserver")
    assert test.get("/").text == "OK"


def test_following_the_redirect_reaches_the_app(client: Client) -> None:
    assert client(HTTPSRedirectMiddleware(app)).get("/x").text == "OK"


@pytest.mark.parametrize(
    ("host", "location"),
    [
        ("example.org", "https://example.org/p?q=1"),
        ("EXAMPLE.org", "https://EXAMPLE.org/p?q=1"),
        ("EXAMPLE.org:80", "https://example.org/p?q=1"),
        ("example.org:443", "https://example.org/p?q=1"),
        ("example.org:0443", "https://example.org/p?q=1"),
        ("example.org:8080", "https://example.org:8080/p?q=1"),
        ("[::1]", "https://[::1]/p?q=1"),
        ("[::1]:80", "https://[::1]/p?q=1"),
        ("[::1]:8443", "https://[::1]:8443/p?q=1"),
        ("1.2.3.4:80", "https://1.2.3.4/p?q=1"),
    ],
)
def test_the_location_host(client: Client, host: str, location: str) -> None:
    test = client(HTTPSRedirectMiddleware(app), follow_redirects=False)
    assert test.get("/p?q=1", headers={"Host": host}).headers["location"] == location


@pytest.mark.parametrize(
    "host",
    [
        "evil.com/path",
        "a@b",
        "a\\b",
        "a b",
        "",
        "example.org:",
        "example.org:abc",
        "example.org:99999",
        "[zz]",
    ],
)
def test_a_crafted_host_is_refused(client: Client, host: str) -> None:
    test = client(HTTPSRedirectMiddleware(app), follow_redirects=False)
    response = test.get("/", headers={"Host": host})
    assert (response.status_code, response.text) == (400, "Invalid host header")
    assert "location" not in response.headers


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("server", "location"),
    [
        (("example.org", 80), b"https://example.org/"),
        (("example.org", 8080), b"https://example.org:8080/"),
        (("::1", 443), b"https://[::1]/"),
        (("::1", 8000), b"https://[::1]:8000/"),
    ],
)
async def test_without_host_the_server_address_is_used(
    call: Call, scope: MakeScope, server: tuple[str, int | None], location: bytes
) -> None:
    request = scope()
    request["server"] = server
    start, _ = await call(HTTPSRedirectMiddleware(app), request)
    assert start["headers"] == [(b"content-length", b"0"), (b"location", location)]


@pytest.mark.anyio
@pytest.mark.parametrize("server", [None, ("/run/app.sock", None)])
async def test_without_host_and_server_address_it_is_refused(
    call: Call, scope: MakeScope, server: tuple[str, None] | None
) -> None:
    request = scope()
    if server is None:
        del request["server"]
    else:
        request["server"] = server
    start, body = await call(HTTPSRedirectMiddleware(app), request)
    assert start == {"type": "http.response.start", "status": 400, "headers": INVALID}
    assert body == {"type": "http.response.body", "body": b"Invalid host header"}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "root_path", "location"),
    [
        ("//evil.com", "", b"https://example.org//evil.com"),
        ("evil.com", "", b"https://example.org/evil.com"),
        ("/a?b#c", "", b"https://example.org/a%3Fb%23c"),
        ("/app/x", "/app", b"https://example.org/app/x"),
    ],
)
async def test_the_path_stays_a_path(
    call: Call, scope: MakeScope, path: str, root_path: str, location: bytes
) -> None:
    request = scope(headers=[(b"host", b"example.org")])
    request["path"], request["root_path"] = path, root_path
    start, _ = await call(HTTPSRedirectMiddleware(app), request)
    assert start["headers"][1] == (b"location", location)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("scope_type", "scheme", "location"),
    [
        ("http", None, b"https://example.org/"),
        ("websocket", None, b"wss://example.org/"),
        ("http", "ws", b"wss://example.org/"),
        ("websocket", "http", b"https://example.org/"),
    ],
)
async def test_the_scheme(
    call: Call, scope: MakeScope, scope_type: str, scheme: str | None, location: bytes
) -> None:
    """Without "scheme" ASGI means http or ws; a scheme is mapped whatever the scope type."""
    request = scope(headers=[(b"host", b"example.org")])
    request["type"] = scope_type
    if scheme is None:
        del request["scheme"]
    else:
        request["scheme"] = scheme
    start, _ = await call(HTTPSRedirectMiddleware(app), request)
    assert start["status"] == 307
    assert start["headers"][1] == (b"location", location)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("scope_type", "scheme"), [("http", "https"), ("http", "HTTP"), ("websocket", "wss")]
)
async def test_secure_and_unknown_schemes_pass_through(
    call: Call, scope: MakeScope, scope_type: str, scheme: str
) -> None:
    seen: list[str] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["scheme"])

    request = scope()
    request["type"], request["scheme"] = scope_type, scheme
    assert await call(HTTPSRedirectMiddleware(inner), request) == []
    assert seen == [scheme]


def test_websocket_is_redirected_with_a_denial_response(client: Client) -> None:
    test = client(HTTPSRedirectMiddleware(app))
    with pytest.raises(WebSocketDenialResponse) as info:
        with test.websocket_connect("/ws?a=1", headers={"Host": "example.org:80"}):
            pass  # pragma: no cover - refused
    assert info.value.status_code == 307
    assert info.value.headers["location"] == "wss://example.org/ws?a=1"


def test_websocket_with_a_crafted_host_is_refused(client: Client) -> None:
    test = client(HTTPSRedirectMiddleware(app))
    with pytest.raises(WebSocketDenialResponse) as info:
        with test.websocket_connect("/ws", headers={"Host": "a@b"}):
            pass  # pragma: no cover - refused
    assert (info.value.status_code, info.value.text) == (400, "Invalid host header")


def test_secure_websocket_passes_through(client: Client) -> None:
    test = client(HTTPSRedirectMiddleware(app), base_url="https://testserver")
    with test.websocket_connect("/ws"):
        pass


@pytest.mark.anyio
async def test_the_refusal_headers_are_a_new_list_each_time(call: Call, scope: MakeScope) -> None:
    middleware = HTTPSRedirectMiddleware(app)
    first, _ = await call(middleware, scope(headers=[(b"host", b"a b")]))
    first["headers"].append((b"x-added", b"by an outer middleware"))
    second, _ = await call(middleware, scope(headers=[(b"host", b"a b")]))
    assert second["headers"] == INVALID


@pytest.mark.anyio
async def test_lifespan_passes_through() -> None:
    seen: list[Any] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def receive() -> Message:
        raise AssertionError  # pragma: no cover - never called

    async def send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - never called

    await HTTPSRedirectMiddleware(inner)({"type": "lifespan"}, receive, send)
    assert seen == ["lifespan"]
