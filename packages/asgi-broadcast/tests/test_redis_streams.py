"""RedisStreamBackend against a real redis-server: ids, history, resumption, trimming."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
import redis
import redis.asyncio

from asgi_broadcast import Broadcast, BroadcastConnectionError, Event, Subscriber
from asgi_broadcast._redis_streams import RedisStreamBackend

RedisServer = Any  # conftest.RedisServer: url, port, kill(), start()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # redis-py's asyncio client; trio: see test_redis.py


pytestmark = pytest.mark.anyio


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}:"


@pytest.fixture
async def client(redis_server: RedisServer) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.from_url(redis_server.url, decode_responses=True)
    yield client
    await client.aclose()


def stream_url(server: RedisServer, query: str = "") -> str:
    return str(server.url).replace("redis://", "redis-stream://") + query


async def take(subscriber: Subscriber, count: int) -> list[Event]:
    with anyio.fail_after(10):
        return [await subscriber.__anext__() for _ in range(count)]


def messages(events: list[Event]) -> list[str]:
    return [event.message for event in events]


@pytest.mark.parametrize("query", ["", "?protocol=3"])
async def test_live_events_carry_stream_ids(
    redis_server: RedisServer, client: redis.asyncio.Redis, prefix: str, query: str
) -> None:
    async with Broadcast(stream_url(redis_server, query), prefix=prefix) as broadcast:
        async with broadcast.subscribe("a") as first:
            # a second channel while the reader waits on the first: it is woken to add it
            async with broadcast.subscribe("b", "a") as second:
                one = await broadcast.publish("a", "one")
                two = await broadcast.publish("b", "two")
                assert one is not None
                assert two is not None
                await client.xadd(prefix + "a", {"other": "field"})  # another producer
                assert [(e.channel, e.message, e.id) for e in await take(first, 1)] == [
                    ("a", "one", one)
                ]
                assert messages(await take(second, 3)) == ["one", "two", ""]
                assert await client.xrange(prefix + "a", one, one) == [(one, {"message": "one"})]
        assert broadcast.subscriber_count() == 0
        assert broadcast.backend._positions == {}  # type: ignore[attr-defined]


async def test_history_then_live(redis_server: RedisServer, prefix: str) -> None:
    async with Broadcast(stream_url(redis_server), prefix=prefix) as broadcast:
        for number in range(5):
            await broadcast.publish("news", str(number))
        async with broadcast.subscribe("news", "quiet", history=3) as subscriber:
            await broadcast.publish("news", "live")
            events = await take(subscriber, 4)
            assert messages(events) == ["2", "3", "4", "live"]
            ids = [event.id or "" for event in events]
            assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split("-"))))


async def test_resume_after_last_id(redis_server: RedisServer, prefix: str) -> None:
    async with Broadcast(stream_url(redis_server), prefix=prefix) as broadcast:
        ids = [await broadcast.publish("feed", str(number)) for number in range(6)]
        # an EventSource that saw event 2 reconnects with Last-Event-ID: 2's id
        async with broadcast.subscribe("feed", history=1, last_id=ids[2]) as subscriber:
            await broadcast.publish("feed", "live")
            assert messages(await take(subscriber, 4)) == ["3", "4", "5", "live"]
        last = f"{2**64 - 1}-{2**64 - 1}"  # nothing can come after this one
        async with broadcast.subscribe("feed", last_id=last) as subscriber:
            await broadcast.publish("feed", "next")
            assert messages(await take(subscriber, 1)) == ["next"]


async def test_maxlen_trims_the_stream(
    redis_server: RedisServer, client: redis.asyncio.Redis, prefix: str
) -> None:
    async with Broadcast(stream_url(redis_server), prefix=prefix, maxlen=10) as broadcast:
        for number in range(500):
            await broadcast.publish("busy", str(number))
    length = await client.xlen(prefix + "busy")
    assert 10 <= length < 500  # MAXLEN ~: about maxlen, trimmed by whole nodes


async def test_history_errors_during_an_outage(
    redis_server: RedisServer, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise redis.ConnectionError("Connection refused")

    async with Broadcast(stream_url(redis_server), prefix=prefix) as broadcast:
        backend = broadcast.backend
        assert isinstance(backend, RedisStreamBackend)
        monkeypatch.setattr(backend.client, "xrevrange", broken)
        monkeypatch.setattr(backend.client, "xrange", broken)
        options: dict[str, Any]
        for options in ({}, {"history": 2}, {"last_id": "1-0"}):
            with pytest.raises(BroadcastConnectionError, match="Connection refused"):
                async with broadcast.subscribe("h", **options):
                    pass
        with pytest.raises(BroadcastConnectionError, match="reading the history of 'h' failed"):
            await backend.latest("h", 1)
        with pytest.raises(BroadcastConnectionError, match="reading the history of 'h' failed"):
            await backend.since("h", "1-0", 1)
        assert broadcast.subscriber_count() == 0
