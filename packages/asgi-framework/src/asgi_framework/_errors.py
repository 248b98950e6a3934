"""Rendering the response for an exception nobody handled: the 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgi_core import Request, is_async_callable, run_in_threadpool
from asgi_framework._debug_page import debug_html, debug_text
from asgi_responses import HTMLResponse, PlainTextResponse

__all__ = ["ErrorHandler", "error_response"]

#: ``handler(request, exc)`` returning a response (sync or async).
ErrorHandler = Callable[[Request, Exception], Any]


async def error_response(
    request: Request, exc: Exception, handler: ErrorHandler | None, debug: bool
) -> Any:
    """The response for an unhandled ``exc``.

    With ``debug``: the debug page (HTML when the client accepts it, text otherwise).
    Else the application's 500/``Exception`` handler, if any. Else a plain
    ``500 Internal Server Error``.
    """
    if debug:
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(debug_html(request, exc), status_code=500)
        return PlainTextResponse(debug_text(exc), status_code=500)
    if handler is not None:
        if is_async_callable(handler):
            return await handler(request, exc)
        return await run_in_threadpool(handler, request, exc)
    return PlainTextResponse("Internal Server Error", status_code=500)
