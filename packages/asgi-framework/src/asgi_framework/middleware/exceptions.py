"""``ExceptionMiddleware``: exception handlers by class and by status code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from asgi_core import HTTPException, Request, WebSocketException
from asgi_core.scope_keys import EXCEPTION_APP, EXCEPTION_HANDLERS
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_framework._errors import ERROR_SEND, SendSlot
from asgi_responses import Response, ResponseWatch
from asgi_routing import (
    call_exception_handler,
    find_exception_handler,
    http_exception_handler,
    websocket_exception_handler,
)
from asgi_websockets import WebSocket, WebSocketState

__all__ = ["ExceptionMiddleware"]

Handler = Callable[[Any, Exception], Any]


class ExceptionMiddleware:
    """Dispatch exceptions to handlers: by status code for ``HTTPException``, else by class.

    The most specific class wins (the exception's MRO is searched in order). Handlers may be
    sync or async and receive ``(request, exc)`` (``(websocket, exc)`` on WebSockets). The
    handlers are also published in the scope under ``"starlette.exception_handlers"`` so
    that endpoints apply them where the exception is raised. The defaults are asgi-routing's
    :func:`~asgi_routing.http_exception_handler` (plain text, no body for 204/304; on a
    WebSocket a denial response, or a 1008/1011 close) and
    :func:`~asgi_routing.websocket_exception_handler` (close with the code and reason), the
    same that a ``Router`` used alone applies.

    An exception no handler takes is raised again, up through the user middleware, to
    ``ServerErrorMiddleware``; the ``send`` this middleware was given is left for it in the
    scope, so that its 500 can travel back down through the user middleware. An exception a
    handler takes once the response has started cannot be answered: ``RuntimeError("Caught
    handled exception, but response already started.")`` is raised from it. A handled
    exception's ``__traceback__`` is cleared once its response is sent, as in Starlette, so
    that the frames it holds are freed.
    """

    def __init__(
        self,
        app: ASGIApp,
        handlers: Mapping[Any, Handler] | None = None,
        debug: bool = False,
    ) -> None:
        self.app = app
        self.debug = debug
        self._status_handlers: dict[int, Handler] = {}
        http_exception: Handler = self.http_exception
        if type(self).http_exception is ExceptionMiddleware.http_exception:
            # what it calls: a router can then tell the default answer (EXCEPTION_APP)
            http_exception = http_exception_handler
        self._exception_handlers: dict[type[BaseException], Handler] = {
            HTTPException: http_exception,
            WebSocketException: self.websocket_exception,
        }
        #: The live registries, ``(by_class, by_status_code)``, as published in the scope
        #: (built once: the dicts inside stay the registries).
        self.handlers = (self._exception_handlers, self._status_handlers)
        for key, value in (handlers or {}).items():
            self.add_exception_handler(key, value)

    def add_exception_handler(
        self, exc_class_or_status_code: int | type[BaseException], handler: Handler
    ) -> None:
        """Handle an exception class, or ``HTTPException``s of a status code."""
        if isinstance(exc_class_or_status_code, int):
            self._status_handlers[exc_class_or_status_code] = handler
        else:
            self._exception_handlers[exc_class_or_status_code] = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope[EXCEPTION_HANDLERS] = self.handlers
        scope[EXCEPTION_APP] = self.app
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        slot = scope.get(ERROR_SEND)
        watch: ResponseWatch | None = None
        if isinstance(slot, SendSlot):
            slot.send = send  # the innermost one wins: it is called last
            if getattr(send, "__self__", None) is slot:
                # send is ServerErrorMiddleware's watch: every message goes through it, so
                # its note of the response start is ours, without wrapping send once more
                watch = slot
        watched = send
        if watch is None:
            watch = ResponseWatch(send)
            watched = watch.watch
        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if not await self.answer_http(exc, scope, receive, send, watch.started):
                raise

    async def answer_http(
        self, exc: Exception, scope: Scope, receive: Receive, send: Send, started: bool
    ) -> bool:
        """Answer ``exc``, raised inside an HTTP request, with its handler.

        Returns ``False`` when no handler takes it (the caller raises it again);
        ``started`` says whether the response had started (then a handled exception
        cannot be answered: ``RuntimeError``).
        """
        handler = find_exception_handler(self.handlers, exc)
        if handler is None:
            return False
        if started:
            raise RuntimeError("Caught handled exception, but response already started.") from exc
        request = Request(scope, receive, send)
        await call_exception_handler(handler, request, exc, scope, receive, send)
        exc.__traceback__ = None
        return True

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        # the handlers get a WebSocket in the state the application left the connection in
        state = WebSocketState.CONNECTING

        async def watching_send(message: Message) -> None:
            nonlocal state
            kind = message["type"]
            if kind == "websocket.accept":
                state = WebSocketState.CONNECTED
            elif kind == "websocket.close":
                state = WebSocketState.DISCONNECTED
            elif kind == "websocket.http.response.start":
                state = WebSocketState.RESPONSE
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            handler = find_exception_handler(self.handlers, exc)
            if handler is None:
                raise
            websocket = WebSocket(scope, receive, send)
            websocket.application_state = state
            await call_exception_handler(handler, websocket, exc, scope, receive, send)
            exc.__traceback__ = None

    async def http_exception(self, request: Request, exc: Exception) -> Response | None:
        """The default answer to an ``HTTPException``: asgi-routing's ``http_exception_handler``."""
        return await http_exception_handler(request, exc)

    async def websocket_exception(self, websocket: WebSocket, exc: Exception) -> None:
        """The default answer to a ``WebSocketException``: asgi-routing's
        ``websocket_exception_handler`` (close with its code and reason)."""
        await websocket_exception_handler(websocket, exc)
