"""Subscriber: queue order, notices of reconnection, failures, and the replay hand-over.

A fake backend lets the tests play what a Redis backend reports (lost, reconnected) and
deliver live events in the middle of a history replay, on asyncio and trio.
"""

from __future__ import annotations

import anyio
import pytest

from asgi_broadcast import (
    Broadcast,
    BroadcastConnectionError,
    BroadcastReconnected,
    Event,
    HistoryBackend,
    Listener,
    Subscriber,
)

pytestmark = pytest.mark.anyio


class FakeBackend:
    """A HistoryBackend whose history the test sets, and which may deliver during a replay."""

    def __init__(self) -> None:
        self.listener: Listener | None = None
        self.kept: dict[str, list[Event]] = {}
        self.during_replay: list[Event] = []

    async def connect(self, listener: Listener) -> None:
        self.listener = listener

    async def disconnect(self) -> None:
        self.listener = None

    async def subscribe(self, channel: str) -> None:
        pass

    async def unsubscribe(self, channel: str) -> None:
        pass

    async def publish(self, channel: str, message: str) -> str | None:
        event = Event(channel, message, f"{len(self.kept.get(channel, [])) + 1}-0")
        self.kept.setdefault(channel, []).append(event)
        self.deliver(event)
        return event.id

    def deliver(self, event: Event) -> None:
        assert self.listener is not None
        self.listener.deliver(event)

    def _deliver_live(self) -> None:
        live, self.during_replay = self.during_replay, []
        for event in live:
            self.deliver(event)

    async def latest(self, channel: str, count: int) -> list[Event]:
        self._deliver_live()
        await anyio.lowlevel.checkpoint()
        return self.kept.get(channel, [])[-count:]

    async def since(self, channel: str, last_id: str, limit: int) -> list[Event]:
        self._deliver_live()
        after = int(last_id.partition("-")[0])
        kept = self.kept.get(channel, [])
        return [e for e in kept if int((e.id or "").partition("-")[0]) > after][:limit]


def event(channel: str, number: int) -> Event:
    return Event(channel, f"m{number}", f"{number}-0")


async def take(subscriber: Subscriber, count: int) -> list[str]:
    with anyio.fail_after(5):
        return [(await subscriber.__anext__()).message for _ in range(count)]


def test_the_fake_is_a_history_backend() -> None:
    assert isinstance(FakeBackend(), HistoryBackend)


async def test_a_reconnection_notice_comes_where_the_outage_was() -> None:
    backend = FakeBackend()
    async with Broadcast(backend=backend) as broadcast:
        async with broadcast.subscribe("a", "b") as subscriber:
            await broadcast.publish("a", "before 1")
            await broadcast.publish("a", "before 2")
            assert backend.listener is not None
            backend.listener.reconnected(1.5)
            backend.listener.reconnected(0.5)  # a second outage before the first was seen
            await broadcast.publish("b", "after")
            assert await take(subscriber, 2) == ["before 1", "before 2"]
            with pytest.raises(BroadcastReconnected) as caught:
                await subscriber.__anext__()
            notice = caught.value
            assert (notice.channels, notice.down_for) == (("a", "b"), 2.0)
            assert str(notice) == (
                "the broadcast backend reconnected after 2.0s without a connection; events "
                "published to 'a', 'b' meanwhile may be missing. The subscription is still "
                "active: iterate again to receive the next events."
            )
            assert await take(subscriber, 1) == ["after"]  # the subscription goes on


async def test_a_notice_moves_up_when_older_events_are_dropped() -> None:
    backend = FakeBackend()
    async with Broadcast(backend=backend, max_queue=2) as broadcast:
        async with broadcast.subscribe("a") as subscriber:
            await broadcast.publish("a", "1")
            await broadcast.publish("a", "2")
            assert backend.listener is not None
            backend.listener.reconnected(1.0)
            await broadcast.publish("a", "3")  # drops "1"
            await broadcast.publish("a", "4")  # drops "2"
            await broadcast.publish("a", "5")  # drops "3"
            with pytest.raises(BroadcastReconnected):
                await subscriber.__anext__()
            assert await take(subscriber, 2) == ["4", "5"]


async def test_a_waiting_subscriber_is_woken_by_a_notice() -> None:
    backend = FakeBackend()
    async with Broadcast(backend=backend) as broadcast:
        async with broadcast.subscribe("a") as subscriber, anyio.create_task_group() as tasks:

            async def notify() -> None:
                await anyio.sleep(0.01)
                assert backend.listener is not None
                backend.listener.reconnected(0.1)

            tasks.start_soon(notify)
            with anyio.fail_after(5), pytest.raises(BroadcastReconnected):
                await subscriber.__anext__()


async def test_a_failed_backend_ends_every_subscriber_with_an_error() -> None:
    backend = FakeBackend()
    broadcast = Broadcast(backend=backend)
    await broadcast.connect()
    async with broadcast.subscribe("a") as subscriber:
        await broadcast.publish("a", "queued")
        assert backend.listener is not None
        cause = OSError("connection reset")
        error = BroadcastConnectionError("reading events failed: Redis went away.")
        error.__cause__ = cause
        backend.listener.failed(error)
        assert await take(subscriber, 1) == ["queued"]
        for _ in range(2):  # again and again, never a hang
            with pytest.raises(BroadcastConnectionError, match="Redis went away") as caught:
                await subscriber.__anext__()
            assert caught.value.__cause__ is cause
        with pytest.raises(BroadcastConnectionError, match=r"cannot publish to 'a': reading"):
            await broadcast.publish("a", "x")
        with pytest.raises(BroadcastConnectionError, match=r"'await broadcast.disconnect\(\)'"):
            async with broadcast.subscribe("b"):
                pass
    await broadcast.disconnect()
    await broadcast.connect()  # starts again
    assert await broadcast.publish("a", "again")
    await broadcast.disconnect()


async def test_a_waiting_subscriber_is_woken_by_a_failure() -> None:
    backend = FakeBackend()
    async with Broadcast(backend=backend) as broadcast:
        async with broadcast.subscribe("a") as subscriber, anyio.create_task_group() as tasks:

            async def fail() -> None:
                await anyio.sleep(0.01)
                assert backend.listener is not None
                backend.listener.failed(BroadcastConnectionError("gone"))

            tasks.start_soon(fail)
            with anyio.fail_after(5), pytest.raises(BroadcastConnectionError, match="gone"):
                await subscriber.__anext__()


async def test_live_events_during_a_replay_follow_it_without_repeats() -> None:
    backend = FakeBackend()
    backend.kept["a"] = [event("a", n) for n in range(1, 5)]  # m1..m4
    # While the history is read, the reader delivers m3 and m4 (also in the history) and m5.
    backend.during_replay = [event("a", 3), event("a", 4), event("a", 5)]
    async with Broadcast(backend=backend) as broadcast:
        async with broadcast.subscribe("a", history=3) as subscriber:
            assert await take(subscriber, 4) == ["m2", "m3", "m4", "m5"]
            assert subscriber.queued == 0


async def test_live_events_older_than_a_short_history_are_left_out() -> None:
    backend = FakeBackend()
    backend.kept["a"] = [event("a", n) for n in range(1, 4)]
    backend.during_replay = [event("a", 1), event("a", 2), event("a", 3), event("a", 4)]
    async with Broadcast(backend=backend) as broadcast:
        async with broadcast.subscribe("a", history=1) as subscriber:
            assert await take(subscriber, 2) == ["m3", "m4"]
            assert subscriber.queued == 0


async def test_resuming_at_the_newest_event_skips_it_when_it_arrives_live() -> None:
    backend = FakeBackend()
    # The client saw m2, which the reader had not delivered yet when the history was read.
    backend.kept["a"] = [event("a", 1), event("a", 2)]
    backend.during_replay = [event("b", 7), event("a", 2), event("a", 3)]
    async with Broadcast(backend=backend) as broadcast:
        async with broadcast.subscribe("a", "b", last_id="2-0") as subscriber:
            assert await take(subscriber, 2) == ["m7", "m3"]
            assert subscriber.queued == 0


async def test_disconnecting_during_a_replay_ends_the_new_subscriber() -> None:
    backend = FakeBackend()
    backend.kept["a"] = [event("a", 1)]
    broadcast = Broadcast(backend=backend)
    await broadcast.connect()
    replaying = anyio.Event()
    release = anyio.Event()
    latest = backend.latest

    async def slow_latest(channel: str, count: int) -> list[Event]:
        replaying.set()
        await release.wait()
        return await latest(channel, count)

    backend.latest = slow_latest  # type: ignore[method-assign]
    async with anyio.create_task_group() as tasks:
        got: list[str] = []

        async def listen() -> None:
            async with broadcast.subscribe("a", history=5) as subscriber:
                got.extend([event.message async for event in subscriber])

        tasks.start_soon(listen)
        await replaying.wait()
        await broadcast.disconnect()
        release.set()
    assert got == ["m1"]  # what was replayed, then the end: no hang
