"""``ServerErrorMiddleware``: the outermost safety net, answering 500 for unhandled errors."""

from __future__ import annotations

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_framework._errors import ErrorHandler, error_response

__all__ = ["ServerErrorMiddleware"]


class ServerErrorMiddleware:
    """Answer ``500`` when an exception reaches the top, then raise it for the server's log.

    ``handler(request, exc)`` renders the 500 (the application's ``500``/``Exception``
    handler); with ``debug=True`` the debug page is shown instead. When the response had
    already started, the exception is raised again without a second response start.
    The application's :class:`~asgi_framework.middleware.exceptions.ExceptionMiddleware`
    usually answers first (below the user middleware, so CORS and similar headers reach the
    500); this one catches what user middleware itself raises.
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
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            if not started:
                response = await error_response(Request(scope), exc, self.handler, self.debug)
                await response(scope, receive, send)
            raise
