"""``RedisPubSubBackend``: Redis Pub/Sub, for any number of processes and machines."""

from __future__ import annotations

import asyncio  # noqa: TID251  # redis-py's asyncio client runs only on asyncio
import contextlib
from typing import TYPE_CHECKING, Any, cast

from asgi_broadcast._backend import Listener
from asgi_broadcast._event import Event
from asgi_broadcast._redis import RedisBackend

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

__all__ = ["RedisPubSubBackend"]

# After this many seconds without a message the reading connection sends a PING; without an
# answer within as long again, the connection counts as lost (a frozen or unreachable Redis).
KEEPALIVE = 5.0


class RedisPubSubBackend(RedisBackend):
    """The ``redis://`` and ``rediss://`` backend: Redis Pub/Sub (``PUBLISH``/``SUBSCRIBE``).

    Every process connected to the same Redis receives what any of them publishes, at once.
    A reading connection that hears nothing for 5 s sends a PING, and counts as lost when no
    answer comes within 5 s more, so a frozen or unreachable Redis is noticed too.
    Redis keeps nothing: events have no id, there is no history, and events published
    while a process was disconnected never reach it (its subscribers get
    :class:`~asgi_broadcast.BroadcastReconnected`). Two connections per process: one for
    publishing, one subscribed to every channel that has subscribers in the process.

    ``url`` is a redis-py URL (its query string may set client options, such as
    ``?socket_timeout=5``). Needs the ``redis`` extra and asyncio.
    """

    def __init__(self, url: str, *, reconnect: bool = True, max_backoff: float = 5.0) -> None:
        super().__init__(url, reconnect=reconnect, max_backoff=max_backoff)
        self._channels: set[str] = set()
        self._pubsub: PubSub | None = None
        self._reading: Redis | None = None

    def _clients(self) -> list[Any]:
        clients = [self._pubsub, self._reading, self._client]
        self._pubsub = self._reading = None
        return [client for client in clients if client is not None]

    async def _open(self) -> None:
        self._channels = set()
        await self.client.ping()
        await self._reopen()

    async def _reopen(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await cast("Any", self._pubsub).aclose()
        if self._reading is None:
            self._reading = self._new_client(retries=0)
        self._pubsub = pubsub = self._reading.pubsub()
        await cast("Any", pubsub).connect()
        if self._channels:
            await pubsub.subscribe(*self._channels)

    async def _read(self, listener: Listener) -> None:
        pubsub = cast("PubSub", self._pubsub)
        loop = asyncio.get_running_loop()
        pinged = False
        while True:
            # In a task of its own, so that the cancellation redis-py's timeout makes stays
            # there (it would otherwise go through this coroutine, which coverage.py on
            # CPython 3.11 then stops tracing).
            message = await loop.create_task(pubsub.get_message(timeout=KEEPALIVE))
            if message is not None:
                pinged = False
                if message["type"] == "message":
                    listener.deliver(Event(message["channel"], message["data"]))
            elif pinged:  # silence after a PING: Redis is frozen, or unreachable
                raise TimeoutError(f"no answer to PING within {2 * KEEPALIVE:g}s")
            else:  # silence: is Redis still there?
                await pubsub.ping()
                pinged = True

    async def subscribe(self, channel: str) -> None:
        """Subscribe the reading connection to ``channel`` (later, if it is down)."""
        async with self._lock:
            self._channels.add(channel)
            if self._up:
                try:
                    await cast("PubSub", self._pubsub).subscribe(channel)
                except Exception as exc:
                    raise self._lost(f"subscribing to {channel!r}", exc) from exc

    async def unsubscribe(self, channel: str) -> None:
        """Unsubscribe the reading connection from ``channel``."""
        async with self._lock:
            self._channels.discard(channel)
            if self._up:
                await cast("PubSub", self._pubsub).unsubscribe(channel)

    async def publish(self, channel: str, message: str) -> None:
        """``PUBLISH`` the message; raises ``BroadcastConnectionError`` when Redis is away."""
        try:
            await self.client.publish(channel, message)
        except Exception as exc:
            raise self._lost(f"publishing to {channel!r}", exc) from exc
