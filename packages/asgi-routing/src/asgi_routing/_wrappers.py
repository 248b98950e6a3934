"""Turning endpoint functions into ASGI applications."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from asgi_core import Request, is_async_callable, run_in_threadpool
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_responses import Response, ResponseWatch
from asgi_routing._exception_handling import handle_exception
from asgi_websockets import WebSocket, WebSocketMessageTooBig

__all__ = ["get_name", "request_response", "websocket_session"]

_PLAIN_CALL = Response.__call__


def get_name(endpoint: Callable[..., Any]) -> str:
    """The name a route gets by default: the function's or class's name."""
    return getattr(endpoint, "__name__", endpoint.__class__.__name__)


def request_response(func: Callable[[Request], Awaitable[Any] | Any]) -> ASGIApp:
    """An ASGI app calling ``func(request)`` and sending the response it returns.

    Sync functions run in the thread pool. Exceptions go to the registered exception
    handlers (``HTTPException`` has a default), as long as no response was started.
    """
    call: Callable[[Request], Awaitable[Any]] = (
        func if is_async_callable(func) else functools.partial(run_in_threadpool, func)  # type: ignore[call-arg]
    )

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        try:
            response = await call(request)
        except Exception as exc:  # noqa: BLE001 - handled or raised again by handle_exception
            await handle_exception(exc, request, False, scope, receive, send)
            return
        if type(response).__call__ is _PLAIN_CALL:
            # what Response.__call__ does on an http scope, written out (a frame less per
            # request); it sends the start before anything can fail: no need to watch it
            try:
                await send(
                    {
                        "type": "http.response.start",
                        "status": response.status_code,
                        "headers": response.raw_headers,
                    }
                )
                await send({"type": "http.response.body", "body": response.body})
                if response.background is not None:
                    await response.background()
            except Exception as exc:  # noqa: BLE001 - handled or raised again by handle_exception
                await handle_exception(exc, request, True, scope, receive, send)
            return
        watch = ResponseWatch(send)
        try:
            await response(scope, receive, watch.watch)
        except Exception as exc:  # noqa: BLE001 - handled or raised again by handle_exception
            await handle_exception(exc, request, watch.started, scope, receive, send)

    return app


def websocket_session(
    func: Callable[[WebSocket], Awaitable[None]], *, max_message_size: int | None = None
) -> ASGIApp:
    """An ASGI app calling ``await func(websocket)``.

    ``WebSocketException`` closes with its code; ``HTTPException`` before ``accept``
    becomes a denial response (or a 1008/1011 close); other handlers apply as for HTTP.
    ``max_message_size`` is passed on to the :class:`~asgi_websockets.WebSocket`. A
    ``WebSocketDisconnect`` that escapes ``func`` goes up to the server, as in Starlette
    (an exception handler registered for it still applies); a ``WebSocketMessageTooBig``
    ends the session quietly, since the WebSocket already closed with 1009.
    """

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send, max_message_size=max_message_size)
        try:
            await func(websocket)
        except WebSocketMessageTooBig:
            pass  # the WebSocket closed with 1009 already: nothing is left to answer
        except Exception as exc:  # noqa: BLE001 - handled or raised again by handle_exception
            await handle_exception(exc, websocket, False, scope, receive, send)

    return app
