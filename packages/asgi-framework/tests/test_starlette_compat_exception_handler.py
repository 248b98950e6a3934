"""``starlette._exception_handler.wrap_app_handling_exceptions`` (the compatibility module)."""

from __future__ import annotations

from typing import Any

import pytest

from asgi_core import HTTPConnection, HTTPException, Request, WebSocketException
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import Message, Receive, Scope, Send
from asgi_framework._starlette_compat._exception_handler import wrap_app_handling_exceptions
from asgi_responses import JSONResponse, PlainTextResponse
from asgi_websockets import WebSocket

pytestmark = pytest.mark.anyio


def _http_scope(**extra: Any) -> Scope:
    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": [], **extra}
    return scope


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _run(app: Any, scope: Scope) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    conn: HTTPConnection
    if scope["type"] == "websocket":
        conn = WebSocket(scope, _receive, send)
    else:
        conn = Request(scope, _receive, send)
    await wrap_app_handling_exceptions(app, conn)(scope, _receive, send)
    return sent


def _raising(exc: Exception) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise exc

    return app


async def test_passes_through_when_nothing_is_raised() -> None:
    sent = await _run(PlainTextResponse("ok"), _http_scope())
    assert sent[0]["status"] == 200
    assert sent[-1]["body"] == b"ok"


async def test_http_exception_default_answer_without_handlers() -> None:
    sent = await _run(_raising(HTTPException(418, "teapot")), _http_scope())
    assert sent[0]["status"] == 418
    assert sent[1]["body"] == b"teapot"


async def test_handler_by_class_sync_runs() -> None:
    def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": str(exc), "path": request.url.path}, status_code=400)

    scope = _http_scope(**{EXCEPTION_HANDLERS: ({ValueError: handler}, {})})
    sent = await _run(_raising(ValueError("bad")), scope)
    assert sent[0]["status"] == 400
    assert sent[1]["body"] == b'{"error":"bad","path":"/"}'


async def test_handler_by_status_code() -> None:
    async def handler(request: Request, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse("gone away", status_code=410)

    scope = _http_scope(**{EXCEPTION_HANDLERS: ({}, {404: handler})})
    sent = await _run(_raising(HTTPException(404)), scope)
    assert sent[0]["status"] == 410


async def test_unhandled_is_raised_again() -> None:
    with pytest.raises(KeyError):
        await _run(_raising(KeyError("k")), _http_scope(**{EXCEPTION_HANDLERS: ({}, {})}))


async def test_handled_after_the_response_started() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise HTTPException(500)

    with pytest.raises(RuntimeError, match="response already started") as info:
        await _run(app, _http_scope())
    assert isinstance(info.value.__cause__, HTTPException)


async def test_websocket_exception_closes() -> None:
    scope: Scope = {"type": "websocket", "path": "/ws", "headers": []}
    sent = await _run(_raising(WebSocketException(4001, "nope")), scope)
    assert sent == [{"type": "websocket.close", "code": 4001, "reason": "nope"}]
