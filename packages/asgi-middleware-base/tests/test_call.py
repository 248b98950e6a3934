"""The request body dispatch reads is there for the application (``Call``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_base import BaseHTTPMiddleware, DispatchFunction, RequestResponseEndpoint
from asgi_responses import PlainTextResponse, Response
from asgi_testing import TestClient


def recorder(got: list[Any]) -> ASGIApp:
    """An app that records every message up to the body's end, and its receive."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        got.append(receive)
        while True:
            message = await receive()
            got.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        await PlainTextResponse("ok")(scope, receive, send)

    return app


def reading(read: Callable[[Request], Any]) -> DispatchFunction:
    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        await read(request)
        return await call_next(request)

    return dispatch


async def read_body(request: Request) -> Any:
    return await request.body()


async def read_json(request: Request) -> Any:
    return await request.json()


async def read_stream(request: Request) -> None:
    async for _ in request.stream():
        pass


async def read_one(request: Request) -> Message:
    return await request.receive()


async def read_all_raw(request: Request) -> None:
    while (await request.receive()).get("more_body", False):
        pass


async def read_nothing(request: Request) -> None:
    return None


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (read_body, [{"type": "http.request", "body": b'{"a": 1}', "more_body": False}]),
        (read_json, [{"type": "http.request", "body": b'{"a": 1}', "more_body": False}]),
        # as Starlette: a stream consumed without keeping it leaves an empty body
        (read_stream, [{"type": "http.request", "body": b"", "more_body": False}]),
        (read_all_raw, [{"type": "http.request", "body": b"", "more_body": False}]),
        # a part read: the application reads the rest from the server
        (read_one, [{"type": "http.request", "body": b": 1}", "more_body": False}]),
    ],
)
async def test_what_the_app_receives_after_dispatch_read_the_body(
    server: Any, http_scope: Any, read: Any, expected: list[Message]
) -> None:
    got: list[Any] = []
    srv = server([b'{"a"', b": 1}"])
    await srv.run(BaseHTTPMiddleware(recorder(got), reading(read)), http_scope(method="POST"))
    assert got[1:] == expected
    assert srv.sent[1]["body"] == b"ok"


@pytest.mark.anyio
async def test_after_the_replayed_body_the_app_reads_the_server(
    server: Any, http_scope: Any
) -> None:
    got: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        got.append(await receive())
        got.append(await receive())
        await PlainTextResponse("ok")(scope, receive, send)

    srv = server([b"ab", b"cd"])
    await srv.run(BaseHTTPMiddleware(app, reading(read_body)), http_scope(method="POST"))
    assert got == [
        {"type": "http.request", "body": b"abcd", "more_body": False},
        {"type": "http.disconnect"},
    ]


@pytest.mark.anyio
async def test_an_untouched_body_goes_straight_to_the_app(server: Any, http_scope: Any) -> None:
    got: list[Any] = []
    srv = server([b"ab", b"cd"])
    await srv.run(
        BaseHTTPMiddleware(recorder(got), reading(read_nothing)), http_scope(method="POST")
    )
    assert got[0] == srv.receive  # the server's own receive: no wrapper at all
    assert [message["body"] for message in got[1:]] == [b"ab", b"cd"]


def test_an_endpoint_reads_the_body_dispatch_read(client: Callable[..., TestClient]) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        data = await Request(scope, receive).json()
        await PlainTextResponse(f"endpoint got {data}")(scope, receive, send)

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        data = await request.json()
        response = await call_next(request)
        response.headers["x-dispatch-got"] = str(data)
        return response

    response = client(BaseHTTPMiddleware(app, dispatch)).post("/", json={"a": 1})
    assert response.text == "endpoint got {'a': 1}"
    assert response.headers["x-dispatch-got"] == "{'a': 1}"


@pytest.mark.anyio
async def test_the_app_gets_the_original_scope(server: Any) -> None:
    """As Starlette: call_next runs the app with the middleware's scope, whatever the request."""
    paths: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        paths.append(scope["path"])
        await PlainTextResponse("ok")(scope, receive, send)

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        request.scope["seen"] = True
        return await call_next(Request({**request.scope, "path": "/other"}, request.receive))

    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    await server().run(BaseHTTPMiddleware(app, dispatch), scope)
    assert paths == ["/"]
    assert scope["seen"] is True
