"""The backend protocol: what ``Broadcast`` needs from a transport, and what it offers back.

A backend moves events between processes (or within one). ``Broadcast`` keeps the
subscribers, their queues and the fan-out; the backend only subscribes to channels,
publishes, and hands every event it receives to the :class:`Listener` given to
``connect()``. A backend that keeps a history also implements :class:`HistoryBackend`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from asgi_broadcast._errors import BroadcastConnectionError
from asgi_broadcast._event import Event

__all__ = ["BroadcastBackend", "HistoryBackend", "Listener"]


class Listener(Protocol):
    """What a backend reports to: ``Broadcast`` passes one to ``BroadcastBackend.connect``.

    Every method is synchronous, never blocks and never raises: call them from the task
    that reads from the transport.
    """

    def deliver(self, event: Event) -> None:
        """Hand an event received on a subscribed channel to its subscribers."""

    def failed(self, error: BroadcastConnectionError) -> None:
        """The connection is lost for good: every subscriber's iterator raises ``error``."""

    def reconnected(self, down_for: float) -> None:
        """The connection was lost and is back after ``down_for`` seconds.

        Every subscriber's iterator raises :class:`~asgi_broadcast.BroadcastReconnected`
        once, then goes on.
        """


@runtime_checkable
class BroadcastBackend(Protocol):
    """A transport for ``Broadcast(backend=...)``.

    ``subscribe`` is called when a channel gets its first subscriber in this process and
    ``unsubscribe`` when its last one leaves (never twice in a row for one channel, never
    concurrently). ``publish`` returns the event's id, or ``None`` when the backend has no
    ids. Errors reaching the transport are raised as
    :class:`~asgi_broadcast.BroadcastConnectionError`.
    """

    async def connect(self, listener: Listener) -> None:
        """Connect, and from now on pass received events to ``listener``."""

    async def disconnect(self) -> None:
        """Stop receiving and release the connections; called once after ``connect``."""

    async def subscribe(self, channel: str) -> None:
        """Start receiving the events published to ``channel``."""

    async def unsubscribe(self, channel: str) -> None:
        """Stop receiving the events published to ``channel``."""

    async def publish(self, channel: str, message: str) -> str | None:
        """Send ``message`` to every subscriber of ``channel``, in every process."""


@runtime_checkable
class HistoryBackend(BroadcastBackend, Protocol):
    """A backend that keeps recent events, for ``subscribe(history=...)`` and ``last_id=``.

    Ids must be of the form ``"<milliseconds>-<sequence>"`` and grow with each event of a
    channel. Both methods return events oldest first.
    """

    async def latest(self, channel: str, count: int) -> list[Event]:
        """The last ``count`` events of ``channel`` (fewer when it has fewer)."""

    async def since(self, channel: str, last_id: str, limit: int) -> list[Event]:
        """Up to ``limit`` events of ``channel`` that came after the event ``last_id``.

        Raises :class:`~asgi_broadcast.InvalidEventId` when ``last_id`` is malformed.
        """
