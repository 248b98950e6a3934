"""``Subscriber``: one consumer's bounded queue of events, with its overflow policy."""

from __future__ import annotations

import logging
from collections import deque
from types import TracebackType
from typing import TYPE_CHECKING, Literal

import anyio
import anyio.lowlevel

from asgi_broadcast._errors import BroadcastConnectionError, BroadcastError, BroadcastReconnected
from asgi_broadcast._event import Event

if TYPE_CHECKING:
    from asgi_broadcast._broadcast import Broadcast

__all__ = ["OVERFLOW_POLICIES", "Overflow", "Subscriber"]

logger = logging.getLogger("asgi_broadcast")

Overflow = Literal["drop_oldest", "drop_newest"]
OVERFLOW_POLICIES: tuple[Overflow, ...] = ("drop_oldest", "drop_newest")

_NEW, _ACTIVE, _CLOSED, _LEFT = range(4)
_NO_ID = object()


class Subscriber:
    """The events of one or more channels, for one consumer; from ``Broadcast.subscribe()``.

    Use it as ``async with broadcast.subscribe("chat") as subscriber:`` and iterate it with
    ``async for event in subscriber``. Each subscriber has its own queue of at most
    ``max_queue`` events, so a slow consumer never holds up the publishers or the other
    subscribers: when its queue is full, ``overflow="drop_oldest"`` drops the oldest queued
    event to make room, ``"drop_newest"`` drops the arriving one. ``dropped`` counts the
    events dropped so far; the first drop is logged (logger ``asgi_broadcast``, WARNING).

    The iteration ends when the ``Broadcast`` disconnects. It raises
    :class:`BroadcastReconnected` once after an outage the backend recovered from (iterate
    again to go on), and :class:`BroadcastConnectionError` when it gave up.
    """

    __slots__ = (
        "_broadcast",
        "_error",
        "_notice",
        "_notice_after",
        "_pending",
        "_queue",
        "_state",
        "_waiter",
        "channels",
        "dropped",
        "history",
        "last_id",
        "max_queue",
        "overflow",
    )

    def __init__(
        self,
        broadcast: Broadcast,
        channels: tuple[str, ...],
        *,
        max_queue: int,
        overflow: Overflow,
        history: int = 0,
        last_id: str | None = None,
    ) -> None:
        self._broadcast = broadcast
        self.channels = channels
        self.max_queue = max_queue
        self.overflow: Overflow = overflow
        self.history = history
        self.last_id = last_id
        self.dropped = 0
        self._queue: deque[Event] = deque()
        self._pending: list[Event] | None = None
        self._notice: BroadcastReconnected | None = None
        self._notice_after = 0
        self._error: BroadcastConnectionError | None = None
        self._waiter: anyio.Event | None = None
        self._state = _NEW

    def __repr__(self) -> str:
        return (
            f"<Subscriber channels={self.channels!r} queued={len(self._queue)} "
            f"dropped={self.dropped}>"
        )

    @property
    def queued(self) -> int:
        """How many events wait in the queue."""
        return len(self._queue)

    async def __aenter__(self) -> Subscriber:
        if self._state != _NEW:
            raise BroadcastError(
                "this subscriber was already used in an 'async with' block: call "
                "broadcast.subscribe(...) again for a new subscription."
            )
        self._state = _ACTIVE
        try:
            await self._broadcast._join(self)
        except BaseException:
            self._state = _LEFT
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._state = _LEFT
        self._queue.clear()
        await self._broadcast._leave(self)

    def __aiter__(self) -> Subscriber:
        return self

    async def __anext__(self) -> Event:
        while True:
            if self._notice is not None and self._notice_after == 0:
                notice, self._notice = self._notice, None
                raise notice
            if self._queue:
                await anyio.lowlevel.checkpoint_if_cancelled()
                if self._notice is not None:
                    self._notice_after -= 1
                return self._queue.popleft()
            if self._state != _ACTIVE:
                if self._state == _CLOSED:
                    raise StopAsyncIteration
                raise BroadcastError(
                    "iterate a subscriber inside its block: "
                    "'async with broadcast.subscribe(...) as subscriber: async for event in "
                    "subscriber: ...'."
                )
            if self._error is not None:
                raise BroadcastConnectionError(*self._error.args) from self._error.__cause__
            self._waiter = waiter = anyio.Event()
            await waiter.wait()

    # Called by the Broadcast (synchronously, from whichever task delivers).

    def _push(self, event: Event) -> None:
        """A live event: queued, or set apart while the history is being replayed."""
        if self._pending is not None:
            self._pending.append(event)
        else:
            self._enqueue(event)

    def _enqueue(self, event: Event) -> None:
        queue = self._queue
        if len(queue) >= self.max_queue:
            if self.dropped == 0:
                self._log_first_drop()
            self.dropped += 1
            if self.overflow == "drop_newest":
                return
            queue.popleft()
            if self._notice_after:
                self._notice_after -= 1
        queue.append(event)
        self._wake()

    def _log_first_drop(self) -> None:
        which = "oldest queued" if self.overflow == "drop_oldest" else "arriving"
        logger.warning(
            "A subscriber of %s is too slow: its queue of %d events is full, so the %s event "
            "was dropped (overflow=%r). subscriber.dropped counts the events it loses; raise "
            "max_queue or consume faster.",
            ", ".join(repr(channel) for channel in self.channels),
            self.max_queue,
            which,
            self.overflow,
        )

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            waiter.set()

    def _start_replay(self) -> None:
        """From now until ``_end_replay``, live events wait apart from the queue."""
        self._pending = []

    def _end_replay(self, last_ids: dict[str, str]) -> None:
        """Queue the live events that came during the replay, after the replayed ones.

        ``last_ids`` maps a channel to the id of the last event replayed (or the
        subscriber's ``last_id``). Live events up to that one were part of the replay, or
        older than it, and are left out.
        """
        pending, self._pending = self._pending or [], None
        skip_until: dict[str, int] = {}
        for index, event in enumerate(pending):
            if last_ids.get(event.channel, _NO_ID) == event.id:
                skip_until[event.channel] = index
        for index, event in enumerate(pending):
            if index > skip_until.get(event.channel, -1):
                self._enqueue(event)

    def _reconnected(self, down_for: float) -> None:
        if self._notice is None:
            self._notice = BroadcastReconnected(self.channels, down_for)
            self._notice_after = len(self._queue)
        else:
            self._notice = BroadcastReconnected(self.channels, self._notice.down_for + down_for)
        self._wake()

    def _fail(self, error: BroadcastConnectionError) -> None:
        self._error = error
        self._wake()

    def _close(self) -> None:
        self._state = _CLOSED
        self._wake()
