"""``RequestBodyLimitMiddleware``: a request body size limit for any ASGI application."""

from __future__ import annotations

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_bodylimit._errors import checked_max_body_size
from asgi_middleware_bodylimit._responder import RequestBodyLimitResponder

__all__ = ["RequestBodyLimitMiddleware"]


class RequestBodyLimitMiddleware:
    """Limit every HTTP request body to ``max_body_size`` bytes (``None``: no limit).

    A body over the limit is answered ``413 Content Too Large``: at once when its
    ``Content-Length`` says so (nothing is read), and as soon as the bytes received cross
    the limit when it has none (chunked, streamed). An invalid ``Content-Length``
    (negative, not digits, conflicting values) is answered ``400`` with a message. The
    application sees the errors as exceptions from ``receive()``
    (:class:`RequestBodyTooLarge`, :class:`InvalidContentLength`, both
    ``HTTPException``), so exception handlers can answer them.

    The limit in force is in ``scope["starlette.max_body_size"]``
    (:data:`MAX_BODY_SIZE_SCOPE_KEY`). Another ``RequestBodyLimitMiddleware`` (or
    :class:`RequestBodyLimitResponder`) inside this one, around a route, replaces the
    limit for the requests it handles: the innermost limit wins. WebSocket and lifespan
    scopes pass through.
    """

    def __init__(self, app: ASGIApp, max_body_size: int | None) -> None:
        self.app = app
        self.max_body_size = checked_max_body_size(max_body_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the application with the limit on HTTP requests; pass other scopes on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await RequestBodyLimitResponder(self.app, self.max_body_size)(scope, receive, send)
