"""Every async test runs on asyncio and trio; so does every sync TestClient."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_testing import TestClient
from asgi_websockets import WebSocket


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["asyncio", "trio"])
def client_for(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``client_for(handler)``: a TestClient whose app runs ``await handler(websocket)``."""

    def factory(handler: Callable[[WebSocket], Awaitable[Any]], **options: Any) -> TestClient:
        max_size = options.pop("max_message_size", None)

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await handler(WebSocket(scope, receive, send, max_message_size=max_size))

        return TestClient(app, backend=request.param, **options)

    return factory
