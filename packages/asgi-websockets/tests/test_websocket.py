from __future__ import annotations

from collections.abc import Callable
from contextlib import aclosing
from typing import Any

import pytest

from asgi_core.types import Message, Scope
from asgi_responses import PlainTextResponse
from asgi_testing import TestClient, WebSocketDenialResponse
from asgi_websockets import (
    WebSocket,
    WebSocketDisconnect,
    WebSocketDisconnected,
    WebSocketState,
)

ClientFor = Callable[..., TestClient]


def test_the_disconnect_class_is_the_core_one() -> None:
    import asgi_core

    assert WebSocketDisconnect is asgi_core.WebSocketDisconnect


def test_needs_a_websocket_scope() -> None:
    async def nothing() -> Message:
        return {}  # pragma: no cover

    async def sink(message: Message) -> None:
        pass  # pragma: no cover

    with pytest.raises(ValueError, match="WebSocket needs a 'websocket' scope, got a 'http' scope"):
        WebSocket({"type": "http", "headers": []}, nothing, sink)


def test_text_bytes_json_roundtrip(client_for: ClientFor) -> None:
    async def handler(ws: WebSocket) -> None:
        await ws.accept()
        await ws.send_text("echo " + await ws.receive_text())
        await ws.send_bytes(b"echo " + await ws.receive_bytes())
        await ws.send_json({"echo": await ws.receive_json()})
        await ws.send_json({"echo": await ws.receive_json(mode="binary")}, mode="binary")
        await ws.close()

    with client_for(handler).websocket_connect("/") as session:
        session.send_text("hi")
        assert session.receive_text() == "echo hi"
        session.send_bytes(b"\x00")
        assert session.receive_bytes() == b"echo \x00"
        session.send_json({"a": "é"})
        assert session.receive_text() == '{"echo":{"a":"é"}}'
        session.send_json([1], mode="binary")
        assert session.receive_json(mode="binary") == {"echo": [1]}
        with pytest.raises(WebSocketDisconnect) as info:
            session.receive_text()
        assert info.value.code == 1000


def test_accept_with_subprotocol_and_headers(client_for: ClientFor) -> None:
    async def handler(ws: WebSocket) -> None:
        assert ws.client_state == WebSocketState.CONNECTING
        await ws.accept(subprotocol="chat", headers=[(b"x-server", b"1")])
        assert ws.client_state == WebSocketState.CONNECTED  # type: ignore[comparison-overlap]
        assert ws.application_state == WebSocketState.CONNECTED  # type: ignore[unreachable]
        await ws.send_text(ws.url.path)
        await ws.close(code=4001, reason="done")
        assert ws.application_state == WebSocketState.DISCONNECTED

    with client_for(handler).websocket_connect("/room", subprotocols=["chat"]) as session:
        assert session.accepted_subprotocol == "chat"
        assert session.extra_headers == [(b"x-server", b"1")]
        assert session.receive_text() == "/room"
        with pytest.raises(WebSocketDisconnect) as info:
            session.receive_text()
        assert (info.value.code, info.value.reason) == (4001, "done")


def test_accept_after_explicit_receive(client_for: ClientFor) -> None:
    async def handler(ws: WebSocket) -> None:
        assert (await ws.receive())["type"] == "websocket.connect"
        await ws.accept()
        await ws.send_text("accepted")

    with client_for(handler).websocket_connect("/") as session:
        assert session.receive_text() == "accepted"


def test_iterators_end_on_disconnect(client_for: ClientFor) -> None:
    seen: list[Any] = []

    async def handler(ws: WebSocket) -> None:
        await ws.accept()
        async with aclosing(ws.iter_text()) as texts:  # type: ignore[type-var]  # trio wants it closed
            async for text in texts:
                seen.append(text)
                if text == "switch":
                    break
        async with aclosing(ws.iter_bytes()) as chunks:  # type: ignore[type-var]
            async for data in chunks:
                seen.append(data)
                if data == b"switch":
                    break
        async for value in ws.iter_json():
            seen.append(value)

    with client_for(handler).websocket_connect("/") as session:
        session.send_text("a")
        session.send_text("switch")
        session.send_bytes(b"b")
        session.send_bytes(b"switch")
        session.send_json({"c": 1})
    assert seen == ["a", "switch", b"b", b"switch", {"c": 1}]


def test_iter_text_and_bytes_end_on_disconnect(client_for: ClientFor) -> None:
    seen: list[Any] = []

    async def text_handler(ws: WebSocket) -> None:
        await ws.accept()
        seen.extend([text async for text in ws.iter_text()])

    async def bytes_handler(ws: WebSocket) -> None:
        await ws.accept()
        seen.extend([data async for data in ws.iter_bytes()])

    with client_for(text_handler).websocket_connect("/") as session:
        session.send_text("x")
    with client_for(bytes_handler).websocket_connect("/") as session:
        session.send_bytes(b"y")
    assert seen == ["x", b"y"]


def test_close_before_accept_refuses(client_for: ClientFor) -> None:
    async def handler(ws: WebSocket) -> None:
        await ws.close(code=1008, reason="no token")

    with pytest.raises(WebSocketDisconnect) as info:
        with client_for(handler).websocket_connect("/"):
            pass  # pragma: no cover - refused
    assert (info.value.code, info.value.reason) == (1008, "no token")


def test_denial_response(client_for: ClientFor) -> None:
    async def handler(ws: WebSocket) -> None:
        await ws.send_denial_response(PlainTextResponse("forbidden", status_code=403))
        assert ws.application_state == WebSocketState.DISCONNECTED

    with pytest.raises(WebSocketDenialResponse) as info:
        with client_for(handler).websocket_connect("/"):
            pass  # pragma: no cover - denied
    assert info.value.status_code == 403
    assert info.value.text == "forbidden"


@pytest.mark.anyio
async def test_denial_without_the_extension() -> None:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "websocket.connect"}  # pragma: no cover

    async def send(message: Message) -> None:
        sent.append(message)  # pragma: no cover

    ws = WebSocket({"type": "websocket", "headers": [], "extensions": {}}, receive, send)
    with pytest.raises(
        RuntimeError, match="doesn't support the Websocket Denial Response extension"
    ):
        await ws.send_denial_response(PlainTextResponse("no"))


def test_max_message_size(client_for: ClientFor) -> None:
    async def handler(ws: WebSocket) -> None:
        await ws.accept()
        while True:
            await ws.send_text(f"got {len(await ws.receive_text())}")

    with pytest.raises(WebSocketDisconnect):  # the handler ends with WebSocketDisconnect(1009)
        with client_for(handler, max_message_size=10).websocket_connect("/") as session:
            session.send_text("x" * 10)
            assert session.receive_text() == "got 10"
            session.send_text("x" * 11)
            with pytest.raises(WebSocketDisconnect) as info:
                session.receive_text()
            assert info.value.code == 1009
            assert info.value.reason == "Message too big: more than 10 bytes."


@pytest.mark.anyio
async def test_class_level_default_size() -> None:
    class Small(WebSocket):
        max_message_size = 3

    messages: list[Message] = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "bytes": b"1234"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    ws = Small({"type": "websocket", "headers": []}, receive, send)
    await ws.accept()
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.receive_bytes()
    assert info.value.code == 1009
    assert sent[-1]["code"] == 1009


def scripted(messages: list[Message]) -> tuple[WebSocket, list[Message]]:
    sent: list[Message] = []

    async def receive() -> Message:
        return messages.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "websocket",
        "headers": [],
        "extensions": {"websocket.http.response": {}},
    }
    return WebSocket(scope, receive, send), sent


def misuse(message: str) -> Any:
    """``pytest.raises`` for a plain ``RuntimeError`` (a message of the wrong kind)."""
    return pytest.raises(RuntimeError, match=message)


def disconnected(message: str) -> Any:
    """``pytest.raises`` for ``WebSocketDisconnected`` (a side that is closed)."""
    return pytest.raises(WebSocketDisconnected, match=message)


NOT_CONNECTED = 'WebSocket is not connected. Need to call "accept" first.'
SENT_CLOSE = 'Cannot call "send" once a close message has been sent.'
GOT_DISCONNECT = 'Cannot call "receive" once a disconnect message has been received.'


@pytest.mark.anyio
async def test_protocol_misuse_messages() -> None:
    ws, _ = scripted([{"type": "websocket.receive", "text": "too early"}])
    with misuse("Expected ASGI message \"websocket.connect\", but got 'websocket.receive'") as info:
        await ws.receive()
    assert type(info.value) is RuntimeError

    ws, _ = scripted([{"type": "websocket.connect"}, {"type": "websocket.connect"}])
    await ws.receive()
    with misuse('Expected ASGI message "websocket.receive" or "websocket.disconnect"') as info:
        await ws.receive()
    assert type(info.value) is RuntimeError

    ws, _ = scripted([])
    with misuse('Expected ASGI message "websocket.accept", "websocket.close" or') as info:
        await ws.send({"type": "websocket.send", "text": "before accept"})
    assert type(info.value) is RuntimeError

    ws, _ = scripted([{"type": "websocket.connect"}])
    await ws.accept()
    with misuse('Expected ASGI message "websocket.send" or "websocket.close"') as info:
        await ws.send({"type": "websocket.accept"})
    assert type(info.value) is RuntimeError

    ws, _ = scripted([])
    await ws.send({"type": "websocket.http.response.start", "status": 403, "headers": []})
    with misuse('Expected ASGI message "websocket.http.response.body"') as info:
        await ws.send({"type": "websocket.send", "text": "x"})
    assert type(info.value) is RuntimeError
    await ws.send({"type": "websocket.http.response.body", "body": b"a", "more_body": True})
    assert ws.application_state == WebSocketState.RESPONSE
    await ws.send({"type": "websocket.http.response.body", "body": b"b"})
    assert ws.application_state == WebSocketState.DISCONNECTED  # type: ignore[comparison-overlap]


def test_websocket_disconnected_is_a_runtime_error() -> None:
    assert WebSocketDisconnected.__mro__[1:] == RuntimeError.__mro__
    assert not issubclass(WebSocketDisconnected, WebSocketDisconnect)


@pytest.mark.anyio
async def test_receive_before_accept_is_disconnected() -> None:
    for method in ("receive_text", "receive_bytes", "receive_json"):
        ws, _ = scripted(
            [{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "x"}]
        )
        with disconnected(NOT_CONNECTED):
            await getattr(ws, method)()
    # the connect message read by hand does not accept the connection either
    ws, _ = scripted([{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "x"}])
    assert (await ws.receive())["type"] == "websocket.connect"
    with disconnected(NOT_CONNECTED):
        await ws.receive_text()


@pytest.mark.anyio
async def test_duplicate_close() -> None:
    ws, sent = scripted([{"type": "websocket.connect"}])
    await ws.accept()
    await ws.close()
    with disconnected(SENT_CLOSE):
        await ws.close()
    assert [m["type"] for m in sent] == ["websocket.accept", "websocket.close"]

    ws, sent = scripted([{"type": "websocket.connect"}])
    await ws.close(code=1008)  # refuses the handshake
    with disconnected(SENT_CLOSE):
        await ws.close()
    with disconnected(SENT_CLOSE):
        await ws.accept()
    assert [m["type"] for m in sent] == ["websocket.close"]


@pytest.mark.anyio
async def test_send_or_receive_after_close() -> None:
    ws, sent = scripted([{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "x"}])
    await ws.accept()
    await ws.close()
    with disconnected(SENT_CLOSE):
        await ws.send_text("late")
    with disconnected(SENT_CLOSE):
        await ws.send_json({"late": True}, mode="binary")
    with disconnected(NOT_CONNECTED):
        await ws.receive_text()
    # the raw receive still reads what the client sent before it saw the close
    assert (await ws.receive())["type"] == "websocket.receive"
    assert len(sent) == 2


@pytest.mark.anyio
async def test_send_after_a_denial_response() -> None:
    ws, sent = scripted([{"type": "websocket.connect"}])
    await ws.send_denial_response(PlainTextResponse("no", status_code=403))
    with disconnected(SENT_CLOSE):
        await ws.send_text("x")
    with disconnected(SENT_CLOSE):
        await ws.close()
    with disconnected(NOT_CONNECTED):
        await ws.receive_text()
    assert [m["type"] for m in sent] == [
        "websocket.http.response.start",
        "websocket.http.response.body",
    ]


@pytest.mark.anyio
async def test_receive_after_the_client_disconnected() -> None:
    bye: Message = {"type": "websocket.disconnect", "code": 1001, "reason": "bye"}
    ws, sent = scripted([{"type": "websocket.connect"}, bye])
    await ws.accept()
    assert await ws.receive() == bye
    assert ws.client_state == WebSocketState.DISCONNECTED
    with disconnected(GOT_DISCONNECT):
        await ws.receive()
    with disconnected(GOT_DISCONNECT):  # a second disconnect is never asked for
        await ws.receive_text()
    # the application side is still open: sending is the server's business (it ignores or
    # fails it), and closing is allowed, once
    await ws.send_text("after")
    await ws.close()
    with disconnected(SENT_CLOSE):
        await ws.close()
    assert [m["type"] for m in sent] == ["websocket.accept", "websocket.send", "websocket.close"]


@pytest.mark.anyio
async def test_receive_text_after_the_disconnect_it_raised() -> None:
    ws, _ = scripted([{"type": "websocket.connect"}, {"type": "websocket.disconnect"}])
    await ws.accept()
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.receive_text()
    assert info.value.code == 1000
    with disconnected(GOT_DISCONNECT):
        await ws.receive_text()
    texts = ws.iter_text()
    with disconnected(GOT_DISCONNECT):  # not a disconnect that ends the iteration quietly
        await texts.__anext__()


@pytest.mark.anyio
async def test_wrong_kind_of_message_and_mode() -> None:
    ws, _ = scripted([{"type": "websocket.connect"}, {"type": "websocket.receive", "bytes": b"x"}])
    await ws.accept()
    with pytest.raises(
        RuntimeError, match="Expected a text message, but the client sent bytes."
    ) as info:
        await ws.receive_text()
    assert type(info.value) is RuntimeError
    assert 'Use receive_bytes() or receive_json(mode="binary")' in str(info.value)
    with pytest.raises(RuntimeError, match='The "mode" argument should be "text" or "binary".'):
        await ws.receive_json(mode="xml")
    with pytest.raises(RuntimeError, match='The "mode" argument should be "text" or "binary".'):
        await ws.send_json({}, mode="xml")


@pytest.mark.anyio
async def test_receive_json_of_the_wrong_kind() -> None:
    # Starlette raises KeyError('text') / KeyError('bytes') here
    ws, _ = scripted(
        [{"type": "websocket.connect"}, {"type": "websocket.receive", "bytes": b"[1]"}]
    )
    await ws.accept()
    with misuse("Expected a text message, but the client sent bytes. Use receive_bytes()") as info:
        await ws.receive_json()
    assert type(info.value) is RuntimeError

    ws, _ = scripted([{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "[1]"}])
    await ws.accept()
    with misuse("Expected a bytes message, but the client sent text. Use receive_text()") as info:
        await ws.receive_json(mode="binary")
    assert type(info.value) is RuntimeError

    # a server bug: neither key
    ws, _ = scripted([{"type": "websocket.connect"}, {"type": "websocket.receive"}])
    await ws.accept()
    with misuse("websocket.receive message with neither 'text' nor 'bytes': \\['type'\\]"):
        await ws.receive_text()

    # ASGI allows the other key to be present and None
    ws, _ = scripted(
        [{"type": "websocket.connect"}, {"type": "websocket.receive", "text": None, "bytes": b"1"}]
    )
    await ws.accept()
    with misuse("Expected a text message"):
        await ws.receive_text()


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("limit", "text", "fits"),
    [
        (10, "é" * 5, True),  # 5 characters, 10 bytes: exactly the limit
        (10, "é" * 5 + "a", False),  # 6 characters, 11 bytes
        (9, "é" * 5, False),  # 5 characters, 10 bytes
        (11, "😀" * 3, False),  # 3 characters, 12 bytes
        (12, "😀" * 3, True),
        (12, "abc", True),  # 3 characters can never be more than 12 bytes
        (2, "abc", False),  # more characters than bytes allowed
        (3, "\ud800", True),  # a lone surrogate (never from a server) counts its 3 bytes
    ],
)
async def test_max_message_size_counts_utf8_bytes(limit: int, text: str, fits: bool) -> None:
    ws, sent = scripted(
        [{"type": "websocket.connect"}, {"type": "websocket.receive", "text": text}]
    )
    ws.max_message_size = limit
    await ws.accept()
    if fits:
        assert await ws.receive_text() == text
        return
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.receive_text()
    assert (info.value.code, info.value.reason) == (
        1009,
        f"Message too big: more than {limit} bytes.",
    )
    assert sent[-1] == {
        "type": "websocket.close",
        "code": 1009,
        "reason": f"Message too big: more than {limit} bytes.",
    }


@pytest.mark.anyio
async def test_max_message_size_of_bytes_and_json() -> None:
    ws, _ = scripted(
        [
            {"type": "websocket.connect"},
            {"type": "websocket.receive", "bytes": b"\xff" * 6},
            {"type": "websocket.receive", "text": '"éé"'},  # 4 characters, 6 bytes
            {"type": "websocket.receive", "text": '"ééé"'},  # 5 characters, 8 bytes
        ]
    )
    ws.max_message_size = 6
    await ws.accept()
    assert await ws.receive_bytes() == b"\xff" * 6
    assert await ws.receive_json() == "éé"
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.receive_json()
    assert info.value.code == 1009


@pytest.mark.anyio
async def test_send_on_a_closed_connection_is_a_disconnect() -> None:
    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        if message["type"] == "websocket.send":
            raise OSError("connection reset")

    ws = WebSocket({"type": "websocket", "headers": []}, receive, send)
    await ws.accept()
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.send_text("lost")
    assert info.value.code == 1006
    assert ws.application_state == WebSocketState.DISCONNECTED


@pytest.mark.anyio
async def test_send_bytes_on_a_closed_connection_is_a_disconnect() -> None:
    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        if message["type"] == "websocket.send":
            raise OSError("connection reset")

    ws = WebSocket({"type": "websocket", "headers": []}, receive, send)
    await ws.accept()
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.send_bytes(b"lost")
    assert info.value.code == 1006
    assert ws.application_state == WebSocketState.DISCONNECTED


@pytest.mark.anyio
async def test_a_subclass_overriding_send_and_receive_sees_every_message() -> None:
    """send_text/bytes and receive_text/bytes go through the overrides, as in Starlette."""
    incoming: list[Message] = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "text": "one"},
        {"type": "websocket.receive", "bytes": b"two"},
        {"type": "websocket.disconnect", "code": 1000},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    seen: list[str] = []

    class Logging(WebSocket):
        async def send(self, message: Message) -> None:
            seen.append("send " + message["type"])
            await super().send(message)

        async def receive(self) -> Message:
            message = await super().receive()
            seen.append("receive " + message["type"])
            return message

    class SendOnly(WebSocket):
        async def send(self, message: Message) -> None:
            seen.append("send-only " + message["type"])
            await super().send(message)

    ws = Logging({"type": "websocket", "headers": []}, receive, send)
    await ws.accept()
    await ws.send_text(await ws.receive_text())
    await ws.send_bytes(await ws.receive_bytes())
    with pytest.raises(WebSocketDisconnect):
        await ws.receive_text()
    assert seen == [
        "receive websocket.connect",
        "send websocket.accept",
        "receive websocket.receive",
        "send websocket.send",
        "receive websocket.receive",
        "send websocket.send",
        "receive websocket.disconnect",
    ]
    assert sent[1:] == [
        {"type": "websocket.send", "text": "one"},
        {"type": "websocket.send", "bytes": b"two"},
    ]
    assert Logging._own_send_receive is False
    assert SendOnly._own_send_receive is False
    assert WebSocket._own_send_receive is True

    class Plain(WebSocket):
        pass

    assert Plain._own_send_receive is True


@pytest.mark.anyio
async def test_send_of_a_message_on_a_closed_connection_is_a_disconnect() -> None:
    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        if message["type"] == "websocket.send":
            raise OSError("connection reset")

    ws = WebSocket({"type": "websocket", "headers": []}, receive, send)
    await ws.accept()
    with pytest.raises(WebSocketDisconnect) as info:
        await ws.send({"type": "websocket.send", "text": "lost"})
    assert info.value.code == 1006
    assert ws.application_state == WebSocketState.DISCONNECTED


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["receive_text", "receive_bytes", "receive"])
async def test_an_unexpected_message_after_connect_is_an_error(method: str) -> None:
    incoming: list[Message] = [{"type": "websocket.connect"}, {"type": "websocket.connect"}]

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        pass

    ws = WebSocket({"type": "websocket", "headers": []}, receive, send)
    await ws.accept()
    with pytest.raises(RuntimeError) as info:
        await getattr(ws, method)()
    assert str(info.value) == (
        'Expected ASGI message "websocket.receive" or "websocket.disconnect", '
        "but got 'websocket.connect'"
    )
