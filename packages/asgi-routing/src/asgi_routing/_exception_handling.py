"""Turning exceptions raised by endpoints into responses (or WebSocket closes).

The application's exception middleware puts its handlers in the scope (under
:data:`asgi_core.scope_keys.EXCEPTION_HANDLERS`, Starlette's key and shape: a pair of dicts,
by exception class and by status code). Endpoints consult them where the exception is
raised, so that a handler can still send a response. Without such a middleware (a Router
used on its own) ``HTTPException`` and ``WebSocketException`` get the default handling of
:func:`http_exception_handler` and :func:`websocket_exception_handler`, which exception
middleware registers too, so that there is one way of answering them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from asgi_core import (
    HTTPConnection,
    HTTPException,
    WebSocketException,
    is_async_callable,
    run_in_threadpool,
)
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import Receive, Scope, Send
from asgi_responses import PlainTextResponse, Response
from asgi_websockets import WebSocket, WebSocketState

__all__ = [
    "call_exception_handler",
    "find_exception_handler",
    "handle_exception",
    "http_exception_handler",
    "websocket_exception_handler",
]


async def http_exception_handler(conn: HTTPConnection, exc: Exception) -> Response | None:
    """The default answer to an ``HTTPException``: a plain-text response of its status.

    The body is the ``detail`` (none for 204 and 304) and the exception's headers are sent.
    On a WebSocket that is not accepted yet, the same response is sent as a denial
    response where the server supports the extension for it; otherwise, and on an accepted
    WebSocket, the connection is closed with 1008 (4xx) or 1011 (5xx) and the ``detail`` as
    reason. Once the WebSocket is closed (or a denial response started) nothing is sent.
    """
    http_exc = cast(HTTPException, exc)  # registered for HTTPException only
    if isinstance(conn, WebSocket):
        state = conn.application_state
        if state == WebSocketState.CONNECTING and "websocket.http.response" in conn.scope.get(
            "extensions", {}
        ):
            await conn.send_denial_response(_http_exception_response(http_exc))
        elif state in (WebSocketState.CONNECTING, WebSocketState.CONNECTED):
            code = 1008 if http_exc.status_code < 500 else 1011
            await conn.close(code=code, reason=http_exc.detail)
        return None
    return _http_exception_response(http_exc)


def _http_exception_response(exc: HTTPException) -> Response:
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)


async def websocket_exception_handler(conn: HTTPConnection, exc: Exception) -> None:
    """The default answer to a ``WebSocketException``: close with its code and reason.

    Before ``accept`` this refuses the connection (the client sees the handshake fail);
    once the WebSocket is closed nothing is sent.
    """
    ws_exc = cast(WebSocketException, exc)  # registered for WebSocketException only
    if isinstance(conn, WebSocket) and conn.application_state in (
        WebSocketState.CONNECTING,
        WebSocketState.CONNECTED,
    ):
        await conn.close(code=ws_exc.code, reason=ws_exc.reason)


_DEFAULTS: tuple[dict[Any, Any], dict[int, Any]] = (
    {HTTPException: http_exception_handler, WebSocketException: websocket_exception_handler},
    {},
)


def find_exception_handler(
    handlers: tuple[Mapping[Any, Any], Mapping[int, Any]], exc: Exception
) -> Any:
    """The handler for ``exc`` from a ``(by_class, by_status_code)`` pair, or ``None``.

    An ``HTTPException`` is looked up by its status code first; otherwise the most specific
    class wins (the exception's MRO is searched in order).
    """
    by_class, by_status = handlers
    if isinstance(exc, HTTPException):
        handler = by_status.get(exc.status_code)
        if handler is not None:
            return handler
    for cls in type(exc).__mro__:
        if cls in by_class:
            return by_class[cls]
    return None


def answered_by_default(handlers: tuple[Mapping[Any, Any], Mapping[int, Any]], status: int) -> bool:
    """Whether ``handlers`` answer an ``HTTPException(status)`` with :func:`http_exception_handler`.

    :func:`find_exception_handler`'s answer for such an exception, asked with one made once
    per status code (it is only looked up, never raised).
    """
    probe = _PROBES.get(status)
    if probe is None:
        probe = _PROBES[status] = HTTPException(status)
    return find_exception_handler(handlers, probe) is http_exception_handler


_PROBES: dict[int, HTTPException] = {}


async def call_exception_handler(
    handler: Any, conn: HTTPConnection, exc: Exception, scope: Scope, receive: Receive, send: Send
) -> None:
    """Run ``handler(conn, exc)`` (sync ones in a thread) and send the response it returns."""
    if is_async_callable(handler):
        response = await handler(conn, exc)
    else:
        response = await run_in_threadpool(handler, conn, exc)
    if response is not None:
        await response(scope, receive, send)


async def handle_exception(
    exc: Exception, conn: HTTPConnection, started: bool, scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer ``exc`` with the registered handler, or raise it again when there is none.

    Once the handler has answered, the exception's ``__traceback__`` is cleared (as
    Starlette does), so the frames it holds can be freed while the exception object lives on.
    """
    handler = find_exception_handler(scope.get(EXCEPTION_HANDLERS) or _DEFAULTS, exc)
    if handler is None:
        raise exc
    if started:
        raise RuntimeError("Caught handled exception, but response already started.") from exc
    await call_exception_handler(handler, conn, exc, scope, receive, send)
    exc.__traceback__ = None
