"""WebSocket sessions of the sync TestClient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

import asgi_core
import asgi_testing
from asgi_core.types import Message, Receive, Scope, Send
from asgi_testing import (
    ASGIProtocolError,
    TestClient,
    WebSocketDenialResponse,
    WebSocketDisconnect,
)

MakeClient = Callable[..., TestClient]


def echo_app(seen: list[Any] | None = None) -> Callable[[Scope, Receive, Send], Any]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "websocket"
        if seen is not None:
            seen.append(scope)
        assert (await receive())["type"] == "websocket.connect"
        subprotocol = scope["subprotocols"][0] if scope["subprotocols"] else None
        await send(
            {
                "type": "websocket.accept",
                "subprotocol": subprotocol,
                "headers": [(b"x-extra", b"1")],
            }
        )
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                if seen is not None:
                    seen.append(message)
                return
            if message.get("text") == "close please":
                await send({"type": "websocket.close", "code": 4000, "reason": "asked to"})
                return
            if message.get("text") is not None:
                await send({"type": "websocket.send", "text": "echo " + message["text"]})
            else:
                await send({"type": "websocket.send", "bytes": b"echo " + message["bytes"]})

    return app


def test_the_disconnect_class_is_the_core_one() -> None:
    assert asgi_testing.WebSocketDisconnect is asgi_core.WebSocketDisconnect
    assert issubclass(WebSocketDenialResponse, asgi_core.WebSocketDisconnect)


def test_text_bytes_and_json(make_client: MakeClient) -> None:
    with make_client(echo_app()).websocket_connect("/ws") as ws:
        ws.send_text("hello")
        assert ws.receive_text() == "echo hello"
        ws.send_bytes(b"\x00\x01")
        assert ws.receive_bytes() == b"echo \x00\x01"
        ws.send_json({"a": [1, "é"]})
        assert ws.receive_text() == 'echo {"a":[1,"é"]}'
        ws.send_json({"b": 2}, mode="binary")
        assert ws.receive_bytes() == b'echo {"b":2}'
        ws.send({"type": "websocket.receive", "text": "raw"})
        assert ws.receive() == {"type": "websocket.send", "text": "echo raw"}


def test_receive_json(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": '{"mode": "text"}'})
        await send({"type": "websocket.send", "bytes": b'{"mode": "binary"}'})
        await send({"type": "websocket.close"})

    with make_client(app).websocket_connect("/ws") as ws:
        assert ws.receive_json() == {"mode": "text"}
        assert ws.receive_json(mode="binary") == {"mode": "binary"}
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 1000


def test_scope_subprotocols_and_headers(make_client: MakeClient) -> None:
    seen: list[Any] = []
    client = make_client(echo_app(seen))
    with client.websocket_connect(
        "/chat?room=1", subprotocols=["v2", "v1"], headers={"x-token": "t"}
    ) as ws:
        assert ws.accepted_subprotocol == "v2"
        assert ws.extra_headers == [(b"x-extra", b"1")]
    scope = seen[0]
    assert scope["type"] == "websocket"
    assert scope["scheme"] == "ws"
    assert scope["path"] == "/chat"
    assert scope["query_string"] == b"room=1"
    assert scope["subprotocols"] == ["v2", "v1"]
    assert "method" not in scope
    assert "websocket.http.response" in scope["extensions"]
    headers = dict(scope["headers"])
    assert headers[b"x-token"] == b"t"
    assert headers[b"sec-websocket-version"] == b"13"
    assert headers[b"upgrade"] == b"websocket"
    assert headers[b"host"] == b"testserver"
    assert seen[1] == {"type": "websocket.disconnect", "code": 1000, "reason": None}


def test_secure_scheme_and_no_subprotocols(make_client: MakeClient) -> None:
    seen: list[Any] = []
    with make_client(echo_app(seen), base_url="https://example.org").websocket_connect("/ws") as ws:
        assert ws.accepted_subprotocol is None
    assert seen[0]["scheme"] == "wss"
    assert seen[0]["subprotocols"] == []


def test_close_from_the_app(make_client: MakeClient) -> None:
    with make_client(echo_app()).websocket_connect("/ws") as ws:
        ws.send_text("close please")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.reason) == (4000, "asked to")


def test_client_close_reaches_the_app(make_client: MakeClient) -> None:
    seen: list[Any] = []
    with make_client(echo_app(seen)).websocket_connect("/ws") as ws:
        ws.close(code=1001, reason="bye")
    assert seen[1] == {"type": "websocket.disconnect", "code": 1001, "reason": "bye"}


def test_rejected_handshake(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.close", "code": 1008, "reason": "no token"})

    with pytest.raises(WebSocketDisconnect) as info, make_client(app).websocket_connect("/ws"):
        pass  # pragma: no cover - the handshake fails
    assert (info.value.code, info.value.reason) == (1008, "no token")


def test_denial_response(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send(
            {
                "type": "websocket.http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send(
            {"type": "websocket.http.response.body", "body": b'{"detail":', "more_body": True}
        )
        await send({"type": "websocket.http.response.body", "body": b'"forbidden"}'})

    with pytest.raises(WebSocketDenialResponse) as info:
        with make_client(app).websocket_connect("/ws"):
            pass  # pragma: no cover - the handshake fails
    response = info.value
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "forbidden"}
    assert isinstance(response, WebSocketDisconnect)


def test_malformed_denial_response(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.http.response.start", "status": 403, "headers": []})
        await send({"type": "websocket.send", "text": "oops"})

    with pytest.raises(ASGIProtocolError, match="in the middle of a denial response"):
        with make_client(app).websocket_connect("/ws"):
            pass  # pragma: no cover - the handshake fails


def test_unexpected_handshake_answer(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.send", "text": "too early"})

    with (
        pytest.raises(
            ASGIProtocolError, match="answered the WebSocket handshake with 'websocket.send'"
        ),
        make_client(app).websocket_connect("/ws"),
    ):
        pass  # pragma: no cover - the handshake fails


def test_app_exception_is_raised(make_client: MakeClient) -> None:
    async def before_accept(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("crashed in the handshake")

    with pytest.raises(RuntimeError, match="crashed in the handshake"):
        with make_client(before_accept).websocket_connect("/ws"):
            pass  # pragma: no cover - the handshake fails

    async def after_accept(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()
        raise RuntimeError("crashed on a message")

    with pytest.raises(RuntimeError, match="crashed on a message"):
        with make_client(after_accept).websocket_connect("/ws") as ws:
            ws.send_text("boom")
            ws.receive_text()

    with pytest.raises(RuntimeError, match="crashed on a message"):
        with make_client(after_accept).websocket_connect("/ws") as ws:
            ws.send_text("boom")  # not received before exit: raised by __exit__


def test_app_returning_without_close(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "last words"})

    with make_client(app).websocket_connect("/ws") as ws:
        assert ws.receive_text() == "last words"
        for _ in range(2):
            with pytest.raises(WebSocketDisconnect) as info:
                ws.receive_text()
            assert info.value.code == 1006
            assert "returned without closing" in info.value.reason


def test_wrong_payload_kind(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "bytes": b"binary"})
        await send({"type": "websocket.accept"})
        await receive()

    with make_client(app).websocket_connect("/ws") as ws:
        with pytest.raises(
            ASGIProtocolError, match="Expected a text message but the app sent bytes"
        ):
            ws.receive_text()
        with pytest.raises(
            ASGIProtocolError, match="Expected a 'websocket.send' message, got 'websocket.accept'"
        ):
            ws.receive_bytes()


def test_receive_timeout(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await anyio.sleep_forever()

    with make_client(app, timeout=0.1).websocket_connect("/ws") as ws:
        with pytest.raises(TimeoutError, match="sent no WebSocket message within 0.1 seconds"):
            ws.receive_text()


def test_sessions_inside_a_client_context_share_its_loop(make_client: MakeClient) -> None:
    messages: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        messages.append(await receive())
        await send({"type": "websocket.close"})

    with make_client(app) as client:
        for _ in range(2):
            with pytest.raises(WebSocketDisconnect), client.websocket_connect("/ws"):
                pass  # pragma: no cover - the handshake fails
    assert len(messages) == 2


def test_an_app_ignoring_the_disconnect_is_cancelled_at_exit(make_client: MakeClient) -> None:
    cancelled: list[bool] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.append(True)

    with make_client(app, timeout=0.1).websocket_connect("/ws"):
        pass
    assert cancelled == [True]
