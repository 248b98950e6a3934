"""Broadcast on the memory backend: fan-out, channels, leaving, lifecycle, misuse, replay."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import pytest

import asgi_broadcast._broadcast
from asgi_broadcast import (
    Broadcast,
    BroadcastError,
    Event,
    InvalidEventId,
    MemoryBackend,
    Subscriber,
)

pytestmark = pytest.mark.anyio


async def take(subscriber: Subscriber, count: int) -> list[Event]:
    """The next ``count`` events, failing the test instead of hanging."""
    with anyio.fail_after(5):
        return [await subscriber.__anext__() for _ in range(count)]


def messages(events: list[Event]) -> list[str]:
    return [event.message for event in events]


async def test_fan_out_to_many_subscribers() -> None:
    async with Broadcast() as broadcast, anyio.create_task_group() as tasks:
        received: dict[int, list[str]] = {}
        ready = anyio.Event()
        joined = 0

        async def listen(number: int) -> None:
            nonlocal joined
            async with broadcast.subscribe("chat") as subscriber:
                joined += 1
                if joined == 50:
                    ready.set()
                received[number] = messages(await take(subscriber, 3))

        for number in range(50):
            tasks.start_soon(listen, number)
        with anyio.fail_after(5):
            await ready.wait()
        assert broadcast.subscriber_count("chat") == 50
        for text in ("one", "two", "three"):
            event_id = await broadcast.publish("chat", text)
            assert event_id is not None
    assert received == {number: ["one", "two", "three"] for number in range(50)}
    assert broadcast.subscriber_count() == 0


async def test_several_channels_per_subscriber() -> None:
    async with Broadcast() as broadcast:
        async with (
            broadcast.subscribe("a", "b", "a") as both,
            broadcast.subscribe("b") as only_b,
        ):
            assert both.channels == ("a", "b")
            assert broadcast.subscriber_count() == 2
            assert broadcast.subscriber_count("a") == 1
            assert broadcast.subscriber_count("b") == 2
            await broadcast.publish("a", "to a")
            await broadcast.publish("c", "to nobody")
            await broadcast.publish("b", "to b")
            events = await take(both, 2)
            assert [(e.channel, e.message) for e in events] == [("a", "to a"), ("b", "to b")]
            assert messages(await take(only_b, 1)) == ["to b"]
            assert both.queued == only_b.queued == 0


async def test_leaving_unsubscribes_even_on_errors_and_cancellation() -> None:
    async with Broadcast() as broadcast:
        with pytest.raises(KeyError):
            async with broadcast.subscribe("a", "b"):
                assert broadcast.subscriber_count() == 1
                raise KeyError("boom")
        assert broadcast.subscriber_count() == 0

        async with anyio.create_task_group() as tasks:
            started = anyio.Event()

            async def wait_forever() -> None:
                async with broadcast.subscribe("a") as subscriber:
                    started.set()
                    async for _ in subscriber:
                        pass

            tasks.start_soon(wait_forever)
            await started.wait()
            assert broadcast.subscriber_count("a") == 1
            tasks.cancel_scope.cancel()
        assert broadcast.subscriber_count() == 0
        assert broadcast._hub.channels == {}
        assert broadcast._backend_channels == set()


async def test_publish_or_subscribe_without_connect_is_a_clear_error() -> None:
    broadcast = Broadcast()
    assert not broadcast.connected
    with pytest.raises(BroadcastError, match=r"cannot publish to 'chat': Broadcast\(backend="):
        await broadcast.publish("chat", "hello")
    with pytest.raises(BroadcastError, match=r"not connected. Call 'await broadcast.connect\(\)'"):
        async with broadcast.subscribe("chat"):
            pass
    assert broadcast.subscriber_count() == 0


async def test_lifecycle() -> None:
    broadcast = Broadcast(maxlen=10)
    assert repr(broadcast) == "Broadcast(backend=MemoryBackend(maxlen=10))"
    await broadcast.disconnect()  # not connected: nothing to do
    await broadcast.connect()
    assert broadcast.connected
    with pytest.raises(BroadcastError, match="already connected"):
        await broadcast.connect()
    await broadcast.disconnect()
    await broadcast.disconnect()
    with pytest.raises(BroadcastError, match="not connected"):
        await broadcast.publish("chat", "x")
    async with broadcast:  # connects again
        assert await broadcast.publish("chat", "x")


async def test_disconnect_ends_the_iteration_after_the_queued_events() -> None:
    broadcast = Broadcast()
    await broadcast.connect()
    async with broadcast.subscribe("chat") as subscriber:
        await broadcast.publish("chat", "last")
        await broadcast.disconnect()
        assert messages([event async for event in subscriber]) == ["last"]
        assert [event async for event in subscriber] == []
    assert broadcast.subscriber_count() == 0


async def test_a_waiting_subscriber_ends_when_the_broadcast_disconnects() -> None:
    broadcast = Broadcast()
    await broadcast.connect()
    got: list[Event] = []
    async with anyio.create_task_group() as tasks:
        joined = anyio.Event()

        async def listen() -> None:
            async with broadcast.subscribe("chat") as subscriber:
                joined.set()
                got.extend([event async for event in subscriber])

        tasks.start_soon(listen)
        await joined.wait()
        await broadcast.disconnect()
    assert got == []


async def test_iterating_outside_the_block_or_twice_is_an_error() -> None:
    async with Broadcast() as broadcast:
        subscriber = broadcast.subscribe("chat")
        with pytest.raises(BroadcastError, match="iterate a subscriber inside its block"):
            await subscriber.__anext__()
        async with subscriber:
            pass
        with pytest.raises(BroadcastError, match="inside its block"):
            await subscriber.__anext__()
        with pytest.raises(BroadcastError, match="already used"):
            async with subscriber:
                pass


async def test_publish_checks_its_arguments() -> None:
    async with Broadcast() as broadcast:
        with pytest.raises(TypeError, match=r"publish\(channel=1, \.\.\.\): a channel is a str"):
            await broadcast.publish(1, "x")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"message=<dict object>\): .*json.dumps"):
            await broadcast.publish("chat", {"a": 1})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((), {}, TypeError, "needs at least one channel"),
        ((1,), {}, TypeError, r"subscribe\(1\): a channel is a non-empty string"),
        (("",), {}, TypeError, r"subscribe\(''\)"),
        (("a",), {"history": -1}, ValueError, r"subscribe\(history=-1\)"),
        (("a",), {"history": True}, TypeError, r"subscribe\(history=True\): pass an integer"),
        (("a",), {"max_queue": 0}, ValueError, r"subscribe\(max_queue=0\)"),
        (("a",), {"overflow": "block"}, ValueError, r"subscribe\(overflow='block'\)"),
        (("a",), {"last_id": "nope"}, InvalidEventId, r"last_id='nope' is not an event id"),
    ],
)
async def test_subscribe_checks_its_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    broadcast = Broadcast(maxlen=5)
    with pytest.raises(error, match=match):
        broadcast.subscribe(*args, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"max_queue": 0}, ValueError, r"Broadcast\(max_queue=0\): pass an integer of at least 1"),
        ({"max_queue": "9"}, TypeError, r"Broadcast\(max_queue='9'\): pass an integer"),
        ({"overflow": "oldest"}, ValueError, "'drop_oldest' .* or 'drop_newest'"),
        ({"reconnect": "yes"}, TypeError, r"Broadcast\(reconnect='yes'\): pass True or False"),
        ({"max_backoff": 0}, ValueError, "positive number of seconds"),
        ({"max_backoff": "1"}, TypeError, "pass a number of seconds"),
        ({"maxlen": -1}, ValueError, r"MemoryBackend\(maxlen=-1\)"),
        ({"url": "memory://", "backend": MemoryBackend()}, TypeError, "either a URL"),
        ({"maxlen": 3, "backend": MemoryBackend()}, TypeError, r"backend=\.\.\., maxlen=\.\.\."),
        ({"backend": object()}, TypeError, "needs the async methods connect"),
    ],
)
def test_configuration_errors(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Broadcast(**kwargs)


async def test_overflow_policies_and_their_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="asgi_broadcast")
    async with Broadcast(max_queue=2) as broadcast:
        async with (
            broadcast.subscribe("chat") as oldest,
            broadcast.subscribe("chat", overflow="drop_newest") as newest,
            broadcast.subscribe("chat", max_queue=10) as roomy,
        ):
            assert (oldest.overflow, oldest.max_queue) == ("drop_oldest", 2)
            for number in range(5):
                await broadcast.publish("chat", str(number))
            assert messages(await take(oldest, 2)) == ["3", "4"]
            assert messages(await take(newest, 2)) == ["0", "1"]
            assert messages(await take(roomy, 5)) == ["0", "1", "2", "3", "4"]
            assert (oldest.dropped, newest.dropped, roomy.dropped) == (3, 3, 0)
            assert repr(oldest) == "<Subscriber channels=('chat',) queued=0 dropped=3>"
    lines = sorted(record.getMessage() for record in caplog.records)
    assert len(lines) == 2  # once per subscriber, not once per dropped event
    assert "so the arriving event was dropped (overflow='drop_newest')" in lines[0]
    assert "its queue of 2 events is full, so the oldest queued event was dropped" in lines[1]


async def test_a_slow_subscriber_does_not_hold_up_the_others() -> None:
    async with Broadcast(max_queue=3) as broadcast:
        async with broadcast.subscribe("feed") as slow, broadcast.subscribe("feed") as fast:
            for number in range(100):
                await broadcast.publish("feed", str(number))
                assert (await take(fast, 1))[0].message == str(number)
            assert slow.queued == 3
            assert slow.dropped == 97


async def test_history_and_last_id_on_memory() -> None:
    async with Broadcast(maxlen=3) as broadcast:
        ids = [await broadcast.publish("news", str(number)) for number in range(5)]
        await broadcast.publish("other", "x")
        async with broadcast.subscribe("news", history=2) as subscriber:
            await broadcast.publish("news", "live")
            assert messages(await take(subscriber, 3)) == ["3", "4", "live"]
        async with broadcast.subscribe("news", history=10) as subscriber:
            assert messages(await take(subscriber, 3)) == ["3", "4", "live"]  # maxlen=3 kept
        async with broadcast.subscribe("news", last_id=ids[2]) as subscriber:
            events = await take(subscriber, 3)
            assert messages(events) == ["3", "4", "live"]
            assert events[0].id == ids[3]
        async with broadcast.subscribe("news", "empty", history=1, last_id="") as subscriber:
            assert subscriber.last_id is None
            await broadcast.publish("empty", "first")
            assert messages(await take(subscriber, 2)) == ["live", "first"]
        async with broadcast.subscribe("news", last_id="99999999999999-0") as subscriber:
            assert subscriber.queued == 0


async def test_last_id_replays_page_by_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asgi_broadcast._broadcast, "REPLAY_PAGE", 3)
    async with Broadcast(maxlen=100, max_queue=5) as broadcast:
        first = await broadcast.publish("log", "0")
        for number in range(1, 10):
            await broadcast.publish("log", str(number))
        async with broadcast.subscribe("log", last_id=first) as subscriber:
            # 9 kept events after the first; a queue of 5 keeps the newest (drop_oldest)
            assert messages(await take(subscriber, 5)) == ["5", "6", "7", "8", "9"]
            assert subscriber.dropped == 4
        async with broadcast.subscribe("log", last_id=first, overflow="drop_newest") as subscriber:
            assert messages(await take(subscriber, 5)) == ["1", "2", "3", "4", "5"]


async def test_replay_needs_a_backend_that_keeps_events() -> None:
    async with Broadcast() as broadcast:
        with pytest.raises(ValueError, match=r"maxlen=1000\) \(events kept per channel\)"):
            async with broadcast.subscribe("news", history=5):
                pass
        with pytest.raises(ValueError, match="keeps none"):
            async with broadcast.subscribe("news", last_id="1-0"):
                pass
        assert broadcast.subscriber_count() == 0
