"""``Event``: one message published to one channel."""

from __future__ import annotations

__all__ = ["Event"]


class Event:
    """A message received on a channel: ``channel``, ``message`` and ``id``.

    ``id`` is the event's id in the backend's history (``"1718000000000-0"``: milliseconds
    and a sequence number) for backends that keep one (``redis-stream://``, and
    ``memory://`` with ``maxlen``); it is ``None`` for Redis Pub/Sub. Give it to the client
    as the SSE event id and pass the client's ``Last-Event-ID`` back as
    ``subscribe(..., last_id=...)`` to resume where it stopped.
    """

    __slots__ = ("channel", "id", "message")

    def __init__(self, channel: str, message: str, id: str | None = None) -> None:
        self.channel = channel
        self.message = message
        self.id = id

    def __repr__(self) -> str:
        return f"Event(channel={self.channel!r}, message={self.message!r}, id={self.id!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        return (self.channel, self.message, self.id) == (other.channel, other.message, other.id)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass with eq=True
