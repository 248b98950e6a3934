"""Context variables: what the application sets before its response starts reaches dispatch."""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from asgi_core import Request
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_base import BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_middleware_base._call import adopt
from asgi_responses import PlainTextResponse, Response, StreamingResponse
from asgi_testing import TestClient

var: contextvars.ContextVar[str] = contextvars.ContextVar("var")
other: contextvars.ContextVar[str] = contextvars.ContextVar("other", default="default")


def endpoint(seen: list[str]) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(var.get("unset"))
        var.set("endpoint")
        await PlainTextResponse("ok")(scope, receive, send)

    return app


def recording(seen: list[str], name: str) -> Any:
    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        seen.append(f"{name} before: {var.get('unset')}")
        response = await call_next(request)
        seen.append(f"{name} after: {var.get('unset')}")
        return response

    return dispatch


def test_dispatch_sees_what_the_endpoint_set(client: Callable[..., TestClient]) -> None:
    seen: list[str] = []

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        var.set("dispatch")
        response = await call_next(request)
        seen.append(var.get())
        return response

    assert client(BaseHTTPMiddleware(endpoint(seen), dispatch)).get("/").text == "ok"
    assert seen == ["dispatch", "endpoint"]  # the endpoint saw dispatch's, and the other way


def test_stacked_middlewares_and_a_pure_asgi_one_outside_see_it(
    client: Callable[..., TestClient],
) -> None:
    seen: list[str] = []
    app: ASGIApp = endpoint(seen)
    for name in ("inner", "middle", "outer"):
        app = BaseHTTPMiddleware(app, recording(seen, name))

    async def pure(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope, receive, send)
        seen.append(f"pure after: {var.get('unset')}")

    assert client(pure).get("/").text == "ok"
    assert seen == [
        "outer before: unset",
        "middle before: unset",
        "inner before: unset",
        "unset",
        "inner after: endpoint",
        "middle after: endpoint",
        "outer after: endpoint",
        "pure after: endpoint",
    ]


def test_changes_after_the_response_started_stay_with_the_app(
    client: Callable[..., TestClient],
) -> None:
    """The documented limit: values are copied when the response starts, not later."""
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        async def body() -> AsyncIterator[bytes]:
            var.set("while streaming")
            yield b"x"

        var.set("before the start")
        await StreamingResponse(body())(scope, receive, send)
        seen.append(f"app: {var.get()}")

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        seen.append(f"dispatch: {var.get()}")
        return response

    assert client(BaseHTTPMiddleware(app, dispatch)).get("/").text == "x"
    assert seen == ["dispatch: before the start", "app: while streaming"]


@pytest.mark.anyio
async def test_adopt_copies_the_values_of_a_context() -> None:
    var.set("mine")

    def changed() -> contextvars.Context:
        var.set("theirs")
        other.set("set there")
        return contextvars.copy_context()

    adopt(contextvars.copy_context().run(changed))
    assert (var.get(), other.get()) == ("theirs", "set there")
    adopt(contextvars.copy_context())  # nothing differs: nothing happens
    assert (var.get(), other.get()) == ("theirs", "set there")
