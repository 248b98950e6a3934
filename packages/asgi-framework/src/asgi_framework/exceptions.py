"""Laid out like ``starlette.exceptions`` (names from asgi-core).

``StarletteDeprecationWarning`` is the family's :class:`AsgiDeprecationWarning` under
Starlette's name (the same class), so ``filterwarnings`` lines written for Starlette keep
working after the import root is renamed.
"""

from asgi_core.exceptions import (
    AsgiDeprecationWarning,
    HTTPException,
    WebSocketDisconnect,
    WebSocketException,
)

#: ``AsgiDeprecationWarning`` under Starlette's name (the same class).
StarletteDeprecationWarning = AsgiDeprecationWarning

__all__ = [
    "AsgiDeprecationWarning",
    "HTTPException",
    "StarletteDeprecationWarning",
    "WebSocketDisconnect",
    "WebSocketException",
]
