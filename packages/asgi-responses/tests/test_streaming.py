from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Literal

import anyio
import pytest

from asgi_core import BackgroundTask, ClientDisconnect, Request
from asgi_core.types import Message, Receive, Scope, Send
from asgi_responses import StreamingResponse
from asgi_testing import TestClient, WebSocketDenialResponse


def test_async_and_sync_iterables(client_for: Callable[..., TestClient]) -> None:
    async def numbers() -> AsyncIterator[str]:
        for number in range(3):
            yield str(number)

    assert client_for(lambda scope: StreamingResponse(numbers())).get("/").text == "012"
    threads: list[int] = []

    def sync_numbers() -> Iterator[bytes]:
        for number in range(3):
            threads.append(threading.get_ident())
            yield str(number).encode()

    response = client_for(
        lambda scope: StreamingResponse(sync_numbers(), media_type="text/plain")
    ).get("/")
    assert response.text == "012"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "content-length" not in response.headers
    assert threading.get_ident() not in threads
    assert (
        client_for(lambda scope: StreamingResponse([b"a", memoryview(b"b")])).get("/").text == "ab"
    )


class Text(str):
    """A ``str`` subclass: encoded like ``str``, but not by the exact-type fast path."""


class Latin1Streaming(StreamingResponse):
    charset = "latin-1"


@pytest.mark.anyio
async def test_every_kind_of_chunk_is_sent_as_bytes() -> None:
    async def chunks() -> AsyncIterator[Any]:
        yield "é"
        yield Text("ü")
        yield b"b"
        yield memoryview(b"m")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        raise AssertionError("not watched from ASGI 2.4 on")

    scope: Scope = {"type": "http", "asgi": {"spec_version": "2.4"}}
    await Latin1Streaming(chunks())(scope, receive, send)
    bodies = [message["body"] for message in sent[1:]]
    assert bodies == [b"\xe9", b"\xfc", b"b", memoryview(b"m"), b""]
    assert [type(body) for body in bodies[:3]] == [bytes, bytes, bytes]


def test_content_length_when_given(client_for: Callable[..., TestClient]) -> None:
    response = client_for(
        lambda scope: StreamingResponse([b"abc"], headers={"content-length": "3"})
    ).get("/")
    assert response.headers["content-length"] == "3"


def test_background_after_streaming(client_for: Callable[..., TestClient]) -> None:
    events: list[str] = []

    def chunks() -> Iterator[bytes]:
        events.append("streamed")
        yield b"x"

    def task() -> None:
        events.append("background")

    client_for(lambda scope: StreamingResponse(chunks(), background=BackgroundTask(task))).get("/")
    assert events == ["streamed", "background"]


def test_generator_error_is_raised_as_itself(client_for: Callable[..., TestClient]) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"a"
        raise KeyError("generator failed")

    with pytest.raises(KeyError, match="generator failed"):
        client_for(lambda scope: StreamingResponse(broken())).get("/")


@pytest.mark.anyio
async def test_async_generator_closed_on_disconnect() -> None:
    cleanup: list[str] = []
    disconnect = anyio.Event()

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"tick"
                await anyio.sleep(0.01)
        finally:
            cleanup.append("closed")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)
        if len(sent) == 3:
            disconnect.set()

    async def receive() -> Message:
        await disconnect.wait()
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await StreamingResponse(endless())({"type": "http"}, receive, send)
    assert cleanup == ["closed"]
    assert sent[0]["type"] == "http.response.start"


@pytest.mark.anyio
async def test_sync_generator_closed_on_disconnect() -> None:
    cleanup: list[str] = []
    gate = threading.Event()

    def endless() -> Iterator[bytes]:
        try:
            while True:
                yield b"tick"
                gate.wait(0.01)
        finally:
            cleanup.append("closed")

    async def send(message: Message) -> None:
        pass

    async def receive() -> Message:
        await anyio.sleep(0.05)
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await StreamingResponse(endless())({"type": "http"}, receive, send)
    assert cleanup == ["closed"]


@pytest.mark.anyio
@pytest.mark.parametrize("spec", ["2.3", "2.4"])
async def test_an_oserror_of_send_is_raised(spec: str) -> None:
    # as Starlette: from ASGI 2.4 on it becomes ClientDisconnect, chained to the server's
    # error; below, it is raised as itself; either way the iterator is closed and the
    # background task does not run
    cleanup: list[str] = []

    async def chunks() -> AsyncIterator[bytes]:
        try:
            yield b"a"
            yield b"b"  # pragma: no cover - never reached: sending "a" failed
        finally:
            cleanup.append("closed")

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise OSError("connection closed")

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    response = StreamingResponse(chunks(), background=BackgroundTask(cleanup.append, "background"))
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": spec}}
    with anyio.fail_after(5), pytest.raises((ClientDisconnect, OSError)) as info:
        await response(scope, receive, send)
    if spec == "2.4":
        assert type(info.value) is ClientDisconnect
        assert isinstance(info.value.__cause__, OSError)
    else:
        assert str(info.value) == "connection closed"
    assert cleanup == ["closed"]


def test_iterables_without_close(client_for: Callable[..., TestClient]) -> None:
    class Chunks:
        def __iter__(self) -> Iterator[bytes]:
            return iter([b"x", b"y"])

    class AsyncChunks:
        def __init__(self) -> None:
            self.left = [b"1", b"2"]

        def __aiter__(self) -> AsyncChunks:
            return self

        async def __anext__(self) -> bytes:
            if not self.left:
                raise StopAsyncIteration
            return self.left.pop(0)

    assert client_for(lambda scope: StreamingResponse(Chunks())).get("/").text == "xy"
    assert client_for(lambda scope: StreamingResponse(AsyncChunks())).get("/").text == "12"


def test_streaming_denial_on_websocket(client_for: Callable[..., TestClient]) -> None:
    client = client_for(lambda scope: StreamingResponse([b"no", b"pe"], status_code=403))
    with pytest.raises(WebSocketDenialResponse) as info:
        with client.websocket_connect("/ws"):
            pass  # pragma: no cover - denied
    assert info.value.content == b"nope"


def test_stream_can_be_read_incrementally(client_for: Callable[..., TestClient]) -> None:
    async def slow(scope: Scope) -> Any:
        return None

    async def chunks() -> AsyncIterator[bytes]:
        for number in range(3):
            yield b"%d\n" % number

    with client_for(lambda scope: StreamingResponse(chunks())).stream("GET", "/") as response:
        assert list(response.iter_lines()) == ["0", "1", "2"]


class StrictServer:
    """A server side for one request: body chunks (after a short delay each), then
    ``http.disconnect`` once the response is complete. Two tasks awaiting ``receive()`` at
    once is an error here, since real servers then lose or duplicate body messages."""

    def __init__(self, spec: str, *chunks: bytes) -> None:
        self.scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": spec},
            "method": "POST",
            "path": "/echo",
            "headers": [],
        }
        self.messages: list[Message] = [
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            for index, chunk in enumerate(chunks)
        ]
        self.sent: list[Message] = []
        self.complete = anyio.Event()
        self.busy = False

    async def receive(self) -> Message:
        if self.busy:
            raise AssertionError("receive() awaited by two tasks at once")
        self.busy = True
        try:
            if self.messages:
                await anyio.sleep(0.005)
                return self.messages.pop(0)
            await self.complete.wait()
            return {"type": "http.disconnect"}
        finally:
            self.busy = False

    async def send(self, message: Message) -> None:
        self.sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.complete.set()

    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    await StreamingResponse(request.stream())(scope, receive, send)


@pytest.mark.anyio
@pytest.mark.parametrize("spec", ["2.0", "2.3", "2.4"])
async def test_echo_of_the_request_stream(spec: str) -> None:
    chunks = [b"chunk %d;" % number for number in range(20)]
    server = StrictServer(spec, *chunks)
    with anyio.fail_after(5):
        await echo(server.scope, server.receive, server.send)
    assert server.sent[0]["status"] == 200
    assert server.body() == b"".join(chunks)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_echo_through_the_test_client(backend: Literal["asyncio", "trio"]) -> None:
    def chunks() -> Iterator[bytes]:
        for number in range(5):
            yield b"%d," % number

    client = TestClient(echo, backend=backend)
    assert client.post("/", content=chunks()).content == b"0,1,2,3,4,"


@pytest.mark.anyio
@pytest.mark.parametrize("spec", ["2.3", "2.4"])
async def test_an_oserror_of_the_generator(spec: str) -> None:
    # as Starlette: on ASGI 2.4 any OSError while streaming is a ClientDisconnect (the
    # original error is its cause); below 2.4 it is raised as itself
    async def report() -> AsyncIterator[bytes]:
        yield b"header\n"
        raise FileNotFoundError("data.csv")

    server = StrictServer(spec)
    server.messages.append({"type": "http.request", "body": b"", "more_body": False})
    with anyio.fail_after(5), pytest.raises((ClientDisconnect, OSError)) as info:
        await StreamingResponse(report())(server.scope, server.receive, server.send)
    error = info.value.__cause__ if spec == "2.4" else info.value
    assert isinstance(error, FileNotFoundError)
    assert str(error) == "data.csv"


@pytest.mark.anyio
@pytest.mark.parametrize("spec", ["2.3", "2.4"])
async def test_other_errors_of_the_generator_are_raised_as_themselves(spec: str) -> None:
    async def report() -> AsyncIterator[bytes]:
        yield b"header\n"
        raise KeyError("column")

    server = StrictServer(spec)
    server.messages.append({"type": "http.request", "body": b"", "more_body": False})
    with anyio.fail_after(5), pytest.raises(KeyError, match="column"):
        await StreamingResponse(report())(server.scope, server.receive, server.send)


@pytest.mark.anyio
async def test_from_asgi_2_4_receive_is_left_to_the_application() -> None:
    # the server reports a disconnect by an OSError from send(): no task competes for
    # receive(), which stays free for the request body
    async def receive() -> Message:
        raise AssertionError("StreamingResponse must not call receive() on ASGI 2.4")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def chunks() -> AsyncIterator[bytes]:
        yield b"a"
        await anyio.sleep(0.01)
        yield b"b"

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}}
    with anyio.fail_after(5):
        await StreamingResponse(chunks())(scope, receive, send)
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"ab"
