"""``WebSocketClose``: an ASGI app that closes (or refuses) a WebSocket."""

from __future__ import annotations

from asgi_core.types import Receive, Scope, Send

__all__ = ["WebSocketClose"]


class WebSocketClose:
    """Send ``websocket.close`` with ``code`` and ``reason``.

    Before the connection is accepted this refuses it (the client sees HTTP 403).
    """

    def __init__(self, code: int = 1000, reason: str | None = None) -> None:
        self.code = code
        self.reason = reason or ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "websocket.close", "code": self.code, "reason": self.reason})
