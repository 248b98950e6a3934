"""``ServerErrorMiddleware``: the outermost safety net, answering 500 for unhandled errors."""

from __future__ import annotations

from asgi_core import Request, is_async_callable, run_in_threadpool
from asgi_core.scope_keys import EXCEPTION_APP, EXCEPTION_HANDLERS
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_framework._debug_page import debug_html, debug_text
from asgi_framework._errors import (
    ERROR_SEND,
    ErrorHandler,
    SendSlot,
    send_through_user_middleware,
)
from asgi_framework.middleware.exceptions import ExceptionMiddleware
from asgi_responses import HTMLResponse, PlainTextResponse, Response
from asgi_routing import Router

__all__ = ["ServerErrorMiddleware"]


class ServerErrorMiddleware:
    """Answer ``500`` when an exception reaches the top, then raise it for the server's log.

    Outermost in an application, as in Starlette, so it sees every exception, also those
    user middleware raise. Without ``debug``, ``handler(request, exc)`` (the application's
    ``500``/``Exception`` handler; sync ones run in the thread pool) renders the 500, else
    :meth:`error_response`; with ``debug=True``, :meth:`debug_response` (the debug page).
    The ``request`` has no body to read: the application may have read it already.

    The 500 travels back through the user middleware where possible, so that the headers
    they add (CORS and the like) reach it: the innermost ``ExceptionMiddleware`` leaves the
    ``send`` it was given (wrapped by every user middleware) in the scope; without one, or if
    that chain can no longer deliver the response, it goes straight to the server.

    The exception is always raised again. When the response had already started, nothing
    more is sent (never a second response start); the handler is still called, for its side
    effects (reporting the error), and its response is dropped, as Starlette does.
    """

    def __init__(
        self, app: ASGIApp, handler: ErrorHandler | None = None, debug: bool = False
    ) -> None:
        self.app = app
        self.handler = handler
        self.debug = debug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # one object per request: the response watch, and the slot ExceptionMiddleware fills
        slot = scope[ERROR_SEND] = SendSlot(send)
        watch = slot.watch
        app = self.app
        try:
            if type(app) is ExceptionMiddleware:
                # the exception middleware right inside (an App without user middleware):
                # its work for an HTTP request, done here, saves a frame on every request
                # (the exact class: a subclass may do more, and is called as it is)
                exceptions: ExceptionMiddleware = app
                slot.send = watch
                scope[EXCEPTION_HANDLERS] = exceptions.handlers
                inner = scope[EXCEPTION_APP] = exceptions.app
                if type(inner) is Router:
                    inner = inner.middleware_stack  # what its __call__ calls
                try:
                    await inner(scope, receive, watch)
                except Exception as exc:
                    if not await exceptions.answer_http(exc, scope, receive, watch, slot.started):
                        raise
            else:
                await app(scope, receive, watch)
        except Exception as exc:
            request = Request(scope)
            response: Response | None = None
            if self.debug:
                if not slot.started:
                    response = self.debug_response(request, exc)
            elif self.handler is not None:
                if is_async_callable(self.handler):
                    response = await self.handler(request, exc)
                else:
                    response = await run_in_threadpool(self.handler, request, exc)
            elif not slot.started:
                response = self.error_response(request, exc)
            if response is not None and not slot.started:
                await send_through_user_middleware(
                    response, scope, receive, slot.send, slot.watch, lambda: slot.started
                )
            raise
        finally:
            # The slot refers to the server's send, which refers to the server's state of
            # this request, which holds the scope: once the request is over, the slot leaves
            # the scope and forgets the inner send, so that no reference cycle outlives the
            # request (each one would wait for the garbage collector).
            slot.send = None
            left = scope.pop(ERROR_SEND, None)
            if left is not slot and left is not None:  # not ours: put it back
                scope[ERROR_SEND] = left

    def error_response(self, request: Request, exc: Exception) -> Response:
        """The 500 without ``debug`` and without a handler: ``Internal Server Error``."""
        return PlainTextResponse("Internal Server Error", status_code=500)

    def debug_response(self, request: Request, exc: Exception) -> Response:
        """The debug page: HTML for clients that accept it, the plain traceback otherwise."""
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(debug_html(request, exc), status_code=500)
        return PlainTextResponse(debug_text(exc), status_code=500)
