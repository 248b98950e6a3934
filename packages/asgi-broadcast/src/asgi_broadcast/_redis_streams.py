"""``RedisStreamBackend``: Redis Streams, with a history to replay and resume from."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, cast

import anyio

from asgi_broadcast._backend import Listener
from asgi_broadcast._event import Event
from asgi_broadcast._ids import parse_event_id
from asgi_broadcast._options import check_int
from asgi_broadcast._redis import RedisBackend

if TYPE_CHECKING:
    from collections.abc import Iterable

    from redis.asyncio import Redis

__all__ = ["RedisStreamBackend"]

# The reading connection waits this long for new events before asking again (milliseconds).
BLOCK_MS = 1000
# At most this many events per stream and read.
READ_COUNT = 500
_LAST = 2**64 - 1


Entries = list[tuple[str, dict[str, str]]]


def _entries(response: Any) -> Iterable[tuple[str, Entries]]:
    """``(key, entries)`` pairs of an ``XREAD`` answer, in RESP2 or RESP3 form."""
    if isinstance(response, dict):
        return ((key, value[0]) for key, value in response.items())
    return cast("list[tuple[str, Entries]]", response)


def _events(channel: str, entries: Any) -> list[Event]:
    """The events of ``XRANGE``/``XREAD`` entries; entries without a message have ``""``."""
    return [
        Event(channel, fields.get("message", ""), entry_id)
        for entry_id, fields in cast("Entries", entries)
    ]


class RedisStreamBackend(RedisBackend):
    """The ``redis-stream://`` and ``rediss-stream://`` backend: one Redis Stream per channel.

    ``publish`` appends the message to the stream ``prefix + channel`` (``XADD`` with
    ``MAXLEN ~ maxlen``: about the last ``maxlen`` events are kept; ``None`` keeps all) and
    returns its id; subscribers read with ``XREAD``, so a process that loses its connection
    reads on from where it was once back. ``subscribe(history=N)`` replays the last N
    events, ``subscribe(last_id=...)`` every kept event after that id. The streams stay in
    Redis after the processes stop.

    ``url`` is a redis-py URL (``redis://``, ``rediss://``, ``unix://``); ``Broadcast``
    turns ``redis-stream://`` into ``redis://``. Two connections per process: one for
    commands, one waiting for events. Needs the ``redis`` extra and asyncio.
    """

    def __init__(
        self,
        url: str,
        *,
        maxlen: int | None = 1000,
        prefix: str = "",
        reconnect: bool = True,
        max_backoff: float = 5.0,
    ) -> None:
        super().__init__(url, reconnect=reconnect, max_backoff=max_backoff)
        owner = type(self).__name__
        self.maxlen = None if maxlen is None else check_int(owner, "maxlen", maxlen, minimum=1)
        if not isinstance(prefix, str):
            raise TypeError(f"{owner}(prefix={prefix!r}): pass a string, such as 'events:'.")
        self.prefix = prefix
        self._positions: dict[str, str | None] = {}
        self._reader: Redis | None = None
        self._reader_id = 0
        self._block_ms = BLOCK_MS
        self._wakeup: anyio.Event | None = None

    def _clients(self) -> list[Any]:
        clients = [self._reader, self._client]
        self._reader = None
        return [client for client in clients if client is not None]

    async def _last_id(self, client: Redis, channel: str) -> str:
        """The id of the newest event of ``channel``, or ``0-0``: reading starts after it."""
        newest = await client.xrevrange(self.prefix + channel, "+", "-", count=1)
        return str(newest[0][0]) if newest else "0-0"

    async def _open(self) -> None:
        self._positions = {}
        await self.client.ping()
        await self._reopen()

    async def _reopen(self) -> None:
        if self._reader is None:
            self._reader = self._new_client(
                retries=0, single_connection_client=True, socket_timeout=BLOCK_MS / 1000 + 10
            )
            # a read waits at most half the socket timeout (the URL may set a short one), so
            # that only a frozen or unreachable Redis makes the socket time out
            timeout = self._reader.connection_pool.connection_kwargs.get("socket_timeout")
            self._block_ms = max(1, min(BLOCK_MS, int(timeout * 500))) if timeout else BLOCK_MS
        self._reader_id = await self._reader.client_id()
        for channel, position in list(self._positions.items()):
            if position is None:
                self._positions[channel] = await self._last_id(self._reader, channel)

    async def _read(self, listener: Listener) -> None:
        reader = cast("Redis", self._reader)
        skip = len(self.prefix)
        while True:
            if not self._positions:
                self._wakeup = wakeup = anyio.Event()
                await wakeup.wait()
                continue
            streams = {self.prefix + ch: at for ch, at in self._positions.items() if at is not None}
            response = await reader.xread(streams, count=READ_COUNT, block=self._block_ms)  # type: ignore[arg-type]
            newest: dict[str, str] = {}
            for key, entries in _entries(response):
                channel = key[skip:]
                for event in _events(channel, entries):
                    listener.deliver(event)
                newest[channel] = entries[-1][0]
            self._positions = {ch: newest.get(ch, at) for ch, at in self._positions.items()}

    async def subscribe(self, channel: str) -> None:
        """Read the stream of ``channel`` from its current end on."""
        async with self._lock:
            position = None
            if self._up:
                try:
                    position = await self._last_id(self.client, channel)
                except Exception as exc:
                    raise self._lost(f"subscribing to {channel!r}", exc) from exc
            self._positions[channel] = position
        wakeup, self._wakeup = self._wakeup, None
        if wakeup is not None:
            wakeup.set()
        elif self._up:
            with contextlib.suppress(Exception):  # it then sees the channel within BLOCK_MS
                await self.client.client_unblock(self._reader_id)

    async def unsubscribe(self, channel: str) -> None:
        """Stop reading the stream of ``channel`` (from the next read on)."""
        async with self._lock:
            self._positions.pop(channel, None)

    async def publish(self, channel: str, message: str) -> str:
        """``XADD`` the message (``MAXLEN ~ maxlen``); returns its id."""
        try:
            event_id = await self.client.xadd(
                self.prefix + channel,
                {"message": message},
                maxlen=self.maxlen,
                approximate=True,
            )
        except Exception as exc:
            raise self._lost(f"publishing to {channel!r}", exc) from exc
        return str(event_id)

    async def latest(self, channel: str, count: int) -> list[Event]:
        """The last ``count`` events of ``channel``, oldest first (``XREVRANGE``)."""
        try:
            entries = await self.client.xrevrange(self.prefix + channel, "+", "-", count=count)
        except Exception as exc:
            raise self._lost(f"reading the history of {channel!r}", exc) from exc
        return _events(channel, entries)[::-1]

    async def since(self, channel: str, last_id: str, limit: int) -> list[Event]:
        """Up to ``limit`` events of ``channel`` after ``last_id``, oldest first (``XRANGE``)."""
        milliseconds, sequence = parse_event_id(last_id)
        if (milliseconds, sequence) == (_LAST, _LAST):
            return []
        try:
            entries = await self.client.xrange(
                self.prefix + channel, f"({milliseconds}-{sequence}", "+", count=limit
            )
        except Exception as exc:
            raise self._lost(f"reading the history of {channel!r}", exc) from exc
        return _events(channel, entries)
