"""Hub: the registry of subscribers by channel, and the fan-out."""

from __future__ import annotations

import pytest

from asgi_broadcast import Broadcast, Event

pytestmark = pytest.mark.anyio


async def test_registry_and_fan_out() -> None:
    async with Broadcast() as broadcast:
        hub = broadcast._hub
        hub.deliver(Event("nobody", "x"))  # no subscribers: nothing happens
        subscriber = broadcast.subscribe("a", "b")
        hub.remove(subscriber)  # never added: nothing happens
        async with subscriber:
            assert hub.channels == {"a": {subscriber}, "b": {subscriber}}
            hub.deliver(Event("b", "y"))
            assert subscriber.queued == 1
        assert hub.channels == {}
        assert hub.subscribers == set()
