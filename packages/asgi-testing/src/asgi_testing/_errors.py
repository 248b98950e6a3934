"""Errors the test client raises for a misbehaving application."""

from __future__ import annotations

from asgi_core import WebSocketDisconnect
from asgi_testing._httpx import httpx

__all__ = ["ASGIProtocolError", "WebSocketDenialResponse"]


class ASGIProtocolError(RuntimeError):
    """The application broke the ASGI protocol (two response starts, no response, ...).

    The message says what the application did and what it should have done.
    """


class WebSocketDenialResponse(httpx.Response, WebSocketDisconnect):  # type: ignore[misc]
    """The application refused the WebSocket with an HTTP response.

    Raised by ``websocket_connect`` when the application sends a denial response (the
    WebSocket Denial Response extension) instead of accepting. It is both the
    ``httpx.Response`` (``status_code``, ``headers``, ``text``, ``json()``) and a
    ``WebSocketDisconnect``, so ``pytest.raises(WebSocketDisconnect)`` also catches it.
    """
