"""Laid out like ``starlette.exceptions`` (names from asgi-core)."""

from asgi_core.exceptions import (
    AsgiDeprecationWarning,
    HTTPException,
    WebSocketDisconnect,
    WebSocketException,
)

__all__ = ["AsgiDeprecationWarning", "HTTPException", "WebSocketDisconnect", "WebSocketException"]
