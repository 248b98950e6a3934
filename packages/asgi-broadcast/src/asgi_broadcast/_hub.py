"""``Hub``: who subscribes to what in this process, and the fan-out of events to them."""

from __future__ import annotations

from asgi_broadcast._errors import BroadcastConnectionError
from asgi_broadcast._event import Event
from asgi_broadcast._subscriber import Subscriber

__all__ = ["Hub"]


class Hub:
    """The :class:`~asgi_broadcast.Listener` a ``Broadcast`` gives its backend.

    ``channels`` maps each channel to its subscribers; delivering an event puts it in the
    queue of each, which never waits.
    """

    __slots__ = ("channels", "error", "subscribers")

    def __init__(self) -> None:
        self.channels: dict[str, set[Subscriber]] = {}
        self.subscribers: set[Subscriber] = set()
        self.error: BroadcastConnectionError | None = None

    def add(self, subscriber: Subscriber) -> None:
        """Deliver the events of the subscriber's channels to it from now on."""
        self.subscribers.add(subscriber)
        for channel in subscriber.channels:
            self.channels.setdefault(channel, set()).add(subscriber)

    def remove(self, subscriber: Subscriber) -> None:
        """Stop delivering to the subscriber; channels left without subscribers are dropped."""
        self.subscribers.discard(subscriber)
        for channel in subscriber.channels:
            subscribers = self.channels.get(channel, set())
            subscribers.discard(subscriber)
            if not subscribers:
                self.channels.pop(channel, None)

    def deliver(self, event: Event) -> None:
        """Queue ``event`` for every subscriber of its channel."""
        for subscriber in self.channels.get(event.channel, ()):
            subscriber._push(event)

    def failed(self, error: BroadcastConnectionError) -> None:
        """The backend gave up: each subscriber raises ``error`` once its queue is empty."""
        self.error = error
        for subscriber in self.subscribers:
            subscriber._fail(error)

    def reconnected(self, down_for: float) -> None:
        """The backend is back: each subscriber raises ``BroadcastReconnected`` once."""
        for subscriber in self.subscribers:
            subscriber._reconnected(down_for)

    def close(self) -> None:
        """The broadcast disconnects: every subscriber's iteration ends after its queue."""
        for subscriber in self.subscribers:
            subscriber._close()
        self.subscribers.clear()
        self.channels.clear()
