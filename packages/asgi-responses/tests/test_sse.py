from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_core import ClientDisconnect
from asgi_core.types import Message
from asgi_responses import EventSourceResponse, ServerSentEvent
from asgi_responses._sse import _encode
from asgi_testing import TestClient


@pytest.mark.parametrize(
    ("event", "encoded"),
    [
        (ServerSentEvent("hello"), "data: hello\n\n"),
        (ServerSentEvent("a\nb\r\nc\rd"), "data: a\ndata: b\ndata: c\ndata: d\n\n"),
        (ServerSentEvent("trailing\n"), "data: trailing\ndata: \n\n"),
        (ServerSentEvent(""), "data: \n\n"),
        (ServerSentEvent({"a": [1, "é"]}), 'data: {"a":[1,"é"]}\n\n'),
        (ServerSentEvent(b"bytes"), "data: bytes\n\n"),
        (ServerSentEvent(42), "data: 42\n\n"),
        (
            ServerSentEvent("x", event="update", id=7, retry=3000),
            "id: 7\nevent: update\nretry: 3000\ndata: x\n\n",
        ),
        (ServerSentEvent(comment="keep\nalive"), ": keep\n: alive\n\n"),
        (ServerSentEvent(), "\n\n"),
    ],
)
def test_encoding(event: ServerSentEvent, encoded: str) -> None:
    assert event.encode() == encoded.encode()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"event": "a\nb"}, "event cannot contain line breaks"),
        ({"id": "a\rb"}, "id cannot contain line breaks"),
        ({"id": "a\0b"}, "id cannot contain line breaks"),
        ({"retry": -1}, "retry must be a non-negative number of milliseconds"),
        ({"retry": 1.5}, "retry must be a non-negative"),
        ({"retry": True}, "retry must be a non-negative"),
    ],
)
def test_invalid_fields(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ServerSentEvent("x", **kwargs)


def test_repr() -> None:
    assert repr(ServerSentEvent("x", event="e")) == "ServerSentEvent(data='x', event='e')"


def test_stream_from_async_generator(client_for: Callable[..., TestClient]) -> None:
    async def events() -> AsyncIterator[Any]:
        yield ServerSentEvent("first", id=1)
        yield {"data": "second", "event": "named"}
        yield "third"

    response = client_for(lambda scope: EventSourceResponse(events())).get("/")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    assert response.text == "id: 1\ndata: first\n\nevent: named\ndata: second\n\ndata: third\n\n"


def test_stream_from_sync_generator_and_custom_headers(
    client_for: Callable[..., TestClient],
) -> None:
    def events() -> Iterator[str]:
        yield "a"
        yield "b"

    response = client_for(
        lambda scope: EventSourceResponse(
            events(), headers={"cache-control": "no-store"}, ping=None
        )
    ).get("/")
    assert response.text == "data: a\n\ndata: b\n\n"
    assert response.headers["cache-control"] == "no-store"


def test_pings_fill_silences(client_for: Callable[..., TestClient]) -> None:
    async def slow() -> AsyncIterator[str]:
        await anyio.sleep(0.25)
        yield "late"

    response = client_for(lambda scope: EventSourceResponse(slow(), ping=0.1)).get("/")
    assert response.text.endswith("data: late\n\n")
    assert response.text.count(": ping\n\n") >= 1

    response = client_for(
        lambda scope: EventSourceResponse(
            slow(), ping=0.1, ping_message_factory=lambda: ServerSentEvent(event="ping", data="{}")
        )
    ).get("/")
    assert "event: ping\ndata: {}\n\n" in response.text


def test_invalid_ping() -> None:
    with pytest.raises(ValueError, match="ping must be a positive number of seconds or None"):
        EventSourceResponse([], ping=0)


@pytest.mark.anyio
async def test_ends_cleanly_on_disconnect() -> None:
    closed: list[str] = []

    async def endless() -> AsyncIterator[str]:
        try:
            while True:
                yield "tick"
                await anyio.sleep(0.01)
        finally:
            closed.append("closed")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        await anyio.sleep(0.1)
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await EventSourceResponse(endless())({"type": "http"}, receive, send)
    assert closed == ["closed"]
    assert sent[0]["type"] == "http.response.start"
    assert all(m["body"] == b"data: tick\n\n" for m in sent[1:])


def test_client_reads_events_one_by_one(client_for: Callable[..., TestClient]) -> None:
    async def endless() -> AsyncIterator[dict[str, Any]]:
        number = 0
        while True:
            yield {"data": number}
            number += 1
            await anyio.sleep(0.001)

    with client_for(lambda scope: EventSourceResponse(endless())).stream("GET", "/") as response:
        lines = response.iter_lines()
        assert [next(lines) for _ in range(4)] == ["data: 0", "", "data: 1", ""]


@pytest.mark.anyio
@pytest.mark.parametrize("spec", ["2.3", "2.4"])
async def test_generator_errors_are_raised_as_themselves(spec: str) -> None:
    async def broken() -> AsyncIterator[str]:
        yield "first"
        raise LookupError("feed.json")

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover - never reached

    async def send(message: Message) -> None:
        pass

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": spec}}
    with anyio.fail_after(5), pytest.raises(LookupError, match="feed.json"):
        await EventSourceResponse(broken(), ping=1)(scope, receive, send)


@pytest.mark.anyio
async def test_a_failing_ping_is_a_client_disconnect() -> None:
    closed: list[str] = []

    async def silent() -> AsyncIterator[str]:
        try:
            await anyio.sleep_forever()
            yield "never"  # pragma: no cover - never reached
        finally:
            closed.append("closed")

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover - never reached

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise BrokenPipeError("client gone")

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}}
    with anyio.fail_after(5), pytest.raises(ClientDisconnect) as info:
        await EventSourceResponse(silent(), ping=0.01)(scope, receive, send)
    assert isinstance(info.value.__cause__, BrokenPipeError)
    assert closed == ["closed"]


@given(
    st.one_of(
        st.text(),
        st.text(alphabet="ab\r\n"),
        st.builds(str.__add__, st.text(), st.sampled_from(["\n", "\r", "\r\n"])),
    )
)
def test_text_items_are_encoded_as_their_event(item: str) -> None:
    # plain one-line text is written out without a ServerSentEvent: the same bytes
    assert _encode(item) == ServerSentEvent(data=item).encode()


@pytest.mark.anyio
@pytest.mark.parametrize("ping", [0.01, None])
async def test_events_and_pings_never_overlap(ping: float | None) -> None:
    """A ping on its way holds an event back until it is sent (``send`` is never re-entered)."""
    ping_started = anyio.Event()
    sent: list[bytes] = []
    overlaps = 0
    sending = False

    async def feed() -> AsyncIterator[str]:
        yield "a"
        if ping is not None:
            await ping_started.wait()  # the next event comes while the ping is on its way
        yield "b"

    async def send(message: Message) -> None:
        nonlocal overlaps, sending
        overlaps += sending
        sending = True
        body = message.get("body", b"")
        sent.append(body)
        if body == b": ping\n\n":
            ping_started.set()
            await anyio.sleep(0.02)  # a slow client: the event "b" arrives meanwhile
        sending = False

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover - never reached

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}}
    with anyio.fail_after(5):
        await EventSourceResponse(feed(), ping=ping)(scope, receive, send)
    pings = [b": ping\n\n"] if ping is not None else []
    assert sent == [b"", b"data: a\n\n", *pings, b"data: b\n\n", b""]
    assert overlaps == 0
