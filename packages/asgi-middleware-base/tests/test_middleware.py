"""BaseHTTPMiddleware's public behaviour, as Starlette 1.10's where nothing is said."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_base import BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_responses import PlainTextResponse, Response
from asgi_testing import TestClient

Run = Callable[..., Any]
START: Message = {"type": "http.response.start", "status": 200, "headers": [(b"a", b"1")]}


def sends(*messages: Message) -> ASGIApp:
    """An app that sends copies of ``messages``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in messages:
            copy = dict(message)
            if "headers" in copy:
                copy["headers"] = list(copy["headers"])
            await send(copy)

    return app


class AddHeader(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["X-Added"] = "yes"
        return response


async def passthrough(request: Request, call_next: RequestResponseEndpoint) -> Response:
    return await call_next(request)


def test_a_subclass_changes_the_response_headers(client: Callable[..., TestClient]) -> None:
    app = AddHeader(PlainTextResponse("hello", headers={"b": "2"}))
    response = client(app).get("/")
    assert response.text == "hello"
    assert list(response.headers.items()) == [
        ("b", "2"),
        ("content-length", "5"),
        ("content-type", "text/plain; charset=utf-8"),
        ("x-added", "yes"),  # added last, as Starlette's
    ]


@pytest.mark.anyio
async def test_the_messages_are_starlettes(run: Run) -> None:
    """The body is re-sent chunk by chunk with more_body=True, then an empty last message."""
    app = AddHeader(
        sends(
            START,
            {"type": "http.response.body", "body": b"a", "more_body": True},
            {"type": "http.response.body", "body": b"", "more_body": True},
            {"type": "http.response.body", "body": b"b"},
        )
    )
    assert await run(app) == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"a", b"1"), (b"x-added", b"yes")],
        },
        {"type": "http.response.body", "body": b"a", "more_body": True},
        {"type": "http.response.body", "body": b"b", "more_body": True},
        {"type": "http.response.body", "body": b"", "more_body": False},
    ]


@pytest.mark.anyio
async def test_dispatch_as_a_function_can_replace_the_response(run: Run) -> None:
    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        await call_next(request)
        return PlainTextResponse("replaced", status_code=418)

    sent = await run(BaseHTTPMiddleware(sends(START), dispatch=dispatch))
    assert sent[0]["status"] == 418
    assert sent[1] == {"type": "http.response.body", "body": b"replaced"}


@pytest.mark.anyio
async def test_dispatch_may_answer_without_calling_the_app(run: Run) -> None:
    called: list[bool] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        called.append(True)  # pragma: no cover - never called

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        return PlainTextResponse("early")

    sent = await run(BaseHTTPMiddleware(app, dispatch))
    assert sent[1]["body"] == b"early"
    assert called == []


@pytest.mark.anyio
@pytest.mark.parametrize("scope_type", ["websocket", "lifespan"])
async def test_other_scopes_pass_through_untouched(scope_type: str) -> None:
    got: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        got.extend([scope, receive, send])

    async def receive() -> Message:
        raise AssertionError  # pragma: no cover - never called

    async def send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - never called

    scope: Scope = {"type": scope_type}
    await AddHeader(app)(scope, receive, send)
    assert got == [{"type": scope_type}, receive, send]


@pytest.mark.anyio
async def test_no_response_is_a_runtime_error(run: Run) -> None:
    with pytest.raises(RuntimeError, match=r"^No response returned\.$"):
        await run(BaseHTTPMiddleware(sends(), passthrough))


@pytest.mark.anyio
async def test_a_body_before_the_start_is_a_runtime_error(run: Run) -> None:
    app = BaseHTTPMiddleware(sends({"type": "http.response.body", "body": b"x"}), passthrough)
    with pytest.raises(
        RuntimeError, match=r"Expected ASGI message 'http\.response\.start'.*'http\.response\.body'"
    ):
        await run(app)


@pytest.mark.anyio
async def test_call_next_twice_is_a_runtime_error(run: Run) -> None:
    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        await call_next(request)
        return await call_next(request)

    with pytest.raises(RuntimeError, match=r"call_next\(\) was called twice for one request"):
        await run(BaseHTTPMiddleware(sends(START), dispatch))


@pytest.mark.anyio
async def test_dispatch_returning_none_is_a_type_error(run: Run) -> None:
    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Any:
        return None

    with pytest.raises(TypeError, match=r"dispatch\(\) returned None: it must return a response"):
        await run(BaseHTTPMiddleware(sends(START), dispatch))


@pytest.mark.anyio
async def test_a_subclass_without_dispatch_says_what_to_do(run: Run) -> None:
    class Forgotten(BaseHTTPMiddleware):
        pass

    with pytest.raises(NotImplementedError, match=r"Forgotten\.dispatch\(\) is not implemented"):
        await run(Forgotten(sends(START)))


def test_dispatch_must_be_callable() -> None:
    with pytest.raises(TypeError, match=r"dispatch must be an async function.*received 'nope'"):
        BaseHTTPMiddleware(sends(), dispatch="nope")  # type: ignore[arg-type]


def test_the_app_and_dispatch_are_kept() -> None:
    app = sends()
    middleware = BaseHTTPMiddleware(app, passthrough)
    assert middleware.app is app
    assert middleware.dispatch_func is passthrough
    subclass = AddHeader(app)
    assert subclass.dispatch_func == subclass.dispatch
