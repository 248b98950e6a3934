"""Laid out like ``starlette.responses`` (names from asgi-responses)."""

from asgi_responses import (
    EventSourceResponse,
    FileResponse,
    HTMLResponse,
    JSONResponse,
    MalformedRangeHeader,
    PlainTextResponse,
    RangeNotSatisfiable,
    RedirectResponse,
    Response,
    ServerSentEvent,
    StreamingResponse,
)

__all__ = [
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "MalformedRangeHeader",
    "PlainTextResponse",
    "RangeNotSatisfiable",
    "RedirectResponse",
    "Response",
    "ServerSentEvent",
    "StreamingResponse",
]
