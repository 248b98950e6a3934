"""TestClient over HTTP: scopes, bodies, cookies, redirects, streaming, exceptions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_testing import TestClient, WebSocketDisconnect
from asgi_testing._httpx import httpx

MakeClient = Callable[..., TestClient]


async def respond(
    send: Send,
    body: bytes = b"",
    status: int = 200,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers or []})
    await send({"type": "http.response.body", "body": body})


def scope_recorder(seen: list[Scope]) -> Callable[[Scope, Receive, Send], Any]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)
        await respond(send, b"ok")

    return app


def test_http_scope(make_client: MakeClient) -> None:
    seen: list[Scope] = []
    client = make_client(scope_recorder(seen))
    response = client.get("/a%20b/c?x=1&y=%C3%A9", headers={"X-Custom": "v"})
    assert response.status_code == 200
    assert response.text == "ok"
    scope = seen[0]
    assert scope["type"] == "http"
    assert scope["method"] == "GET"
    assert scope["path"] == "/a b/c"
    assert scope["raw_path"] == b"/a%20b/c"
    assert scope["query_string"] == b"x=1&y=%C3%A9"
    assert scope["root_path"] == ""
    assert scope["scheme"] == "http"
    assert scope["http_version"] == "1.1"
    assert scope["client"] == ("testclient", 50000)
    assert scope["server"] == ("testserver", 80)
    assert scope["asgi"]["version"] == "3.0"
    assert "http.response.debug" in scope["extensions"]
    headers = dict(scope["headers"])
    assert headers[b"host"] == b"testserver"
    assert headers[b"user-agent"] == b"testclient"
    assert headers[b"x-custom"] == b"v"
    assert b"accept" in headers
    assert all(isinstance(k, bytes) and isinstance(v, bytes) for k, v in scope["headers"])


def test_scope_options(make_client: MakeClient) -> None:
    seen: list[Scope] = []
    client = make_client(
        scope_recorder(seen),
        base_url="https://example.org:8443",
        root_path="/api",
        client=("10.0.0.1", 1234),
        headers={"user-agent": "mine", "x-default": "1"},
    )
    client.get("/items")
    scope = seen[0]
    assert scope["scheme"] == "https"
    assert scope["server"] == ("example.org", 8443)
    assert dict(scope["headers"])[b"host"] == b"example.org:8443"
    assert dict(scope["headers"])[b"user-agent"] == b"mine"
    assert dict(scope["headers"])[b"x-default"] == b"1"
    assert scope["root_path"] == "/api"
    assert scope["path"] == "/items"
    assert scope["client"] == ("10.0.0.1", 1234)
    client.get("https://other.org/x", headers={"host": "explicit.org"})
    assert [v for k, v in seen[1]["headers"] if k == b"host"] == [b"explicit.org"]
    client.get("http://[::1]:8000/x")
    assert dict(seen[2]["headers"])[b"host"] == b"[::1]:8000"


def test_default_headers_in_starlettes_order(make_client: MakeClient) -> None:
    seen: list[Scope] = []
    defaults = {"X-Default": "d", "Accept": "text/html"}
    make_client(scope_recorder(seen), headers=defaults).get("/")
    # httpx's defaults, the client's (replacing httpx's accept), then the user agent
    assert [name for name, _ in seen[0]["headers"]] == [
        b"host",
        b"accept-encoding",
        b"connection",
        b"x-default",
        b"accept",
        b"user-agent",
    ]
    assert seen[0]["headers"][3:] == [
        (b"x-default", b"d"),
        (b"accept", b"text/html"),
        (b"user-agent", b"testclient"),
    ]
    assert defaults == {"X-Default": "d", "Accept": "text/html"}  # the caller's, unchanged
    make_client(scope_recorder(seen)).get("/", headers={"X-Request": "r"})
    assert [name for name, _ in seen[1]["headers"]] == [
        b"host",
        b"accept",
        b"accept-encoding",
        b"connection",
        b"user-agent",
        b"x-request",
    ]


def test_a_client_user_agent_replaces_the_default_in_any_case(make_client: MakeClient) -> None:
    seen: list[Scope] = []
    for name in ("user-agent", "User-Agent"):
        make_client(scope_recorder(seen), headers={name: "mine"}).get("/")
        assert [v for k, v in seen[-1]["headers"] if k == b"user-agent"] == [b"mine"]


@pytest.mark.parametrize(
    ("base_url", "host", "server"),
    [
        ("http://[::1]:8000", b"[::1]:8000", ("::1", 8000)),
        ("http://[::1]", b"[::1]", ("::1", 80)),
        ("https://[2001:db8::1]:8443", b"[2001:db8::1]:8443", ("2001:db8::1", 8443)),
    ],
)
def test_ipv6_base_url(
    make_client: MakeClient, base_url: str, host: bytes, server: tuple[str, int]
) -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)
        if scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.close"})
        else:
            await respond(send, b"ok")

    client = make_client(app, base_url=base_url)
    assert client.get("/x").url == f"{base_url}/x"
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/ws"):
        pass  # pragma: no cover - the app closes during the handshake
    for scope in seen:
        assert dict(scope["headers"])[b"host"] == host
        assert scope["server"] == server
        assert scope["path"] in ("/x", "/ws")


def echo_app() -> Callable[[Scope, Receive, Send], Any]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        messages = []
        while True:
            message = await receive()
            messages.append(message)
            if not message.get("more_body"):
                break
        body = json.dumps(
            {
                "chunks": [m["body"].decode() for m in messages],
                "more": [m["more_body"] for m in messages],
                "content_type": dict(scope["headers"]).get(b"content-type", b"").decode(),
            }
        ).encode()
        await respond(send, body)
        assert await receive() == {"type": "http.disconnect"}

    return app


def test_request_bodies(make_client: MakeClient) -> None:
    client = make_client(echo_app())
    assert client.post("/", content=b"raw").json()["chunks"] == ["raw"]
    assert client.post("/").json() == {"chunks": [""], "more": [False], "content_type": ""}
    assert client.post("/", json={"a": 1}).json()["chunks"] == ['{"a":1}']
    result = client.post("/", data={"a": "1", "b": "x y"}).json()
    assert result["chunks"] == ["a=1&b=x+y"]
    assert result["content_type"] == "application/x-www-form-urlencoded"
    result = client.post("/", files={"f": ("a.txt", b"file-body")}).json()
    assert "file-body" in "".join(result["chunks"])
    assert result["content_type"].startswith("multipart/form-data; boundary=")


def test_streamed_request_body_arrives_in_chunks(make_client: MakeClient) -> None:
    def generate() -> Iterator[bytes]:
        yield b"one"
        yield b""
        yield b"two"
        yield b"three"

    result = make_client(echo_app()).post("/", content=generate()).json()
    assert result["chunks"] == ["one", "two", "three"]
    assert result["more"] == [True, True, False]


def test_cookies_persist(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        cookie = dict(scope["headers"]).get(b"cookie", b"")
        await respond(send, cookie, headers=[(b"set-cookie", b"session=abc; Path=/")])

    client = make_client(app, cookies={"initial": "1"})
    assert client.get("/").text == "initial=1"
    assert sorted(client.get("/").text.split("; ")) == ["initial=1", "session=abc"]


def test_redirects_are_followed_by_default(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/old":
            await respond(send, status=307, headers=[(b"location", b"/new")])
        else:
            await respond(send, scope["path"].encode())

    response = make_client(app).get("/old")
    assert response.status_code == 200
    assert response.text == "/new"
    assert response.history[0].status_code == 307
    assert make_client(app, follow_redirects=False).get("/old").status_code == 307


def failing_app(when: str) -> Callable[[Scope, Receive, Send], Any]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if when == "before":
            raise ValueError("broken before the response")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise ValueError("broken after the response started")

    return app


def test_exceptions_are_raised_by_default(make_client: MakeClient) -> None:
    with pytest.raises(ValueError, match="broken before the response"):
        make_client(failing_app("before")).get("/")
    with pytest.raises(ValueError, match="broken after the response started"):
        make_client(failing_app("after")).get("/")


def test_exceptions_become_500_when_asked(make_client: MakeClient) -> None:
    response = make_client(failing_app("before"), raise_server_exceptions=False).get("/")
    assert response.status_code == 500
    assert response.content == b""
    response = make_client(failing_app("after"), raise_server_exceptions=False).get("/")
    assert response.status_code == 200
    assert response.content == b"partial"


def test_streaming_response_is_read_as_it_is_sent(make_client: MakeClient) -> None:
    # backpressure: send() returns once the test has taken the chunk, so an endless stream
    # runs only as far ahead as the test reads
    sent: list[int] = []
    errors: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            for number in range(1000):
                sent.append(number)
                await send(
                    {"type": "http.response.body", "body": b"%d" % number, "more_body": True}
                )
        except OSError:
            errors.append("OSError")

    with make_client(app).stream("GET", "/") as response:
        chunks = response.iter_raw()
        assert next(chunks) == b"0"
        assert len(sent) <= 2
        assert next(chunks) == b"1"
        assert len(sent) <= 3
    assert errors == ["OSError"]  # its send() after the test closed the response
    assert len(sent) == 3


def test_closing_a_stream_early_disconnects_the_app(make_client: MakeClient) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()  # the (empty) request body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        message = await receive()
        events.append(message["type"])

    with make_client(app).stream("GET", "/") as response:
        assert next(response.iter_bytes()) == b"first"
    assert events == ["http.disconnect"]


def test_send_after_the_client_closed_raises_oserror(make_client: MakeClient) -> None:
    # the scope says ASGI spec 2.4, whose servers raise OSError from send() then
    errors: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["asgi"]["spec_version"] == "2.4"
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        assert await receive() == {"type": "http.request", "body": b"", "more_body": False}
        assert await receive() == {"type": "http.disconnect"}
        try:
            await send({"type": "http.response.body", "body": b"more", "more_body": True})
        except OSError as exc:
            errors.append(str(exc))

    with make_client(app, timeout=5).stream("GET", "/") as response:
        assert next(response.iter_bytes()) == b"first"
    assert len(errors) == 1
    assert errors[0].startswith("The client closed the connection before the response was")


def test_closing_a_stream_early_cancels_an_app_that_ignores_it(make_client: MakeClient) -> None:
    import anyio

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await anyio.sleep_forever()

    with make_client(app, timeout=0.2).stream("GET", "/") as response:
        assert next(response.iter_bytes()) == b"first"


def test_background_work_finishes_before_the_request_returns(make_client: MakeClient) -> None:
    import anyio

    done: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await respond(send, b"sent")
        await anyio.sleep(0.05)
        done.append("background")

    response = make_client(app).get("/")
    assert response.text == "sent"
    assert done == ["background"]


def test_background_exception_is_raised(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await respond(send, b"sent")
        raise RuntimeError("background task failed")

    with pytest.raises(RuntimeError, match="background task failed"):
        make_client(app).get("/")
    assert make_client(app, raise_server_exceptions=False).get("/").text == "sent"


def test_debug_extension_exposes_template_and_context(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        info = {"template": "index.html", "context": {"a": 1}}
        await send({"type": "http.response.debug", "info": info})
        await respond(send, b"<html>")

    response = make_client(app).get("/")
    assert response.template == "index.html"  # type: ignore[attr-defined]
    assert response.context == {"a": 1}  # type: ignore[attr-defined]
    assert response.extensions["http.response.debug"] == {
        "template": "index.html",
        "context": {"a": 1},
    }


def test_debug_extension_sets_only_what_the_app_reported(make_client: MakeClient) -> None:
    def app_reporting(info: dict[str, Any], after_start: bool = False) -> Any:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            if not after_start:
                await send({"type": "http.response.debug", "info": info})
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"o", "more_body": True})
            if after_start:  # the test holds the response by now
                await send({"type": "http.response.debug", "info": info})
            await send({"type": "http.response.body", "body": b"k"})

        return app

    response = make_client(app_reporting({"template": "t.html"})).get("/")
    assert response.template == "t.html"  # type: ignore[attr-defined]
    assert not hasattr(response, "context")
    response = make_client(app_reporting({"context": {}})).get("/")
    assert not hasattr(response, "template")
    assert response.context == {}  # type: ignore[attr-defined]
    response = make_client(app_reporting({"other": 1})).get("/")
    assert response.extensions["http.response.debug"] == {"other": 1}
    assert not hasattr(response, "template")
    assert "http.response.debug" not in make_client(echo_app()).post("/").extensions
    response = make_client(app_reporting({"template": "late.html"}, after_start=True)).get("/")
    assert response.template == "late.html"  # type: ignore[attr-defined]


def test_push_and_early_hints_are_accepted(make_client: MakeClient) -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)
        link = b"</style.css>; rel=preload; as=style"
        await send({"type": "http.response.early_hint", "links": [link]})
        await send({"type": "http.response.push", "path": "/style.css", "headers": []})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.early_hint", "links": [link]})
        await send({"type": "http.response.body", "body": b"ok"})

    assert make_client(app).get("/").text == "ok"
    # not offered in the scope, as Starlette's TestClient does not offer them either
    assert sorted(seen[0]["extensions"]) == ["http.response.debug", "http.response.trailers"]


def test_every_httpx_method(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await respond(send, scope["method"].encode())

    client = make_client(app)
    assert client.get("/").text == "GET"
    assert client.post("/").text == "POST"
    assert client.put("/").text == "PUT"
    assert client.patch("/").text == "PATCH"
    assert client.delete("/").text == "DELETE"
    assert client.options("/").text == "OPTIONS"
    assert client.head("/").status_code == 200
    assert client.request("PROPFIND", "/").text == "PROPFIND"


def test_asgi2_apps(make_client: MakeClient) -> None:
    class ASGI2App:
        def __init__(self, scope: Scope) -> None:
            self.scope = scope

        async def __call__(self, receive: Receive, send: Send) -> None:
            await respond(send, b"asgi2 " + self.scope["path"].encode())

    def asgi2_function(scope: Scope) -> Callable[[Receive, Send], Any]:
        async def instance(receive: Receive, send: Send) -> None:
            await respond(send, b"asgi2 function")

        return instance

    assert make_client(ASGI2App).get("/x").text == "asgi2 /x"
    assert make_client(asgi2_function).get("/").text == "asgi2 function"


def test_asgi3_class_and_callable_instances(make_client: MakeClient) -> None:
    class ClassApp:
        def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
            self.send = send

        def __await__(self) -> Any:
            return respond(self.send, b"asgi3 class").__await__()

    class CallableApp:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await respond(send, b"asgi3 instance")

    assert make_client(ClassApp).get("/").text == "asgi3 class"
    assert make_client(CallableApp()).get("/").text == "asgi3 instance"


def test_request_without_context_uses_fresh_event_loops(make_client: MakeClient) -> None:
    from anyio.lowlevel import RunVar

    counter: RunVar[int] = RunVar("counter", default=0)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        counter.set(counter.get() + 1)
        await respond(send, str(counter.get()).encode())

    client = make_client(app)
    assert [client.get("/").text for _ in range(3)] == ["1", "1", "1"]
    with make_client(app) as client:
        assert [client.get("/").text for _ in range(3)] == ["1", "2", "3"]


def test_timeouts_are_httpx_timeouts(make_client: MakeClient) -> None:
    import anyio

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep(0.3)
        await respond(send, b"late")

    with pytest.raises(httpx.ReadTimeout):
        make_client(slow, timeout=0.05).get("/")
    assert make_client(slow, timeout=0.05).get("/", timeout=None).text == "late"


def test_head_responses_have_no_body(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await respond(
            send, b"a body the server must not send", headers=[(b"content-length", b"31")]
        )

    response = make_client(app).head("/")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "31"
