"""MemoryBackend on its own: publishing, history, and events while not connected."""

from __future__ import annotations

import pytest

from asgi_broadcast import BroadcastBackend, Event, HistoryBackend, MemoryBackend

pytestmark = pytest.mark.anyio


class Collect:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def deliver(self, event: Event) -> None:
        self.events.append(event)

    def failed(self, error: Exception) -> None:
        raise AssertionError(error)

    def reconnected(self, down_for: float) -> None:
        raise AssertionError(down_for)


async def test_publish_delivers_only_while_connected() -> None:
    backend = MemoryBackend(maxlen=2)
    assert isinstance(backend, BroadcastBackend)
    assert isinstance(backend, HistoryBackend)
    collect = Collect()
    await backend.publish("a", "before")  # kept, delivered nowhere
    await backend.connect(collect)
    await backend.subscribe("a")
    first = await backend.publish("a", "one")
    await backend.unsubscribe("a")
    await backend.disconnect()
    await backend.publish("a", "after")
    assert collect.events == [Event("a", "one", first)]
    assert [e.message for e in await backend.latest("a", 5)] == ["one", "after"]
    assert [e.message for e in await backend.latest("a", 1)] == ["after"]
    assert await backend.latest("nothing", 3) == []
    assert [e.message for e in await backend.since("a", first, 10)] == ["after"]
    assert [e.message for e in await backend.since("a", "0-0", 1)] == ["one"]


async def test_without_maxlen_nothing_is_kept() -> None:
    backend = MemoryBackend()
    await backend.publish("a", "x")
    assert backend._history == {}
    with pytest.raises(ValueError, match="keeps none"):
        await backend.latest("a", 1)
    with pytest.raises(ValueError, match="keeps none"):
        await backend.since("a", "0-0", 1)
