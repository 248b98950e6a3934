from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

import pytest

from asgi_core import HTTPException, Request
from asgi_core.types import Message, Scope
from asgi_responses import PlainTextResponse
from asgi_routing import HTTPEndpoint, Route, Router, WebSocketEndpoint, WebSocketRoute
from asgi_testing import TestClient, WebSocketDisconnect
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]


class Items(HTTPEndpoint):
    async def get(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse("get")

    def post(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse("sync post")

    async def _do_delete(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse("must never be reached")  # pragma: no cover


def test_http_endpoint_dispatch(client: Client) -> None:
    c = client(Router([Route("/items", Items)]))
    assert c.get("/items").text == "get"
    assert c.post("/items").text == "sync post"
    head = c.head("/items")
    assert (head.status_code, head.content) == (200, b"")
    response = c.delete("/items")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_only_real_http_methods_are_dispatched(client: Client) -> None:
    c = client(Router([Route("/items", Items)]))
    for method in ("_DO_DELETE", "__INIT__", "DISPATCH", "METHOD_NOT_ALLOWED"):
        assert c.request(method, "/items").status_code == 405


def test_head_method_of_its_own(client: Client) -> None:
    class WithHead(HTTPEndpoint):
        async def head(self, request: Request) -> PlainTextResponse:
            return PlainTextResponse("", headers={"x-head": "own"})

    assert client(Route("/", WithHead)).head("/").headers["x-head"] == "own"


def test_endpoint_exceptions(client: Client) -> None:
    class Fails(HTTPEndpoint):
        async def get(self, request: Request) -> PlainTextResponse:
            raise HTTPException(410, "gone")

    response = client(Route("/", Fails)).get("/")
    assert (response.status_code, response.text) == (410, "gone")


def test_endpoint_405_inside_an_app_is_raised() -> None:
    import anyio

    from asgi_core.scope_keys import EXCEPTION_HANDLERS

    async def main() -> None:
        scope = {
            "type": "http",
            "method": "PUT",
            "path": "/",
            "headers": [],
            "app": object(),
            "root_path": "",
            EXCEPTION_HANDLERS: ({}, {}),  # an application without handlers for it
        }

        async def receive() -> Message:
            return {}  # pragma: no cover

        async def send(message: Message) -> None:
            raise AssertionError  # pragma: no cover

        await Items(scope, receive, send)

    with pytest.raises(HTTPException) as info:
        anyio.run(main)
    assert info.value.headers == {"Allow": "GET, HEAD, POST"}


def test_endpoints_check_the_scope_type() -> None:
    async def nothing() -> Message:
        return {}  # pragma: no cover

    async def sink(message: Message) -> None:
        pass  # pragma: no cover

    scope: Scope = {"type": "websocket", "headers": []}
    with pytest.raises(
        ValueError, match="HTTPEndpoint needs an 'http' scope, got a 'websocket' scope."
    ):
        Items(scope, nothing, sink)
    with pytest.raises(
        ValueError, match="WebSocketEndpoint needs a 'websocket' scope, got a 'http' scope."
    ):
        WebSocketEndpoint({"type": "http", "headers": []}, nothing, sink)


def echo_endpoint(
    kind: Literal["text", "bytes", "json"] | None, log: list[Any]
) -> type[WebSocketEndpoint]:
    class Echo(WebSocketEndpoint):
        encoding: ClassVar[Literal["text", "bytes", "json"] | None] = kind

        async def on_receive(self, websocket: WebSocket, data: Any) -> None:
            log.append(data)
            if isinstance(data, bytes):
                await websocket.send_bytes(data)
            else:
                await websocket.send_json(data)

        async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
            log.append(("closed", close_code))

    return Echo


def test_websocket_endpoint_encodings(client: Client) -> None:
    log: list[Any] = []
    for kind, send_kind, payload in [
        ("text", "text", "hi"),
        ("bytes", "bytes", b"\x01"),
        ("json", "text", '{"a":1}'),
        (None, "text", "raw"),
    ]:
        app = Router([WebSocketRoute("/", echo_endpoint(kind, log))])  # type: ignore[arg-type]
        with client(app).websocket_connect("/") as session:
            if send_kind == "bytes":
                session.send_bytes(payload)  # type: ignore[arg-type]
            else:
                session.send_text(payload)  # type: ignore[arg-type]
            session.receive()
            session.close(code=1001)
    assert log == [
        "hi",
        ("closed", 1001),
        b"\x01",
        ("closed", 1001),
        {"a": 1},
        ("closed", 1001),
        "raw",
        ("closed", 1001),
    ]


def test_websocket_endpoint_json_from_bytes_and_raw_bytes(client: Client) -> None:
    log: list[Any] = []
    with client(WebSocketRoute("/", echo_endpoint("json", log))).websocket_connect("/") as session:
        session.send_bytes(b'{"b":2}')
        assert session.receive_json() == {"b": 2}
    with client(WebSocketRoute("/", echo_endpoint(None, log))).websocket_connect("/") as session:
        session.send_bytes(b"raw bytes")
        assert session.receive_bytes() == b"raw bytes"
    assert log[0] == {"b": 2}


@pytest.mark.parametrize(
    ("kind", "send", "message"),
    [
        ("text", ("bytes", b"x"), "Expected text websocket messages, but got bytes"),
        ("bytes", ("text", "x"), "Expected bytes websocket messages, but got text"),
        ("json", ("text", "{nope"), "Malformed JSON data received."),
        ("json", ("text", "[" * 100_000), "Malformed JSON data received."),  # too deep
        ("json", ("text", "9" * 5000), "Malformed JSON data received."),  # too many digits
        ("xml", ("text", "x"), "Unsupported 'encoding' attribute 'xml'"),
    ],
)
def test_websocket_endpoint_bad_data(
    client: Client, kind: Any, send: tuple[str, Any], message: str
) -> None:
    log: list[Any] = []
    with pytest.raises(RuntimeError, match=message):
        with client(WebSocketRoute("/", echo_endpoint(kind, log))).websocket_connect(
            "/"
        ) as session:
            getattr(session, f"send_{send[0]}")(send[1])
            if kind != "xml":
                with pytest.raises(WebSocketDisconnect) as info:
                    session.receive()
                    session.receive_text()
                assert info.value.code == 1003
    assert log == [("closed", 1011)]


def test_websocket_endpoint_rejects_in_on_connect(client: Client) -> None:
    from asgi_core import WebSocketException

    log: list[Any] = []

    class Reject(WebSocketEndpoint):
        async def on_connect(self, websocket: WebSocket) -> None:
            raise WebSocketException(4003, "no")

        async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
            log.append(close_code)  # pragma: no cover - never connected

    with pytest.raises(WebSocketDisconnect) as info:
        with client(WebSocketRoute("/", Reject)).websocket_connect("/"):
            pass  # pragma: no cover - rejected
    assert info.value.code == 4003
    assert log == []


def test_websocket_endpoint_handled_exception_in_on_receive(client: Client) -> None:
    from asgi_core import WebSocketException

    log: list[Any] = []

    class Strict(WebSocketEndpoint):
        encoding = "text"

        async def on_receive(self, websocket: WebSocket, data: Any) -> None:
            raise WebSocketException(4400, f"bad {data}")

        async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
            log.append(close_code)

    with client(WebSocketRoute("/", Strict)).websocket_connect("/") as session:
        session.send_text("x")
        with pytest.raises(WebSocketDisconnect) as info:
            session.receive_text()
        assert (info.value.code, info.value.reason) == (4400, "bad x")
    assert log == [1011]
