"""Bodies stream with one chunk in flight; background tasks and disconnects behave."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from asgi_core import BackgroundTask, ClientDisconnect, Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_base import BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_responses import Response, StreamingResponse
from asgi_testing import TestClient

MIB = 1024 * 1024


async def passthrough(request: Request, call_next: RequestResponseEndpoint) -> Response:
    response = await call_next(request)
    response.headers["x-through"] = "yes"
    return response


def streaming(count: int, chunk: bytes, produced: list[int], **options: Any) -> ASGIApp:
    async def body() -> AsyncIterator[bytes]:
        for index in range(count):
            produced.append(index)
            yield chunk

    return StreamingResponse(body(), **options)


@pytest.mark.anyio
async def test_a_gibibyte_streams_with_one_chunk_in_flight(server: Any) -> None:
    """1 GiB in 1 MiB chunks: the generator never runs more than a chunk ahead of the client."""
    produced: list[int] = []
    chunk = b"x" * MIB
    received = 0
    ahead: list[int] = []

    async def send(message: Message) -> None:
        nonlocal received
        if message["type"] == "http.response.body" and message["body"]:
            received += 1
            ahead.append(len(produced) - received)

    app = BaseHTTPMiddleware(streaming(1024, chunk, produced), passthrough)
    await server().run(app, send=send)
    assert received == 1024
    assert max(ahead) <= 1  # at most one chunk beyond the one being sent
    assert ahead[0] == 0  # the first chunk reached the client before the second was made


def test_chunks_reach_a_client_before_the_generator_finishes(
    client: Callable[..., TestClient],
) -> None:
    produced: list[int] = []
    app = BaseHTTPMiddleware(streaming(100, b"chunk", produced), passthrough)
    with client(app).stream("GET", "/") as response:
        assert response.headers["x-through"] == "yes"
        chunks = response.iter_bytes()
        assert next(chunks) == b"chunk"
        assert len(produced) <= 2
        assert b"".join(chunks) == b"chunk" * 99
    assert len(produced) == 100


@pytest.mark.anyio
async def test_background_tasks_run_after_the_whole_body_was_sent(server: Any) -> None:
    events: list[str] = []

    async def task() -> None:
        events.append("background started")
        await anyio.sleep(0.01)
        events.append("background done")

    async def send(message: Message) -> None:
        await anyio.sleep(0)  # a server that takes its time
        more = message.get("more_body", False)
        events.append(f"sent {message['type']}{' (more)' if more else ''}")

    app = BaseHTTPMiddleware(streaming(2, b"x", [], background=BackgroundTask(task)), passthrough)
    await server().run(app, send=send)
    assert events == [
        "sent http.response.start",
        "sent http.response.body (more)",
        "sent http.response.body (more)",
        "sent http.response.body",
        "background started",
        "background done",  # not cancelled: the middleware waits for it
    ]


@pytest.mark.anyio
async def test_dispatchs_own_background_runs_after_the_body(server: Any) -> None:
    events: list[str] = []

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.background = BackgroundTask(events.append, "dispatch background")
        return response

    async def send(message: Message) -> None:
        events.append(message["type"])

    app = BaseHTTPMiddleware(streaming(1, b"x", []), dispatch)
    await server().run(app, send=send)
    assert events == [
        "http.response.start",
        "http.response.body",
        "http.response.body",
        "dispatch background",
    ]


@pytest.mark.anyio
async def test_a_replaced_response_lets_the_app_finish_with_its_background(server: Any) -> None:
    """As Starlette: the app's response is drained and dropped; its background still runs."""
    events: list[str] = []

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        await call_next(request)
        return Response("replaced")

    async def send(message: Message) -> None:
        events.append(message["type"])

    background = BackgroundTask(events.append, "app background")
    app = BaseHTTPMiddleware(streaming(3, b"x", [], background=background), dispatch)
    await server().run(app, send=send)
    assert events == ["http.response.start", "http.response.body", "app background"]


@pytest.mark.anyio
async def test_a_body_consumed_in_dispatch_still_lets_the_app_finish(server: Any) -> None:
    events: list[str] = []

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response: Any = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])
        events.append(f"read {body!r}")
        return Response(body.upper(), headers=dict(response.headers))

    background = BackgroundTask(events.append, "app background")
    app = BaseHTTPMiddleware(streaming(3, b"x", [], background=background), dispatch)
    srv = server()
    await srv.run(app)
    assert srv.sent[1]["body"] == b"XXX"
    assert events == ["read b'xxx'", "app background"]


@pytest.mark.anyio
async def test_a_disconnect_reaches_the_app_below_asgi_2_4(server: Any, http_scope: Any) -> None:
    """The app watches receive() for http.disconnect itself: no hang, its generator closes."""
    closed: list[bool] = []

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"x"
                await anyio.sleep(0.001)
        finally:
            closed.append(True)

    app = BaseHTTPMiddleware(StreamingResponse(endless()), passthrough)
    srv = server(disconnect_after=0.05)
    await srv.run(app, http_scope(spec_version="2.3"))
    assert closed == [True]
    assert srv.sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


@pytest.mark.anyio
@pytest.mark.parametrize("wrapped", [False, True])
async def test_a_send_failing_with_oserror_reaches_the_app(server: Any, wrapped: bool) -> None:
    """ASGI 2.4: the app's send raises the server's OSError; the outcome is the same as
    without the middleware (our StreamingResponse turns it into ClientDisconnect)."""
    closed: list[bool] = []
    count = 0

    async def send(message: Message) -> None:
        nonlocal count
        count += 1
        if count == 3:
            raise OSError("client gone")

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"x"
        finally:
            closed.append(True)

    app: ASGIApp = StreamingResponse(endless())
    if wrapped:
        app = BaseHTTPMiddleware(app, passthrough)
    with pytest.raises(ClientDisconnect):
        await server().run(app, send=send)
    assert closed == [True]


@pytest.mark.anyio
async def test_an_app_that_does_not_handle_the_oserror_raises_it(server: Any) -> None:
    sent_after: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            await send({"type": "http.response.body", "body": b"x", "more_body": True})
            await send({"type": "http.response.body", "body": b"y", "more_body": True})
        finally:
            try:
                await send({"type": "http.response.body", "body": b""})
            except OSError as exc:
                sent_after.append(str(exc))

    async def send(message: Message) -> None:
        if message.get("body") == b"y":
            raise OSError("client gone")

    with pytest.raises(OSError, match="client gone"):
        await server().run(BaseHTTPMiddleware(app, passthrough), send=send)
    assert sent_after == ["client gone"]  # every send after it fails too


def test_closing_a_streamed_response_early_ends_the_app(client: Callable[..., TestClient]) -> None:
    closed: list[bool] = []

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"x"
        finally:
            closed.append(True)

    app = BaseHTTPMiddleware(StreamingResponse(endless()), passthrough)
    with client(app).stream("GET", "/") as response:
        assert next(response.iter_bytes()) == b"x"
    assert closed == [True]


@pytest.mark.anyio
async def test_the_app_ignores_receive_and_the_response_still_completes(
    server: Any, http_scope: Any
) -> None:
    """Nothing of the middleware reads receive(): an app reading it gets every message."""
    got: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        got.append(await receive())
        got.append(await receive())
        await send({"type": "http.response.body", "body": b"done"})

    srv = server([b"a", b"b"])
    await srv.run(BaseHTTPMiddleware(app, passthrough), http_scope(method="POST"))
    assert got == [
        {"type": "http.request", "body": b"a", "more_body": True},
        {"type": "http.request", "body": b"b", "more_body": False},
    ]
    assert srv.sent[1]["body"] == b"done"


@pytest.mark.anyio
async def test_a_disconnect_before_the_response_reaches_the_app(server: Any) -> None:
    """The app sees http.disconnect while dispatch waits; it gives up: as Starlette, that
    is "No response returned."."""
    got: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while (message := await receive())["type"] != "http.disconnect":
            got.append(message["type"])
        got.append(message["type"])

    with pytest.raises(RuntimeError, match=r"^No response returned\.$"):
        await server([b"x"]).run(BaseHTTPMiddleware(app, passthrough))
    assert got == ["http.request", "http.disconnect"]
