"""asgi-broadcast inside an App: a WebSocket chat and a Server-Sent Events feed.

The App connects the broadcast in its lifespan; the chat publishes what each client sends
to every client, the feed streams a channel with ids, replays its history and resumes from
``Last-Event-ID``. Driven by the TestClient on asyncio and trio with ``memory://``, and on
asyncio with ``redis-stream://`` against a real redis-server, where two App instances stand
for two processes sharing the channel.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest

from asgi_broadcast import Broadcast, InvalidEventId
from asgi_framework import App
from asgi_framework.requests import Request
from asgi_framework.responses import (
    EventSourceResponse,
    PlainTextResponse,
    Response,
    ServerSentEvent,
)
from asgi_framework.routing import Route, WebSocketRoute
from asgi_framework.websockets import WebSocket
from asgi_testing import TestClient


def make_app(broadcast: Broadcast) -> App:
    async def chat(websocket: WebSocket) -> None:
        await websocket.accept()
        async with broadcast.subscribe("chat") as subscriber, anyio.create_task_group() as tasks:
            await websocket.send_text("joined")

            async def forward() -> None:
                async for event in subscriber:
                    await websocket.send_text(event.message)

            tasks.start_soon(forward)
            async for text in websocket.iter_text():
                await broadcast.publish("chat", text)
            tasks.cancel_scope.cancel()

    async def feed(request: Request) -> Response:
        try:
            subscription = broadcast.subscribe(
                "news", history=2, last_id=request.headers.get("last-event-id")
            )
        except InvalidEventId:
            return PlainTextResponse("Invalid Last-Event-ID", status_code=400)

        async def events() -> AsyncIterator[ServerSentEvent]:
            async with subscription as subscriber:
                async for event in subscriber:
                    yield ServerSentEvent(event.message, id=event.id)

        # the pings also tell, at the latest after 0.1 s, that a client has gone (ASGI 2.4
        # servers raise OSError from send): the subscription then ends
        return EventSourceResponse(events(), ping=0.1)

    async def news(request: Request) -> Response:
        event_id = await broadcast.publish("news", (await request.body()).decode())
        return PlainTextResponse(event_id or "", status_code=201)

    @asynccontextmanager
    async def lifespan(app: App) -> AsyncIterator[None]:
        async with broadcast:
            yield

    return App(
        routes=[
            WebSocketRoute("/chat", chat),
            Route("/feed", feed),
            Route("/news", news, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


def read_events(lines: Iterator[str], count: int) -> list[tuple[str, str]]:
    """``(id, data)`` of the next ``count`` events of an ``text/event-stream`` (no pings)."""
    events: list[tuple[str, str]] = []
    fields: dict[str, str] = {}
    for line in lines:
        if not line:
            if fields:
                events.append((fields["id"], fields["data"]))
                fields = {}
            if len(events) == count:
                return events
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    raise AssertionError(f"the stream ended after {events}")


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def check_chat(client: TestClient, other: TestClient, broadcast: Broadcast) -> None:
    with client.websocket_connect("/chat") as ada, other.websocket_connect("/chat") as bob:
        assert ada.receive_text() == bob.receive_text() == "joined"
        ada.send_text("hello from ada")
        assert ada.receive_text() == bob.receive_text() == "hello from ada"
        bob.send_text("hi ada")
        assert ada.receive_text() == bob.receive_text() == "hi ada"
    wait_until(lambda: broadcast.subscriber_count() == 0)


def check_feed(client: TestClient, other: TestClient, broadcast: Broadcast) -> None:
    ids = [client.post("/news", content=f"n{number}").text for number in range(3)]
    assert all(ids)
    with client.stream("GET", "/feed") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        assert read_events(lines, 2) == [(ids[1], "n1"), (ids[2], "n2")]  # history=2
        live = other.post("/news", content="live").text
        assert read_events(lines, 1) == [(live, "live")]
    # an EventSource reconnecting after n1 gets what it missed, then the live events
    with client.stream("GET", "/feed", headers={"Last-Event-ID": ids[1]}) as response:
        lines = response.iter_lines()
        assert read_events(lines, 2) == [(ids[2], "n2"), (live, "live")]
        other.post("/news", content="later")
        assert read_events(lines, 1)[0][1] == "later"
    response = client.get("/feed", headers={"Last-Event-ID": "not-an-id"})
    assert (response.status_code, response.text) == (400, "Invalid Last-Event-ID")
    wait_until(lambda: broadcast.subscriber_count() == 0)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_chat_and_feed_in_memory(backend: str) -> None:
    broadcast = Broadcast("memory://", maxlen=100)
    with TestClient(make_app(broadcast), backend=backend) as client:  # type: ignore[arg-type]
        check_chat(client, client, broadcast)
        check_feed(client, client, broadcast)
    assert not broadcast.connected


@pytest.fixture
def redis_url(redis_server: str) -> str:
    return f"redis-stream://{redis_server}/0"


def test_chat_and_feed_across_two_processes_over_redis_streams(redis_url: str) -> None:
    first, second = Broadcast(redis_url), Broadcast(redis_url)
    both: dict[str, Any] = {"backend": "asyncio"}
    with (
        TestClient(make_app(first), **both) as client,
        TestClient(make_app(second), **both) as other,
    ):
        check_chat(client, other, first)
        check_feed(client, other, first)
        assert second.subscriber_count() == 0
