"""``MemoryBackend``: events within one process, with an optional history per channel."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from itertools import islice

from asgi_broadcast._backend import Listener
from asgi_broadcast._event import Event
from asgi_broadcast._ids import EventIds, parse_event_id
from asgi_broadcast._options import check_int

__all__ = ["MemoryBackend"]


def _nobody(event: Event) -> None:
    """Where events go while no ``Broadcast`` is connected: nowhere."""


class MemoryBackend:
    """The ``memory://`` backend: publishers and subscribers of one process (the default).

    Publishing queues the event for each subscriber at once, in the publisher's task; no
    task or thread runs in the background, and it works on asyncio and trio. Events get
    ids like Redis Streams ones. With ``maxlen`` > 0 the last ``maxlen`` events of each
    channel are kept, for ``subscribe(history=...)`` and ``subscribe(last_id=...)``; that
    history lives as long as the process (and the channel), so bound ``maxlen`` when
    channel names are many (one per user, one per room).
    """

    def __init__(self, *, maxlen: int = 0) -> None:
        self.maxlen = check_int("MemoryBackend", "maxlen", maxlen, minimum=0)
        self._deliver: Callable[[Event], None] = _nobody
        self._ids = EventIds()
        self._history: dict[str, deque[tuple[tuple[int, int], Event]]] = {}

    def __repr__(self) -> str:
        return f"MemoryBackend(maxlen={self.maxlen})"

    async def connect(self, listener: Listener) -> None:
        """Deliver published events to ``listener`` from now on."""
        self._deliver = listener.deliver

    async def disconnect(self) -> None:
        """Stop delivering; the history is kept for the next ``connect()``."""
        self._deliver = _nobody

    async def subscribe(self, channel: str) -> None:
        """Nothing to do: the ``Broadcast`` knows its subscribers."""

    async def unsubscribe(self, channel: str) -> None:
        """Nothing to do: the ``Broadcast`` knows its subscribers."""

    async def publish(self, channel: str, message: str) -> str:
        """Queue the event for every subscriber of ``channel``; return its id."""
        event_id = self._ids.next()
        event = Event(channel, message, event_id)
        if self.maxlen:
            history = self._history.get(channel)
            if history is None:
                history = self._history[channel] = deque(maxlen=self.maxlen)
            history.append((parse_event_id(event_id), event))
        self._deliver(event)
        return event_id

    def _kept(self, channel: str) -> deque[tuple[tuple[int, int], Event]]:
        if not self.maxlen:
            raise ValueError(
                "subscribe(history=...) and subscribe(last_id=...) replay kept events, and this "
                "memory:// broadcast keeps none: create it with Broadcast('memory://', "
                "maxlen=1000) (events kept per channel), or use redis-stream://."
            )
        return self._history.get(channel, deque())

    async def latest(self, channel: str, count: int) -> list[Event]:
        """The last ``count`` events of ``channel``, oldest first."""
        kept = self._kept(channel)
        return [event for _, event in list(kept)[max(0, len(kept) - count) :]]

    async def since(self, channel: str, last_id: str, limit: int) -> list[Event]:
        """Up to ``limit`` events of ``channel`` after ``last_id``, oldest first."""
        after = parse_event_id(last_id)
        newer = (event for key, event in self._kept(channel) if key > after)
        return list(islice(newer, limit))
