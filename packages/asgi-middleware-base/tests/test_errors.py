"""Exceptions reach the outer layers as themselves, never in an exception group."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from asgi_core import BackgroundTask, HTTPException, Request
from asgi_core.types import Message, Receive, Scope, Send
from asgi_middleware_base import BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_responses import PlainTextResponse, Response, StreamingResponse

START: Message = {"type": "http.response.start", "status": 200, "headers": []}


async def passthrough(request: Request, call_next: RequestResponseEndpoint) -> Response:
    return await call_next(request)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "make_error", [lambda: ValueError("endpoint failed"), lambda: HTTPException(418)]
)
async def test_an_endpoint_error_before_the_start_is_raised_as_itself(
    server: Any, make_error: Callable[[], Exception]
) -> None:
    error = make_error()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise error

    with pytest.raises(type(error)) as info:
        await server().run(BaseHTTPMiddleware(BaseHTTPMiddleware(app, passthrough), passthrough))
    assert info.value is error


@pytest.mark.anyio
async def test_an_error_while_streaming_is_raised_and_the_body_not_completed(server: Any) -> None:
    """Starlette completes the body (more_body=False) and then raises, so a truncated
    body looks complete to the client; here the server sees the error with the body open."""

    async def body() -> AsyncIterator[bytes]:
        yield b"part"
        raise ValueError("while streaming")

    srv = server()
    with pytest.raises(ValueError, match="while streaming") as info:
        await srv.run(BaseHTTPMiddleware(StreamingResponse(body()), passthrough))
    assert type(info.value) is ValueError
    assert srv.sent == [
        {"type": "http.response.start", "status": 200, "headers": []},
        {"type": "http.response.body", "body": b"part", "more_body": True},
    ]


@pytest.mark.anyio
async def test_an_app_returning_without_ending_its_body_is_completed(server: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, passthrough))
    assert srv.sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


@pytest.mark.anyio
async def test_an_error_of_a_background_task_is_raised_after_the_response(server: Any) -> None:
    def fail() -> None:
        raise KeyError("background")

    srv = server()
    app = BaseHTTPMiddleware(PlainTextResponse("ok", background=BackgroundTask(fail)), passthrough)
    with pytest.raises(KeyError, match="background"):
        await srv.run(app)
    assert srv.sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


@pytest.mark.anyio
async def test_a_dispatch_error_after_call_next_cancels_the_app(server: Any) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send(START)
            await send({"type": "http.response.body", "body": b"x"})  # pragma: no cover
        except anyio.get_cancelled_exc_class():
            events.append("app cancelled")
            raise

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        await call_next(request)
        raise LookupError("dispatch failed")

    srv = server()
    with pytest.raises(LookupError, match="dispatch failed") as info:
        await srv.run(BaseHTTPMiddleware(app, dispatch))
    assert type(info.value) is LookupError
    assert events == ["app cancelled"]
    assert srv.sent == []


@pytest.mark.anyio
async def test_dispatch_may_handle_the_endpoint_error(server: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise ValueError("endpoint failed")

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        try:
            return await call_next(request)
        except ValueError as exc:
            return PlainTextResponse(f"handled: {exc}", status_code=500)

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, dispatch))  # nothing raised: it was handled
    assert srv.sent[1]["body"] == b"handled: endpoint failed"


@pytest.mark.anyio
async def test_an_oserror_of_the_app_is_not_taken_for_a_disconnect(server: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)
        await send({"type": "http.response.body", "body": b"x", "more_body": True})
        raise FileNotFoundError("missing.txt")

    srv = server()
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        await srv.run(BaseHTTPMiddleware(app, passthrough))
    assert len(srv.sent) == 2


@pytest.mark.anyio
async def test_after_a_failure_a_kept_send_goes_to_the_server(server: Any) -> None:
    """An exception middleware inside keeps its send so that the 500 passes back through
    the user middleware; after our middleware failed, that send reaches the server."""
    kept: list[Send] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        kept.append(send)
        raise ValueError("endpoint failed")

    srv = server()
    with pytest.raises(ValueError, match="endpoint failed"):
        await srv.run(BaseHTTPMiddleware(app, passthrough))
    with anyio.fail_after(1):  # never waits for a consumer that is gone
        await kept[0]({"type": "http.response.start", "status": 500, "headers": []})
        await kept[0]({"type": "http.response.body", "body": b"Internal Server Error"})
    assert [message["type"] for message in srv.sent] == [
        "http.response.start",
        "http.response.body",
    ]


@pytest.mark.anyio
async def test_after_a_failure_while_streaming_a_kept_send_is_dropped(server: Any) -> None:
    kept: list[Send] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        kept.append(send)
        await send(START)
        await send({"type": "http.response.body", "body": b"x", "more_body": True})
        raise ValueError("while streaming")

    srv = server()
    with pytest.raises(ValueError, match="while streaming"):
        await srv.run(BaseHTTPMiddleware(app, passthrough))
    with anyio.fail_after(1):
        await kept[0]({"type": "http.response.start", "status": 500, "headers": []})
    assert len(srv.sent) == 2  # the start and the chunk: no second start
