"""``starlette._exception_handler``: applying the registered exception handlers around an app.

FastAPI wraps its endpoints in :func:`wrap_app_handling_exceptions`, as Starlette's own
endpoint wrappers do, so that an exception handler can still answer where the exception was
raised.
"""

from __future__ import annotations

from typing import Any

from asgi_core import HTTPConnection, HTTPException, WebSocketException
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_routing import (
    call_exception_handler,
    find_exception_handler,
    http_exception_handler,
    websocket_exception_handler,
)

__all__ = ["wrap_app_handling_exceptions"]

_DEFAULT_HANDLERS: tuple[dict[Any, Any], dict[int, Any]] = (
    {HTTPException: http_exception_handler, WebSocketException: websocket_exception_handler},
    {},
)


def wrap_app_handling_exceptions(app: ASGIApp, conn: HTTPConnection) -> ASGIApp:
    """``app`` with the exception handlers in the scope applied to what it raises.

    The handlers are the pair the exception middleware puts in the scope (by class, by
    status code); without one, ``HTTPException`` and ``WebSocketException`` get the default
    answers. A handler gets ``(conn, exc)`` and its response is sent; an exception without
    a handler is raised again, and one caught after the response started raises
    ``RuntimeError("Caught handled exception, but response already started.")``.
    """

    async def wrapped_app(scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await app(scope, receive, watching_send)
        except Exception as exc:
            handler = find_exception_handler(
                scope.get(EXCEPTION_HANDLERS) or _DEFAULT_HANDLERS, exc
            )
            if handler is None:
                raise
            if started:
                raise RuntimeError(
                    "Caught handled exception, but response already started."
                ) from exc
            await call_exception_handler(handler, conn, exc, scope, receive, send)

    return wrapped_app
