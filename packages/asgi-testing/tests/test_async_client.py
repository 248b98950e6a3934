"""AsyncTestClient: the same behaviour from async tests, on asyncio and trio."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_testing import AsyncTestClient, WebSocketDenialResponse, WebSocketDisconnect
from asgi_testing._httpx import httpx

pytestmark = pytest.mark.anyio


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        assert (await receive())["type"] == "lifespan.startup"
        scope["state"]["started"] = True
        await send({"type": "lifespan.startup.complete"})
        assert (await receive())["type"] == "lifespan.shutdown"
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "websocket":
        await receive()
        if scope["path"] == "/deny":
            await send({"type": "websocket.http.response.start", "status": 401, "headers": []})
            await send({"type": "websocket.http.response.body", "body": b"who are you"})
            return
        await send({"type": "websocket.accept", "subprotocol": "chat"})
        while (message := await receive())["type"] != "websocket.disconnect":
            if message.get("text") is not None:
                await send({"type": "websocket.send", "text": message["text"].upper()})
            else:
                await send({"type": "websocket.send", "bytes": message["bytes"]})
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for number in range(3):
            await send({"type": "http.response.body", "body": b"%d," % number, "more_body": True})
        disconnect = await receive()
        assert disconnect == {"type": "http.disconnect"}
        return
    if scope["path"] == "/error":
        raise LookupError("async failure")
    text = f"{scope['method']} {scope['path']} {body.decode()} {scope['state']}"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"set-cookie", b"a=1")]})
    await send({"type": "http.response.body", "body": text.encode()})


async def test_requests_without_context() -> None:
    client = AsyncTestClient(app, headers={"x-default": "1"})
    response = await client.post("/x", content=b"body")
    assert response.text == "POST /x body {}"
    assert response.request.headers["x-default"] == "1"
    assert response.request.headers["user-agent"] == "testclient"
    assert (await client.get("/")).request.headers["cookie"] == "a=1"
    await client.aclose()


async def test_lifespan_and_state() -> None:
    async with AsyncTestClient(app) as client:
        assert client.app_state == {"started": True}
        response = await client.get("/y")
        assert response.text == "GET /y  {'started': True}"


async def test_streaming_inside_the_context() -> None:
    gate = anyio.Event()

    async def streaming(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await gate.wait()  # only reached if the client sees "first" before the body ends
        await send({"type": "http.response.body", "body": b"second"})

    chunks: list[bytes] = []
    async with AsyncTestClient(streaming) as client, client.stream("GET", "/") as response:
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            gate.set()
    assert chunks == [b"first", b"second"]


async def test_an_endless_stream_outside_the_context_times_out() -> None:
    client = AsyncTestClient(app, timeout=0.1)
    with pytest.raises(httpx.ReadTimeout, match="did not send the rest of the response body"):
        await client.get("/stream")


async def test_exceptions() -> None:
    with pytest.raises(LookupError, match="async failure"):
        await AsyncTestClient(app).get("/error")
    assert (
        await AsyncTestClient(app, raise_server_exceptions=False).get("/error")
    ).status_code == 500
    async with AsyncTestClient(app) as client:
        with pytest.raises(LookupError, match="async failure"):
            await client.get("/error")


async def test_startup_failure_is_raised() -> None:
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        raise RuntimeError("cannot start")

    with pytest.raises(RuntimeError, match="cannot start"):
        async with AsyncTestClient(failing):
            pass  # pragma: no cover - startup fails


async def test_websocket_session() -> None:
    async with (
        AsyncTestClient(app) as client,
        client.websocket_connect("/ws", subprotocols=["chat"]) as ws,
    ):
        assert ws.accepted_subprotocol == "chat"
        assert ws.extra_headers is None
        await ws.send_text("hi")
        assert await ws.receive_text() == "HI"
        await ws.send_bytes(b"abc")
        assert await ws.receive_bytes() == b"abc"
        await ws.send_json({"x": 1})
        assert await ws.receive_json() == {"X": 1}
        await ws.send_json([1], mode="binary")
        assert await ws.receive_json(mode="binary") == [1]
        await ws.send({"type": "websocket.receive", "text": "raw"})
        assert await ws.receive() == {"type": "websocket.send", "text": "RAW"}
        await ws.close()


async def test_websocket_without_client_context() -> None:
    client = AsyncTestClient(app)
    async with client.websocket_connect("/ws") as ws:
        await ws.send_text("ok")
        assert await ws.receive_text() == "OK"


async def test_websocket_denial() -> None:
    client = AsyncTestClient(app)
    with pytest.raises(WebSocketDenialResponse) as info:
        async with client.websocket_connect("/deny"):
            pass  # pragma: no cover - the handshake fails
    assert info.value.status_code == 401
    assert info.value.text == "who are you"


async def test_websocket_close_from_app_and_errors() -> None:
    async def closing(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1001})
        await receive()
        raise RuntimeError("after close")

    client = AsyncTestClient(closing)
    with pytest.raises(RuntimeError, match="after close"):
        async with client.websocket_connect("/ws") as ws:
            with pytest.raises(WebSocketDisconnect) as info:
                await ws.receive_text()
            assert info.value.code == 1001


async def test_background_work_completes_before_return() -> None:
    done: list[str] = []

    async def background(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x"})
        await anyio.sleep(0.02)
        done.append("done")

    async with AsyncTestClient(background) as client:
        await client.get("/")
        assert done == ["done"]


async def test_request_stream_body() -> None:
    received: list[Message] = []

    async def recorder(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            received.append(message)
            if not message["more_body"]:
                break
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body"})

    async def chunks() -> Any:
        yield b"a"
        yield b"b"

    await AsyncTestClient(recorder).post("/", content=chunks())
    assert [m["body"] for m in received] == [b"a", b"b"]
