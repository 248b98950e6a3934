"""``PlainTextResponse`` and ``HTMLResponse``."""

from __future__ import annotations

from asgi_responses._base import Response

__all__ = ["HTMLResponse", "PlainTextResponse"]


class PlainTextResponse(Response):
    """A ``text/plain; charset=utf-8`` response."""

    media_type = "text/plain"


class HTMLResponse(Response):
    """A ``text/html; charset=utf-8`` response."""

    media_type = "text/html"
