from __future__ import annotations

from collections.abc import Callable

import anyio
import pytest

from asgi_core import Request, SharedReceive, scope_keys, shared_receive
from asgi_core.types import Message, Scope

pytestmark = pytest.mark.anyio

ScopeFactory = Callable[..., Scope]


class Source:
    """A server's ``receive``: body messages (each after a short delay), then a disconnect
    once :attr:`done` is set. It fails if two tasks await it at once, as that is the bug
    ``SharedReceive`` prevents."""

    def __init__(self, *chunks: bytes, delay: float = 0.01, after: list[Message] | None = None):
        self.messages: list[Message] = [
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            for index, chunk in enumerate(chunks)
        ]
        self.messages.extend(after or [])
        self.delay = delay
        self.done = anyio.Event()
        self.calls = 0
        self.busy = False

    async def __call__(self) -> Message:
        if self.busy:
            raise AssertionError("two tasks awaited receive() at the same time")
        self.busy = True
        self.calls += 1
        try:
            if self.messages:
                await anyio.sleep(self.delay)
                return self.messages.pop(0)
            await self.done.wait()
            return {"type": "http.disconnect"}
        finally:
            self.busy = False


def request(body: bytes, more: bool) -> Message:
    return {"type": "http.request", "body": body, "more_body": more}


async def test_a_reader_alone_gets_every_message_then_disconnects() -> None:
    source = Source(b"a", b"b")
    shared = SharedReceive(source)
    assert await shared.receive() == request(b"a", True)
    assert await shared.receive() == request(b"b", False)
    source.done.set()
    assert [shared.disconnected] == [False]
    assert await shared.receive() == {"type": "http.disconnect"}
    assert shared.disconnected
    assert await shared.receive() == {"type": "http.disconnect"}  # remembered
    assert source.calls == 3


async def test_reader_and_watcher_share_the_channel_in_order() -> None:
    source = Source(b"1", b"2", b"3", b"4")
    shared = SharedReceive(source)
    received: list[bytes] = []
    with anyio.fail_after(5):
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(shared.wait_for_disconnect)
            await anyio.sleep(0)  # the watcher is inside the server's receive() first
            more = True
            while more:
                message = await shared.receive()
                received.append(message["body"])
                more = message["more_body"]
            source.done.set()
    assert received == [b"1", b"2", b"3", b"4"]
    assert shared.disconnected


async def test_watcher_holds_at_most_one_unread_body_message() -> None:
    source = Source(b"1", b"2", b"3", delay=0)
    shared = SharedReceive(source)
    with anyio.fail_after(5):
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(shared.wait_for_disconnect)
            await anyio.wait_all_tasks_blocked()
            assert source.calls == 1  # the watcher waits for the reader, memory stays bounded
            assert await shared.receive() == request(b"1", True)
            await anyio.wait_all_tasks_blocked()
            assert source.calls == 2
            assert await shared.receive() == request(b"2", True)
            assert await shared.receive() == request(b"3", False)
            source.done.set()
    assert source.calls == 4


async def test_the_last_body_message_is_kept_while_the_watcher_sees_the_disconnect() -> None:
    # a GET whose body nobody reads: the watcher must still notice the client leaving
    source = Source(b"", delay=0)
    shared = SharedReceive(source)
    with anyio.fail_after(5):
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(shared.wait_for_disconnect)
            await anyio.wait_all_tasks_blocked()
            source.done.set()
    assert shared.disconnected
    assert await shared.receive() == request(b"", False)
    assert await shared.receive() == {"type": "http.disconnect"}


async def test_messages_after_the_last_body_message_carry_nothing() -> None:
    source = Source(b"end", delay=0, after=[request(b"", False)])
    shared = SharedReceive(source)
    source.done.set()
    with anyio.fail_after(5):
        await shared.wait_for_disconnect()
    assert await shared.receive() == request(b"end", False)
    assert await shared.receive() == {"type": "http.disconnect"}


async def test_watcher_waiting_for_the_lock_sees_a_disconnect_a_reader_received() -> None:
    source = Source()
    shared = SharedReceive(source)
    received: list[Message] = []

    async def read() -> None:
        received.append(await shared.receive())

    with anyio.fail_after(5):
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(read)
            await anyio.wait_all_tasks_blocked()  # the reader is inside receive()
            task_group.start_soon(shared.wait_for_disconnect)
            await anyio.wait_all_tasks_blocked()
            source.done.set()
    assert received == [{"type": "http.disconnect"}]
    assert source.calls == 1


async def test_two_watchers() -> None:
    source = Source(b"1", b"2", delay=0)
    shared = SharedReceive(source)
    with anyio.fail_after(5):
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(shared.wait_for_disconnect)
            task_group.start_soon(shared.wait_for_disconnect)
            await anyio.wait_all_tasks_blocked()
            assert await shared.receive() == request(b"1", True)
            assert await shared.receive() == request(b"2", False)
            source.done.set()
    assert source.calls == 3


def test_shared_receive_is_kept_in_the_scope_per_receive(make_scope: ScopeFactory) -> None:
    scope = make_scope()
    first, second = Source(), Source()
    shared = shared_receive(scope, first)
    assert scope[scope_keys.SHARED_RECEIVE] is shared
    assert shared_receive(scope, first) is shared
    other = shared_receive(scope, second)
    assert other is not shared
    assert other.source is second


async def test_request_reads_through_the_shared_channel(make_scope: ScopeFactory) -> None:
    # an echo endpoint: the response watches for the disconnect while the body is streamed
    scope = make_scope(method="POST")
    source = Source(b"he", b"ll", b"o")
    req = Request(scope, source)
    shared = shared_receive(scope, source)
    chunks: list[bytes] = []
    with anyio.fail_after(5):
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(shared.wait_for_disconnect)
            await anyio.sleep(0)
            chunks.extend([chunk async for chunk in req.stream()])
            source.done.set()
    assert chunks == [b"he", b"ll", b"o", b""]
    assert await req.is_disconnected()


async def test_is_disconnected_keeps_a_message_the_watcher_received(
    make_scope: ScopeFactory,
) -> None:
    scope = make_scope(method="POST")
    source = Source(b"body", delay=0)
    req = Request(scope, source)
    shared = shared_receive(scope, source)
    source.done.set()
    await shared.wait_for_disconnect()
    assert not await req.is_disconnected()  # the held body message is kept for the reader
    assert await req.body() == b"body"
    assert await req.is_disconnected()


async def test_request_with_another_receive_ignores_the_shared_channel(
    make_scope: ScopeFactory,
) -> None:
    scope = make_scope(method="POST")
    shared_receive(scope, Source(b"not this one"))
    req = Request(scope, Source(b"mine"))
    assert await req.body() == b"mine"


async def test_empty_parts_of_an_unfinished_body_are_not_held() -> None:
    # some servers send the body as b"" (more_body=True) then b"" (more_body=False): a
    # watcher stopping at the first would never see the disconnect of a GET
    source = Source(b"", b"", b"", delay=0)
    shared = SharedReceive(source)
    with anyio.fail_after(5):
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(shared.wait_for_disconnect)
            await anyio.wait_all_tasks_blocked()
            assert source.calls == 4  # waiting for the disconnect, the last message held
            source.done.set()
    assert await shared.receive() == request(b"", False)
    assert await shared.receive() == {"type": "http.disconnect"}


async def test_the_watcher_asks_for_each_message_at_once() -> None:
    """No scheduling point between two receives when nobody else holds the channel.

    A client whose ``receive`` answers without waiting (httpx's ASGI transport) sees its
    request stream read to the end before the watcher first waits, as with a plain receive
    loop; a checkpoint in between let a finished response cancel the watcher halfway.
    """
    messages: list[Message] = [
        {"type": "http.request", "body": b"", "more_body": True},
        {"type": "http.request", "body": b"", "more_body": False},
    ]
    calls = 0

    async def source() -> Message:  # answers at once while it has messages
        nonlocal calls
        calls += 1
        if messages:
            return messages.pop(0)
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover - never reached

    with anyio.CancelScope() as scope:
        scope.cancel()  # the first scheduling point raises
        await SharedReceive(source).wait_for_disconnect()
    assert calls == 3
    assert messages == []
