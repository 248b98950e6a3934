"""``ResponseWatch`` and ``past_watches``: streamed bodies step over the watches on the start."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, cast

import anyio
import pytest

from asgi_core.types import Message, Scope, Send
from asgi_responses import EventSourceResponse, StreamingResponse
from asgi_responses._watch import ResponseWatch, past_watches

pytestmark = pytest.mark.anyio

START: Message = {"type": "http.response.start", "status": 200, "headers": []}
BODY: Message = {"type": "http.response.body", "body": b"x", "more_body": True}


class Server:
    """The server's ``send``: records the messages."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    async def receive(self) -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover - never reached


def started(watch: ResponseWatch) -> bool:
    return watch.started


async def test_a_watch_notes_the_start_and_passes_every_message_on() -> None:
    server = Server()
    watch = ResponseWatch(server.send)
    await watch.watch(BODY)
    assert not started(watch)
    await watch.watch(START)
    assert started(watch)
    await watch.watch(BODY)
    assert server.messages == [BODY, START, BODY]


async def test_past_watches_steps_over_the_watches_that_saw_the_start() -> None:
    server = Server()
    inner = ResponseWatch(server.send)
    outer = ResponseWatch(inner.watch)
    assert past_watches(outer.watch) == outer.watch  # nothing started yet
    await outer.watch(START)
    assert past_watches(outer.watch) == server.send
    inner.started = False  # as if the start had not passed the inner one
    assert past_watches(outer.watch) == inner.watch


async def test_past_watches_stops_at_anything_else() -> None:
    server = Server()

    class Counting(ResponseWatch):
        __slots__ = ("count",)

        def watch(self, message: Message) -> Awaitable[None]:
            """Counts the messages: does more than note the start, so it is not skipped."""
            self.count = getattr(self, "count", 0) + 1
            return super().watch(message)

    counting = Counting(server.send)
    await counting.watch(START)
    assert past_watches(counting.watch) == counting.watch
    assert past_watches(ResponseWatch(counting.watch).watch) != counting.watch  # not started
    started = ResponseWatch(counting.watch)
    await started.watch(START)
    assert past_watches(started.watch) == counting.watch
    assert past_watches(server.send) == server.send  # another bound method
    plain = cast("Send", ResponseWatch.watch)
    assert past_watches(plain) is plain  # a function, not bound to a watch


@contextmanager
def watch_calls() -> Iterator[list[str]]:
    """Count the calls of ``ResponseWatch.watch`` while the block runs."""
    calls: list[str] = []
    code = ResponseWatch.watch.__code__

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code is code:
            calls.append(frame.f_locals["message"]["type"])

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def chunks() -> AsyncIterator[str]:
    async def generate() -> AsyncIterator[str]:
        for number in range(5):
            yield str(number)

    return generate()


RESPONSES: list[Callable[[], StreamingResponse]] = [
    lambda: StreamingResponse(chunks()),
    lambda: EventSourceResponse(chunks(), ping=None),
    lambda: EventSourceResponse(chunks(), ping=60),
]


@pytest.mark.parametrize("make", RESPONSES)
async def test_streamed_bodies_pass_the_watches_only_with_their_start(
    make: Callable[[], StreamingResponse],
) -> None:
    server = Server()
    inner = ResponseWatch(server.send)
    outer = ResponseWatch(inner.watch)
    scope: Scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}}
    with anyio.fail_after(5), watch_calls() as calls:
        await make()(scope, server.receive, outer.watch)
    assert calls == ["http.response.start"] * 2  # once through each watch
    assert outer.started
    assert inner.started
    # the server got every message, in order, exactly as without the watches
    reference = Server()
    await make()(scope, reference.receive, reference.send)
    assert server.messages == reference.messages
    assert len(server.messages) == 7


@pytest.mark.parametrize("make", RESPONSES)
async def test_a_failure_while_streaming_is_after_the_start(
    make: Callable[[], StreamingResponse],
) -> None:
    response = make()

    async def broken() -> AsyncIterator[str]:
        yield "a"
        raise LookupError("feed")

    response.body_iterator = broken()
    server = Server()
    watch = ResponseWatch(server.send)
    scope: Scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}}
    with anyio.fail_after(5), pytest.raises(LookupError, match="feed"):
        await response(scope, server.receive, watch.watch)
    assert watch.started  # what error handling reads: too late for another response
    assert [message["type"] for message in server.messages] == [
        "http.response.start",
        "http.response.body",
    ]
