"""What both Redis backends share: asyncio only, clear connection errors, reconnection.

redis-py's asyncio client runs only on asyncio: the tests that talk to Redis run there,
and on trio ``connect()`` raises an error that says so (``test_on_trio_...``).
"""

from __future__ import annotations

import logging
import signal
import socket
from typing import Any

import anyio
import pytest

import asgi_broadcast._redis_pubsub
from asgi_broadcast import (
    Broadcast,
    BroadcastConnectionError,
    BroadcastError,
    BroadcastReconnected,
    RedisPubSubBackend,
    RedisStreamBackend,
    Subscriber,
)

RedisServer = Any  # conftest.RedisServer: url, port, kill(), start()

URLS = ["redis://{}", "redis-stream://{}"]


def nowhere() -> str:
    """An address where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"127.0.0.1:{port}"


async def take(subscriber: Subscriber, count: int) -> list[str]:
    with anyio.fail_after(10):
        return [(await subscriber.__anext__()).message for _ in range(count)]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.anyio
async def test_on_trio_connect_says_the_redis_backends_need_asyncio(url: str) -> None:
    broadcast = Broadcast(url.format(nowhere()))
    with pytest.raises(BroadcastError, match="needs the asyncio event loop") as caught:
        await broadcast.connect()
    assert "use memory:// on trio" in str(caught.value)
    assert not broadcast.connected


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_connect_fails_loudly_when_redis_is_unreachable(url: str) -> None:
    address = nowhere()
    broadcast = Broadcast(url.format(f":secret@{address}"))
    with pytest.raises(BroadcastConnectionError) as caught:
        await broadcast.connect()
    message = str(caught.value)
    assert message.startswith(f"connecting failed: Redis at redis://:***@{address} cannot be")
    assert "secret" not in message
    assert caught.value.__cause__ is not None
    assert not broadcast.connected


@pytest.mark.parametrize("backend", [RedisPubSubBackend, RedisStreamBackend])
def test_backend_arguments(backend: Any) -> None:
    with pytest.raises(ValueError, match=r"pass a redis-py URL: redis://host:6379/0"):
        backend("redis-stream://localhost")
    with pytest.raises(TypeError, match=r"\(reconnect=1\): pass True or False"):
        backend("redis://localhost", reconnect=1)
    with pytest.raises(ValueError, match=r"\(max_backoff=-1\)"):
        backend("redis://localhost", max_backoff=-1)
    unix = backend("unix:///run/redis.sock")
    assert unix.where == "unix:///run/redis.sock"
    with pytest.raises(BroadcastError, match="is not connected: call connect"):
        unix.client  # noqa: B018


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_a_backend_disconnects_twice(url: str, redis_server: RedisServer) -> None:
    broadcast = Broadcast(url.format(redis_server.url.removeprefix("redis://")))
    await broadcast.connect()
    await broadcast.backend.disconnect()
    await broadcast.backend.disconnect()
    await broadcast.disconnect()


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_redis_killed_and_restarted(
    url: str, own_redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Subscribers hear of the outage once, publishing fails during it, all works after it."""
    caplog.set_level(logging.WARNING, logger="asgi_broadcast")
    address = own_redis_server.url.removeprefix("redis://")
    async with Broadcast(url.format(address), max_backoff=0.2) as broadcast:
        async with broadcast.subscribe("room") as subscriber, broadcast.subscribe("x") as other:
            await broadcast.publish("room", "before")
            assert await take(subscriber, 1) == ["before"]

            own_redis_server.kill()
            with anyio.fail_after(10):
                while not any("Lost the connection" in r.message for r in caplog.records):
                    await anyio.sleep(0.01)
            with pytest.raises(BroadcastConnectionError, match="publishing to 'room' failed"):
                await broadcast.publish("room", "during")
            async with broadcast.subscribe("gone"):
                pass  # leaving during the outage
            # joining during the outage works; the subscription starts once Redis is back
            async with broadcast.subscribe("late") as late:
                await anyio.sleep(0.3)  # a few failed attempts
                own_redis_server.start()
                for waiting in (subscriber, other, late):
                    with anyio.fail_after(10), pytest.raises(BroadcastReconnected) as caught:
                        await waiting.__anext__()
                    assert caught.value.down_for > 0
                await broadcast.publish("room", "after")
                await broadcast.publish("late", "late too")
                assert await take(subscriber, 1) == ["after"]
                assert await take(late, 1) == ["late too"]
    assert broadcast.subscriber_count() == 0
    logged = [record.getMessage() for record in caplog.records]
    assert logged[0].startswith(f"Lost the connection to Redis at {own_redis_server.url}")
    assert "reconnecting, with at most 0.2s between attempts" in logged[0]
    assert any(line.startswith("Reconnecting to Redis at ") for line in logged)
    assert "failed (attempt 1, ConnectionError" in logged[1]
    assert logged[-1].startswith(f"Reconnected to Redis at {own_redis_server.url} after ")
    assert logged[-1].endswith("attempt(s)); subscriptions restored.")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_without_reconnect_subscribers_get_an_error(
    url: str, own_redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="asgi_broadcast")
    address = own_redis_server.url.removeprefix("redis://")
    broadcast = Broadcast(url.format(address), reconnect=False)
    await broadcast.connect()
    async with broadcast.subscribe("room") as subscriber:
        await broadcast.publish("room", "queued")
        assert await take(subscriber, 1) == ["queued"]
        own_redis_server.kill()
        with anyio.fail_after(10), pytest.raises(BroadcastConnectionError) as caught:
            await subscriber.__anext__()
        assert str(caught.value).startswith("reading events failed: Redis at ")
        with pytest.raises(BroadcastConnectionError, match="cannot publish to 'room'"):
            await broadcast.publish("room", "x")
    await broadcast.disconnect()
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert "reconnect=False: subscribers get BroadcastConnectionError" in record.getMessage()
    own_redis_server.start()
    async with broadcast:  # connect() again starts afresh
        async with broadcast.subscribe("room") as subscriber:
            await broadcast.publish("room", "again")
            assert await take(subscriber, 1) == ["again"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_a_frozen_redis_is_noticed(
    url: str,
    own_redis_server: RedisServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Redis that stops answering (frozen, or the network between is gone) is a loss too."""
    monkeypatch.setattr(asgi_broadcast._redis_pubsub, "KEEPALIVE", 0.2)
    caplog.set_level(logging.WARNING, logger="asgi_broadcast")
    address = own_redis_server.url.removeprefix("redis://")
    options = "?socket_timeout=0.5&socket_connect_timeout=0.5"
    async with Broadcast(url.format(address) + options, max_backoff=0.2) as broadcast:
        async with broadcast.subscribe("room") as subscriber:
            await anyio.sleep(0.5)  # quiet, but answering: no loss
            assert caplog.records == []
            own_redis_server.process.send_signal(signal.SIGSTOP)
            try:
                with anyio.fail_after(10):
                    while not any("Lost the connection" in r.message for r in caplog.records):
                        await anyio.sleep(0.01)
            finally:
                own_redis_server.process.send_signal(signal.SIGCONT)
            with anyio.fail_after(10), pytest.raises(BroadcastReconnected):
                await subscriber.__anext__()
            await broadcast.publish("room", "awake")
            assert await take(subscriber, 1) == ["awake"]
