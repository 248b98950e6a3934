"""Laid out like ``starlette.testclient`` (names from asgi-testing, the ``testing`` extra).

``pip install 'asgi-framework[testing]'`` installs asgi-testing (and httpx); without it,
importing this module raises an ``ImportError`` that says so.
"""

from asgi_framework._extras import missing_extra

try:
    from asgi_testing import (
        ASGIProtocolError,
        AsyncTestClient,
        TestClient,
        WebSocketDenialResponse,
        WebSocketTestSession,
    )
except ImportError as exc:
    raise missing_extra(__name__, "testing") from exc

__all__ = [
    "ASGIProtocolError",
    "AsyncTestClient",
    "TestClient",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
]
