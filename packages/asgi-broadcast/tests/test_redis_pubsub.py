"""RedisPubSubBackend against a real redis-server: many processes, leaving, errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
import redis
import redis.asyncio

import asgi_broadcast._redis_pubsub
from asgi_broadcast import Broadcast, BroadcastConnectionError, Subscriber

RedisServer = Any  # conftest.RedisServer: url, port, kill(), start()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # redis-py's asyncio client; trio: see test_redis.py


pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(redis_server: RedisServer) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.from_url(redis_server.url, decode_responses=True)
    yield client
    await client.aclose()


async def take(subscriber: Subscriber, count: int) -> list[tuple[str, str]]:
    with anyio.fail_after(10):
        return [
            (event.channel, event.message)
            for event in [await subscriber.__anext__() for _ in range(count)]
        ]


async def numsub(client: redis.asyncio.Redis, channel: str) -> int:
    ((_, count),) = await client.pubsub_numsub(channel)
    return int(count)


async def test_events_reach_every_process(
    redis_server: RedisServer, client: redis.asyncio.Redis
) -> None:
    # Two Broadcast objects stand for two processes: each has its own connections.
    async with Broadcast(redis_server.url) as one, Broadcast(redis_server.url) as two:
        async with (
            one.subscribe("ps-a", "ps-b") as first,
            two.subscribe("ps-b") as second,
            two.subscribe("ps-b") as third,
        ):
            assert await numsub(client, "ps-b") == 2  # one subscription per process
            assert await one.publish("ps-a", "from one") is None  # Pub/Sub has no ids
            await two.publish("ps-b", "from two")
            await client.publish("ps-b", "from elsewhere")
            assert await take(first, 3) == [
                ("ps-a", "from one"),
                ("ps-b", "from two"),
                ("ps-b", "from elsewhere"),
            ]
            assert await take(second, 2) == await take(third, 2)
        assert (await numsub(client, "ps-a"), await numsub(client, "ps-b")) == (0, 0)
        assert one.subscriber_count() == two.subscriber_count() == 0


async def test_history_is_refused_at_once(redis_server: RedisServer) -> None:
    broadcast = Broadcast(redis_server.url)
    with pytest.raises(ValueError, match="RedisPubSubBackend.*keeps none: use a redis-stream://"):
        broadcast.subscribe("ps-a", history=3)


async def test_a_failed_unsubscribe_is_logged_not_raised(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.WARNING, logger="asgi_broadcast")

    async def broken(*channels: str) -> None:
        raise redis.ConnectionError("Connection reset by peer")

    async with Broadcast(redis_server.url) as broadcast:
        async with broadcast.subscribe("ps-gone"):
            monkeypatch.setattr(broadcast.backend._pubsub, "unsubscribe", broken)  # type: ignore[attr-defined]
        assert broadcast.subscriber_count() == 0
    (record,) = caplog.records
    assert record.getMessage() == (
        "Unsubscribing from 'ps-gone' failed (ConnectionError: Connection reset by peer); the "
        "backend may keep receiving its events until it reconnects."
    )


async def test_a_failed_subscribe_raises_and_leaves_nothing_behind(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*channels: str) -> None:
        raise redis.ConnectionError("Connection reset by peer")

    async with Broadcast(redis_server.url) as broadcast:
        monkeypatch.setattr(broadcast.backend._pubsub, "subscribe", broken)  # type: ignore[attr-defined]
        with pytest.raises(BroadcastConnectionError) as caught:
            async with broadcast.subscribe("ps-x"):
                pass
        assert str(caught.value) == (
            f"subscribing to 'ps-x' failed: Redis at {redis_server.url} cannot be reached "
            "(ConnectionError: Connection reset by peer)."
        )
        assert broadcast.subscriber_count() == 0
        assert broadcast._backend_channels == set()


async def test_keepalive_pings_answered_without_subscriptions(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(asgi_broadcast._redis_pubsub, "KEEPALIVE", 0.05)
    caplog.set_level(logging.WARNING, logger="asgi_broadcast")
    async with Broadcast(redis_server.url) as broadcast:
        await anyio.sleep(0.3)  # several PINGs on a connection subscribed to nothing
        async with broadcast.subscribe("ps-quiet") as subscriber:
            await anyio.sleep(0.3)  # and on a subscribed one
            await broadcast.publish("ps-quiet", "still here")
            assert await take(subscriber, 1) == [("ps-quiet", "still here")]
    assert caplog.records == []
