from __future__ import annotations

from typing import Literal

import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_testing import TestClient, WebSocketDisconnect
from asgi_websockets import WebSocketClose


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_close_app(backend: Literal["asyncio", "trio"]) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await WebSocketClose(code=1013, reason="try later")(scope, receive, send)

    with pytest.raises(WebSocketDisconnect) as info:
        with TestClient(app, backend=backend).websocket_connect("/"):
            pass  # pragma: no cover - refused
    assert (info.value.code, info.value.reason) == (1013, "try later")


def test_defaults() -> None:
    close = WebSocketClose()
    assert (close.code, close.reason) == (1000, "")
