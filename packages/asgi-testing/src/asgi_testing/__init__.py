"""asgi-testing: a test client for any ASGI application.

``TestClient`` (sync) and ``AsyncTestClient`` (async, asyncio and trio) are httpx clients
(httpx2 when installed) whose transport calls the application directly: lifespan,
WebSockets, streaming responses with backpressure, trailers, ASGI 2 apps, and clear errors
(never a hang) when the application misbehaves.
"""

from asgi_core import WebSocketDisconnect
from asgi_testing._async_client import AsyncTestClient
from asgi_testing._client import TestClient
from asgi_testing._errors import ASGIProtocolError, WebSocketDenialResponse
from asgi_testing._websocket import AsyncWebSocketTestSession, WebSocketTestSession

__version__ = "0.1.0"

__all__ = [
    "ASGIProtocolError",
    "AsyncTestClient",
    "AsyncWebSocketTestSession",
    "TestClient",
    "WebSocketDenialResponse",
    "WebSocketDisconnect",
    "WebSocketTestSession",
    "__version__",
]
