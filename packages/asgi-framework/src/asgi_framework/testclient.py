"""Laid out like ``starlette.testclient`` (names from asgi-testing)."""

from asgi_testing import (
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
