"""One WebSocket session with an ASGI application, on an event loop.

The sync and async sessions both drive this class: it runs the application as a task,
passes messages both ways through unbounded in-memory queues, performs the handshake
(accept, close or denial response) and turns a close into ``WebSocketDisconnect``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from asgi_core import WebSocketDisconnect
from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing._apptask import END, AppTask
from asgi_testing._channel import Channel
from asgi_testing._errors import ASGIProtocolError, WebSocketDenialResponse

__all__ = ["WebSocketExchange", "encode_json"]


def encode_json(data: Any, mode: Literal["text", "binary"]) -> Message:
    """The ``websocket.receive`` message carrying ``data`` as compact JSON."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if mode == "text":
        return {"type": "websocket.receive", "text": text}
    return {"type": "websocket.receive", "bytes": text.encode("utf-8")}


def decode_json(message: Message, mode: Literal["text", "binary"]) -> Any:
    """The JSON document in a ``websocket.send`` message."""
    if mode == "text":
        return json.loads(message["text"])
    return json.loads(message["bytes"].decode("utf-8"))


class WebSocketExchange(AppTask):
    """Run ``app`` for one WebSocket connection."""

    def __init__(self, app: ASGIApp, scope: Scope) -> None:
        super().__init__()
        self.app = app
        self.scope = scope
        self.accepted_subprotocol: str | None = None
        self.extra_headers: list[tuple[bytes, bytes]] | None = None
        self._to_app: Channel[Message] = Channel()

    async def run(self) -> None:
        """Run the application to its end; its exception is kept for the client."""
        await self.run_app(lambda: self.app(self.scope, self._to_app.get, self._send))

    async def _send(self, message: Message) -> None:
        self._events.put(message)

    async def send(self, message: Message) -> None:
        """Deliver ``message`` to the application's ``receive``."""
        self._to_app.put(message)

    async def receive(self, timeout: float | None) -> Message:
        """The next message the application sent."""
        if not self.ended:

            def timed_out() -> Exception:
                return TimeoutError(
                    f"The app sent no WebSocket message within {timeout} seconds. Pass a "
                    "larger timeout= to the client if it is just slow."
                )

            event = await self.next_event(timeout, timed_out)
            if event is not END:
                message: Message = event
                return message
        self.raise_app_error()
        raise self._returned()

    def _returned(self) -> WebSocketDisconnect:
        return WebSocketDisconnect(1006, "The application returned without closing the WebSocket.")

    async def connect(self, timeout: float | None) -> None:
        """The handshake: ``websocket.connect``, then accept, close or a denial response."""
        await self.send({"type": "websocket.connect"})
        message = await self.receive(timeout)
        if message["type"] == "websocket.accept":
            self.accepted_subprotocol = message.get("subprotocol")
            self.extra_headers = message.get("headers")
            return
        if message["type"] == "websocket.http.response.start":
            await self._raise_denial(message, timeout)
        check_close(message)
        raise ASGIProtocolError(
            f"The app answered the WebSocket handshake with {message['type']!r}; expected "
            '"websocket.accept", "websocket.close" or "websocket.http.response.start".'
        )

    async def _raise_denial(self, start: Message, timeout: float | None) -> None:
        body: list[bytes] = []
        while True:
            message = await self.receive(timeout)
            if message["type"] != "websocket.http.response.body":
                raise ASGIProtocolError(
                    f"The app sent {message['type']!r} in the middle of a denial response; "
                    'expected "websocket.http.response.body".'
                )
            body.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raise WebSocketDenialResponse(
            status_code=start["status"], headers=start.get("headers", []), content=b"".join(body)
        )

    async def close(self, code: int, reason: str | None, timeout: float | None) -> None:
        """Disconnect (unless the application is done), wait for it to end, raise its error."""
        if not self.ended:
            await self.send({"type": "websocket.disconnect", "code": code, "reason": reason})
            if not await self.wait_for_end(timeout):
                self.cancel()
        self.raise_app_error()


def check_close(message: Message) -> None:
    """Raise ``WebSocketDisconnect`` for a ``websocket.close`` message."""
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason") or "")


def payload(message: Message, key: Literal["text", "bytes"]) -> Any:
    """The ``text`` or ``bytes`` of a ``websocket.send`` message (close -> disconnect)."""
    check_close(message)
    if message["type"] != "websocket.send":
        raise ASGIProtocolError(f"Expected a 'websocket.send' message, got {message['type']!r}.")
    if message.get(key) is None:
        other = "bytes" if key == "text" else "text"
        raise ASGIProtocolError(
            f"Expected a {key} message but the app sent {other}: {message.get(other)!r}."
        )
    return message[key]
