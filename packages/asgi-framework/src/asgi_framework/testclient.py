"""Laid out like ``starlette.testclient`` (names from asgi-testclient)."""

from asgi_testclient import (
    ASGIProtocolError,
    AsyncTestClient,
    TestClient,
    WebSocketDenialResponse,
    WebSocketTestSession,
)

__all__ = [
    "ASGIProtocolError",
    "AsyncTestClient",
    "TestClient",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
]
