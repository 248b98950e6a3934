"""The backend protocol: a backend of one's own, with or without a history."""

from __future__ import annotations

import anyio
import pytest

from asgi_broadcast import (
    Broadcast,
    BroadcastBackend,
    Event,
    HistoryBackend,
    Listener,
    MemoryBackend,
)

pytestmark = pytest.mark.anyio


class LoopbackBackend:
    """The smallest backend: what is published comes straight back, with no id."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.calls: list[str] = []

    async def connect(self, listener: Listener) -> None:
        self.listener = listener
        self.calls.append("connect")

    async def disconnect(self) -> None:
        self.calls.append("disconnect")

    async def subscribe(self, channel: str) -> None:
        self.calls.append(f"subscribe {channel}")

    async def unsubscribe(self, channel: str) -> None:
        self.calls.append(f"unsubscribe {channel}")

    async def publish(self, channel: str, message: str) -> str | None:
        assert self.listener is not None
        self.listener.deliver(Event(channel, message))
        return None


def test_protocols() -> None:
    assert isinstance(LoopbackBackend(), BroadcastBackend)
    assert not isinstance(LoopbackBackend(), HistoryBackend)
    assert isinstance(MemoryBackend(), HistoryBackend)


async def test_a_backend_of_ones_own() -> None:
    backend = LoopbackBackend()
    async with Broadcast(backend=backend) as broadcast:
        assert broadcast.backend is backend
        async with broadcast.subscribe("a", "b") as first, broadcast.subscribe("a") as second:
            assert await broadcast.publish("a", "hello") is None
            with anyio.fail_after(5):
                assert await first.__anext__() == Event("a", "hello")
                assert await second.__anext__() == Event("a", "hello")
        with pytest.raises(ValueError, match="LoopbackBackend object at .* keeps none"):
            broadcast.subscribe("a", history=1)
    # subscribe and unsubscribe are called once per channel, not once per subscriber
    assert backend.calls == [
        "connect",
        "subscribe a",
        "subscribe b",
        "unsubscribe a",
        "unsubscribe b",
        "disconnect",
    ]
