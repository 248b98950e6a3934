"""asgi-websockets: WebSocket connections for ASGI applications.

``WebSocket`` (accept, send/receive text, bytes and JSON, close, denial responses, a
maximum message size), ``WebSocketState``, ``WebSocketClose``, ``WebSocketDisconnected``
(a connection used where it cannot be) and ``WebSocketDisconnect`` (the one class
asgi-core defines, re-exported).
"""

from asgi_core import WebSocketDisconnect
from asgi_websockets._close import WebSocketClose
from asgi_websockets._errors import WebSocketDisconnected, WebSocketMessageTooBig
from asgi_websockets._state import WebSocketState
from asgi_websockets._websocket import WebSocket

__version__ = "0.1.0"

__all__ = [
    "WebSocket",
    "WebSocketClose",
    "WebSocketDisconnect",
    "WebSocketDisconnected",
    "WebSocketMessageTooBig",
    "WebSocketState",
    "__version__",
]
