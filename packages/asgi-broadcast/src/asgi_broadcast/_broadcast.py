"""``Broadcast``: publish to channels, subscribe to them, over a backend chosen by URL."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, cast

import anyio

from asgi_broadcast._backend import BroadcastBackend, HistoryBackend
from asgi_broadcast._errors import BroadcastConnectionError, BroadcastError
from asgi_broadcast._hub import Hub
from asgi_broadcast._ids import parse_event_id
from asgi_broadcast._options import check_int, check_overflow, check_seconds
from asgi_broadcast._subscriber import Overflow, Subscriber
from asgi_broadcast._urls import backend_from_url

__all__ = ["Broadcast"]

logger = logging.getLogger("asgi_broadcast")

# Leaving a subscription and disconnecting finish even in a cancelled task, within this time.
CLEANUP_TIMEOUT = 5.0
# How many events one backend call may return while a history is replayed.
REPLAY_PAGE = 500


class Broadcast:
    """Channels that many subscribers receive what publishers send, in one or many processes.

    ``url`` chooses the backend: ``memory://`` (the default: one process), ``redis://`` or
    ``rediss://`` (Redis Pub/Sub: every process connected to that Redis, no history), or
    ``redis-stream://`` or ``rediss-stream://`` (Redis Streams: a history for replay and
    resumption). ``backend=`` takes any :class:`BroadcastBackend` instead.

    ``max_queue`` and ``overflow`` bound each subscriber's queue and say what a full one
    drops (``"drop_oldest"`` or ``"drop_newest"``). ``reconnect`` and ``max_backoff``
    apply to the Redis backends: with ``reconnect=True`` a lost connection is made again
    with an exponential backoff of at most ``max_backoff`` seconds between attempts, and
    subscribers get :class:`BroadcastReconnected`; with ``reconnect=False`` they get
    :class:`BroadcastConnectionError`. Other keyword arguments are the backend's options
    (``maxlen`` for ``memory://`` and ``redis-stream://``, ``prefix`` for the latter).

    Connect it once for the application's lifetime (``async with broadcast:`` in the
    lifespan, or ``connect()`` and ``disconnect()``).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        backend: BroadcastBackend | None = None,
        max_queue: int = 1000,
        overflow: Overflow = "drop_oldest",
        reconnect: bool = True,
        max_backoff: float = 5.0,
        **options: Any,
    ) -> None:
        self.max_queue = check_int("Broadcast", "max_queue", max_queue, minimum=1)
        self.overflow: Overflow = check_overflow("Broadcast", overflow)
        if not isinstance(reconnect, bool):
            raise TypeError(f"Broadcast(reconnect={reconnect!r}): pass True or False.")
        check_seconds("Broadcast", "max_backoff", max_backoff)
        if backend is None:
            backend = backend_from_url(
                "memory://" if url is None else url,
                reconnect=reconnect,
                max_backoff=max_backoff,
                options=options,
            )
        elif url is not None or options:
            given = "url" if url is not None else next(iter(options))
            raise TypeError(
                f"Broadcast(backend=..., {given}=...): a backend passed as backend= is already "
                "configured; give either a URL (with its options) or a backend."
            )
        elif not isinstance(backend, BroadcastBackend):
            raise TypeError(
                f"Broadcast(backend={backend!r}): a backend needs the async methods connect, "
                "disconnect, subscribe, unsubscribe and publish (see BroadcastBackend)."
            )
        self.backend = backend
        self._hub = Hub()
        self._lock: anyio.Lock | None = None
        self._backend_channels: set[str] = set()

    def __repr__(self) -> str:
        return f"Broadcast(backend={self.backend!r})"

    @property
    def connected(self) -> bool:
        """Whether ``connect()`` succeeded and ``disconnect()`` was not called since."""
        return self._lock is not None

    def subscriber_count(self, channel: str | None = None) -> int:
        """How many subscribers ``channel`` has in this process (all channels: ``None``)."""
        if channel is None:
            return len(self._hub.subscribers)
        return len(self._hub.channels.get(channel, ()))

    async def connect(self) -> None:
        """Connect the backend; raises :class:`BroadcastConnectionError` when unreachable."""
        if self._lock is not None:
            raise BroadcastError(
                f"{self!r} is already connected: call connect() once (in the lifespan), "
                "or disconnect() first."
            )
        self._hub = Hub()
        await self.backend.connect(self._hub)
        self._lock = anyio.Lock()

    async def disconnect(self) -> None:
        """End every subscriber's iteration and disconnect the backend (again: no-op)."""
        if self._lock is None:
            return
        self._lock = None
        self._hub.close()
        self._backend_channels.clear()
        with anyio.move_on_after(CLEANUP_TIMEOUT, shield=True):
            await self.backend.disconnect()

    async def __aenter__(self) -> Broadcast:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.disconnect()

    def _check_usable(self, action: str) -> anyio.Lock:
        if self._lock is None or self._hub.error is not None:
            raise self._unusable(action)
        return self._lock

    def _unusable(self, action: str) -> BroadcastError:
        if self._lock is None:
            return BroadcastError(
                f"cannot {action}: {self!r} is not connected. Call 'await broadcast.connect()' "
                "first (in the application's lifespan), or use 'async with broadcast:'."
            )
        error = BroadcastConnectionError(
            f"cannot {action}: {self._hub.error} Call 'await broadcast.disconnect()' and "
            "'await broadcast.connect()' to start again."
        )
        error.__cause__ = self._hub.error
        return error

    async def publish(self, channel: str, message: str) -> str | None:
        """Send ``message`` to every subscriber of ``channel``; returns the event id, if any.

        ``message`` is a string: send JSON as ``json.dumps(data)``. Raises
        :class:`BroadcastConnectionError` when the backend cannot be reached (the event was
        not delivered).
        """
        if self._lock is None or self._hub.error is not None:
            raise self._unusable(f"publish to {channel!r}")
        if not isinstance(channel, str):
            raise TypeError(f"publish(channel={channel!r}, ...): a channel is a string.")
        if not isinstance(message, str):
            raise TypeError(
                f"publish({channel!r}, message=<{type(message).__name__} object>): a message "
                "is a string; encode other data first, e.g. json.dumps(data)."
            )
        return await self.backend.publish(channel, message)

    def subscribe(
        self,
        *channels: str,
        history: int = 0,
        last_id: str | None = None,
        max_queue: int | None = None,
        overflow: Overflow | None = None,
    ) -> Subscriber:
        """A subscription to ``channels``, for ``async with ... as subscriber``.

        ``history=N`` first delivers the last N events of each channel, then live ones;
        ``last_id`` (an :attr:`Event.id`, e.g. from ``Last-Event-ID``) first delivers every
        kept event after it, and takes precedence over ``history``; both need a backend
        with a history (``redis-stream://``, or ``memory://`` with ``maxlen``). An invalid
        ``last_id`` raises :class:`InvalidEventId` (a ``ValueError``) here, an empty one
        counts as none. ``max_queue`` and ``overflow`` override the broadcast's.
        """
        if not channels:
            raise TypeError("subscribe() needs at least one channel: subscribe('chat').")
        for channel in channels:
            given: object = channel
            if not isinstance(given, str) or not given:
                raise TypeError(f"subscribe({channel!r}): a channel is a non-empty string.")
        history = check_int("subscribe", "history", history, minimum=0)
        if last_id == "":
            last_id = None
        if last_id is not None:
            parse_event_id(last_id)
        if (history or last_id is not None) and not isinstance(self.backend, HistoryBackend):
            raise ValueError(
                f"subscribe(history=..., last_id=...) replays kept events, and {self.backend!r} "
                "keeps none: use a redis-stream:// URL (Redis Streams), or memory:// with "
                "maxlen=..."
            )
        return Subscriber(
            self,
            tuple(dict.fromkeys(channels)),
            max_queue=self.max_queue
            if max_queue is None
            else check_int("subscribe", "max_queue", max_queue, minimum=1),
            overflow=self.overflow if overflow is None else check_overflow("subscribe", overflow),
            history=history,
            last_id=last_id,
        )

    async def _join(self, subscriber: Subscriber) -> None:
        """Register ``subscriber`` (and subscribe the backend), then replay its history."""
        replay = bool(subscriber.history) or subscriber.last_id is not None
        if replay:
            subscriber._start_replay()
        lock = self._check_usable(f"subscribe to {', '.join(map(repr, subscriber.channels))}")
        try:
            async with lock:
                self._check_usable("subscribe")
                self._hub.add(subscriber)
                for channel in subscriber.channels:
                    if channel not in self._backend_channels:
                        await self.backend.subscribe(channel)
                        self._backend_channels.add(channel)
            if replay:
                await self._replay(subscriber, cast("HistoryBackend", self.backend))
        except BaseException:
            await self._leave(subscriber)
            raise

    async def _replay(self, subscriber: Subscriber, backend: HistoryBackend) -> None:
        """Queue the kept events the subscriber asked for, then the live ones that came."""
        last_ids: dict[str, str] = {}
        for channel in subscriber.channels:
            after = subscriber.last_id
            if after is None:
                events = await backend.latest(channel, subscriber.history)
            else:
                events = await backend.since(channel, after, REPLAY_PAGE)
            while True:
                for event in events:
                    subscriber._enqueue(event)
                if events:
                    after = events[-1].id or after
                if subscriber.last_id is None or len(events) < REPLAY_PAGE:
                    break
                events = await backend.since(channel, after or "", REPLAY_PAGE)
            if after is not None:
                last_ids[channel] = after
        subscriber._end_replay(last_ids)

    async def _leave(self, subscriber: Subscriber) -> None:
        """Unregister ``subscriber``; unsubscribe the backend from channels nobody wants."""
        self._hub.remove(subscriber)
        lock = self._lock
        if lock is None or self._hub.error is not None:
            return
        with anyio.move_on_after(CLEANUP_TIMEOUT, shield=True):
            async with lock:
                for channel in subscriber.channels:
                    if channel in self._backend_channels and channel not in self._hub.channels:
                        self._backend_channels.discard(channel)
                        try:
                            await self.backend.unsubscribe(channel)
                        except Exception as exc:  # noqa: BLE001  # leaving must not raise
                            logger.warning(
                                "Unsubscribing from %r failed (%s: %s); the backend may keep "
                                "receiving its events until it reconnects.",
                                channel,
                                type(exc).__name__,
                                exc,
                            )
