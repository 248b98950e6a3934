"""WebSocket sessions of the sync and async test clients."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from types import TracebackType
from typing import Any, Literal

import anyio.from_thread
from typing_extensions import Self

from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing._websocket_exchange import WebSocketExchange, decode_json, encode_json, payload

__all__ = ["AsyncWebSocketTestSession", "WebSocketTestSession"]

PortalFactory = Callable[[], AbstractContextManager[anyio.from_thread.BlockingPortal]]


class _HandshakeInfo:
    """What the app said when it accepted: shared by the sync and async sessions."""

    _exchange: WebSocketExchange

    @property
    def accepted_subprotocol(self) -> str | None:
        """The subprotocol the app accepted, if any."""
        return self._exchange.accepted_subprotocol

    @property
    def extra_headers(self) -> list[tuple[bytes, bytes]] | None:
        """The extra headers the app sent with ``websocket.accept``."""
        return self._exchange.extra_headers


class WebSocketTestSession(_HandshakeInfo):
    """A WebSocket connection to the application, used from sync tests.

    ``with client.websocket_connect("/ws") as ws:`` performs the handshake on entry (raising
    ``WebSocketDisconnect`` if the app closes, or ``WebSocketDenialResponse`` if it answers
    with an HTTP response) and disconnects on exit, re-raising any exception of the app.
    """

    def __init__(
        self, app: ASGIApp, scope: Scope, portal_factory: PortalFactory, timeout: float | None
    ) -> None:
        self.app = app
        self.scope = scope
        self.timeout = timeout
        self._portal_factory = portal_factory
        self._exchange = WebSocketExchange(app, scope)
        self._stack = ExitStack()

    def __enter__(self) -> Self:
        with ExitStack() as stack:
            self.portal = stack.enter_context(self._portal_factory())
            self.portal.start_task_soon(self._exchange.run)
            stack.callback(self.portal.call, self._exchange.cancel)
            self.portal.call(self._exchange.connect, self.timeout)
            self._stack = stack.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._stack:
            self.portal.call(self._exchange.close, 1000, None, self.timeout)

    def send(self, message: Message) -> None:
        """Send a raw ASGI message to the app's ``receive``."""
        self.portal.call(self._exchange.send, message)

    def send_text(self, data: str) -> None:
        """Send a text message."""
        self.send({"type": "websocket.receive", "text": data})

    def send_bytes(self, data: bytes) -> None:
        """Send a binary message."""
        self.send({"type": "websocket.receive", "bytes": data})

    def send_json(self, data: Any, mode: Literal["text", "binary"] = "text") -> None:
        """Send ``data`` as compact JSON in a text (default) or binary message."""
        self.send(encode_json(data, mode))

    def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Tell the app the client disconnected with ``code``."""
        self.send({"type": "websocket.disconnect", "code": code, "reason": reason})

    def receive(self) -> Message:
        """The next raw ASGI message the app sent."""
        return self.portal.call(self._exchange.receive, self.timeout)

    def receive_text(self) -> str:
        """The next text message (``WebSocketDisconnect`` if the app closed)."""
        text: str = payload(self.receive(), "text")
        return text

    def receive_bytes(self) -> bytes:
        """The next binary message (``WebSocketDisconnect`` if the app closed)."""
        data: bytes = payload(self.receive(), "bytes")
        return data

    def receive_json(self, mode: Literal["text", "binary"] = "text") -> Any:
        """The next message decoded as JSON."""
        message = self.receive()
        payload(message, "text" if mode == "text" else "bytes")
        return decode_json(message, mode)


class AsyncWebSocketTestSession(_HandshakeInfo):
    """A WebSocket connection to the application, used from async tests.

    ``async with client.websocket_connect("/ws") as ws:`` then ``await ws.send_text(...)``
    and ``await ws.receive_text()``; same semantics as :class:`WebSocketTestSession`.
    """

    def __init__(self, app: ASGIApp, scope: Scope, timeout: float | None) -> None:
        self.app = app
        self.scope = scope
        self.timeout = timeout
        self._exchange = WebSocketExchange(app, scope)

    async def __aenter__(self) -> Self:
        self._task_group = anyio.create_task_group()
        await self._task_group.__aenter__()
        self._task_group.start_soon(self._exchange.run)
        try:
            await self._exchange.connect(self.timeout)
        except BaseException:
            self._exchange.cancel()
            await self._task_group.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._exchange.close(1000, None, self.timeout)
        finally:
            self._exchange.cancel()
            await self._task_group.__aexit__(None, None, None)

    async def send(self, message: Message) -> None:
        """Send a raw ASGI message to the app's ``receive``."""
        await self._exchange.send(message)

    async def send_text(self, data: str) -> None:
        """Send a text message."""
        await self.send({"type": "websocket.receive", "text": data})

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary message."""
        await self.send({"type": "websocket.receive", "bytes": data})

    async def send_json(self, data: Any, mode: Literal["text", "binary"] = "text") -> None:
        """Send ``data`` as compact JSON in a text (default) or binary message."""
        await self.send(encode_json(data, mode))

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Tell the app the client disconnected with ``code``."""
        await self.send({"type": "websocket.disconnect", "code": code, "reason": reason})

    async def receive(self) -> Message:
        """The next raw ASGI message the app sent."""
        return await self._exchange.receive(self.timeout)

    async def receive_text(self) -> str:
        """The next text message (``WebSocketDisconnect`` if the app closed)."""
        text: str = payload(await self.receive(), "text")
        return text

    async def receive_bytes(self) -> bytes:
        """The next binary message (``WebSocketDisconnect`` if the app closed)."""
        data: bytes = payload(await self.receive(), "bytes")
        return data

    async def receive_json(self, mode: Literal["text", "binary"] = "text") -> Any:
        """The next message decoded as JSON."""
        message = await self.receive()
        payload(message, "text" if mode == "text" else "bytes")
        return decode_json(message, mode)
