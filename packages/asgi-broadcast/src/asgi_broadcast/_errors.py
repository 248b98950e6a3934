"""The exceptions of asgi-broadcast: one base class, and what callers are meant to catch."""

from __future__ import annotations

__all__ = [
    "BroadcastConnectionError",
    "BroadcastError",
    "BroadcastReconnected",
    "InvalidEventId",
]


class BroadcastError(RuntimeError):
    """The base class of every error asgi-broadcast raises at run time.

    Raised as such for misuse that only shows while running: publishing or subscribing on a
    ``Broadcast`` that is not connected, connecting twice, iterating a subscriber outside
    its ``async with`` block.
    """


class BroadcastConnectionError(BroadcastError):
    """The backend cannot be reached (Redis is down, refused the connection, went away).

    Raised by ``connect()`` when the first connection fails, by ``publish()`` during an
    outage (the event was not delivered), and by a subscriber's iterator once the backend
    gave up (``reconnect=False``): events queued before the loss are delivered first.
    """


class BroadcastReconnected(BroadcastError):
    """The backend lost its connection and made it again: events may have been missed.

    Raised once by each subscriber's iterator, at the place in its stream where the outage
    happened, when ``reconnect=True`` (the default). The subscriber stays subscribed:
    iterate again to receive the events that follow. With Redis Pub/Sub, events published
    during the outage are lost; a ``redis-stream://`` backend reads on from where it was,
    so a subscriber only misses events that ``maxlen`` trimmed meanwhile.

    ``channels`` are the subscriber's channels; ``down_for`` is the outage in seconds.
    """

    def __init__(self, channels: tuple[str, ...], down_for: float) -> None:
        self.channels = channels
        self.down_for = down_for
        names = ", ".join(repr(channel) for channel in channels)
        super().__init__(
            f"the broadcast backend reconnected after {down_for:.1f}s without a connection; "
            f"events published to {names} meanwhile may be missing. The subscription is "
            "still active: iterate again to receive the next events."
        )


class InvalidEventId(ValueError):
    """``last_id`` is not an event id the backend can read from.

    Its value usually comes from a client (the ``Last-Event-ID`` header of an
    ``EventSource`` that reconnects), so catch it and answer 400 rather than 500.
    """
