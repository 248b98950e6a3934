"""The public exception-handler lookup that endpoints and exception middleware share."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from asgi_core import HTTPConnection, HTTPException, Request
from asgi_core.types import Message, Scope
from asgi_responses import PlainTextResponse, Response
from asgi_routing import call_exception_handler, find_exception_handler


class AppError(Exception):
    pass


class SpecificError(AppError):
    pass


def by_class(*_: Any) -> str:
    return "by class"


def by_status(*_: Any) -> str:
    return "by status"


def generic(*_: Any) -> str:
    return "generic"


def test_status_code_handlers_win_for_http_exceptions() -> None:
    handlers = ({HTTPException: by_class}, {404: by_status})
    assert find_exception_handler(handlers, HTTPException(404)) is by_status
    assert find_exception_handler(handlers, HTTPException(400)) is by_class


def test_the_most_specific_class_wins() -> None:
    handlers: tuple[dict[Any, Any], dict[int, Any]] = ({Exception: generic, AppError: by_class}, {})
    assert find_exception_handler(handlers, SpecificError()) is by_class
    assert find_exception_handler(handlers, ValueError()) is generic
    assert find_exception_handler(({AppError: by_class}, {}), ValueError()) is None


def _http_scope() -> Scope:
    return {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}


async def _run(handler: Any) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}  # pragma: no cover - handlers here do not read

    async def send(message: Message) -> None:
        sent.append(message)

    scope = _http_scope()
    conn: HTTPConnection = Request(scope)
    await call_exception_handler(handler, conn, AppError("boom"), scope, receive, send)
    return sent


@pytest.mark.anyio
async def test_async_handlers_are_awaited_and_their_response_sent() -> None:
    async def handler(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"{request.url.path} {exc}", status_code=418)

    sent = await _run(handler)
    assert sent[0]["status"] == 418
    assert sent[1]["body"] == b"/ boom"


@pytest.mark.anyio
async def test_sync_handlers_run_in_a_worker_thread() -> None:
    threads: list[threading.Thread] = []

    def handler(request: Request, exc: Exception) -> Response:
        threads.append(threading.current_thread())
        return PlainTextResponse(str(exc), status_code=500)

    sent = await _run(handler)
    assert len(threads) == 1
    assert threads[0] is not threading.current_thread()
    assert sent[1]["body"] == b"boom"


@pytest.mark.anyio
async def test_a_handler_returning_none_sends_nothing() -> None:
    async def handler(request: Request, exc: Exception) -> None:
        return None

    assert await _run(handler) == []


@pytest.mark.anyio
async def test_a_handled_exception_has_its_traceback_cleared() -> None:
    from asgi_core.scope_keys import EXCEPTION_HANDLERS
    from asgi_routing._exception_handling import handle_exception

    async def handler(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("handled", status_code=409)

    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {**_http_scope(), EXCEPTION_HANDLERS: ({AppError: handler}, {})}
    try:
        raise AppError("boom")
    except AppError as caught:
        exc = caught
    assert exc.__traceback__ is not None
    await handle_exception(exc, Request(scope), False, scope, receive, send)
    assert sent[0]["status"] == 409
    assert exc.__traceback__ is None


@pytest.mark.anyio
async def test_an_unhandled_exception_keeps_its_traceback() -> None:
    from asgi_routing._exception_handling import handle_exception

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent")

    scope = _http_scope()
    try:
        raise AppError("boom")
    except AppError as caught:
        exc = caught
    with pytest.raises(AppError):
        await handle_exception(exc, Request(scope), False, scope, receive, send)
    assert exc.__traceback__ is not None
