"""Broadcast inside a hand-written ASGI app: connected by the lifespan, feeding WebSockets.

The same app runs on asyncio and trio (memory backend), driven by asgi-testing's TestClient.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from asgi_broadcast import Broadcast
from asgi_testing import TestClient

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]


def chat_app(broadcast: Broadcast) -> App:
    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await broadcast.connect()
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await broadcast.disconnect()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        async with broadcast.subscribe("room") as subscriber, anyio.create_task_group() as tasks:
            await send({"type": "websocket.send", "text": "joined"})

            async def forward() -> None:
                async for event in subscriber:
                    await send({"type": "websocket.send", "text": event.message})

            tasks.start_soon(forward)
            while True:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    tasks.cancel_scope.cancel()
                    return
                await broadcast.publish("room", message["text"])

    return app


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_websocket_chat(backend: str) -> None:
    broadcast = Broadcast()
    connected = [broadcast.connected]
    with TestClient(chat_app(broadcast), backend=backend) as client:  # type: ignore[arg-type]
        connected.append(broadcast.connected)  # the lifespan connected it
        with client.websocket_connect("/") as ada, client.websocket_connect("/") as bob:
            assert ada.receive_text() == bob.receive_text() == "joined"
            assert broadcast.subscriber_count("room") == 2
            ada.send_text("hello from ada")
            assert ada.receive_text() == bob.receive_text() == "hello from ada"
            bob.send_text("hi ada")
            assert ada.receive_text() == bob.receive_text() == "hi ada"
    connected.append(broadcast.connected)
    assert connected == [False, True, False]
    assert broadcast.subscriber_count() == 0
