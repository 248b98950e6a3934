"""Class-based endpoints: ``HTTPEndpoint`` and ``WebSocketEndpoint``."""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from typing import Any, ClassVar, Literal

from asgi_core import HTTPException, Request, is_async_callable, run_in_threadpool, status
from asgi_core.scope_keys import APP
from asgi_core.types import Message, Receive, Scope, Send
from asgi_responses import PlainTextResponse, Response
from asgi_routing._exception_handling import handle_exception
from asgi_websockets import WebSocket

__all__ = ["HTTPEndpoint", "WebSocketEndpoint"]

#: The HTTP methods an endpoint class can serve; nothing else reaches its attributes.
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY")


class HTTPEndpoint:
    """A class whose ``get``/``post``/... methods serve the HTTP methods of one route.

    Only real HTTP method names are looked up: a request with the method ``_DO_DELETE`` gets
    ``405``, never the attribute ``_do_delete``. ``HEAD`` uses ``get`` when there is no
    ``head``. Handlers may be sync (run in the thread pool) or async.
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"HTTPEndpoint needs an 'http' scope, got a {scope['type']!r} scope.")
        self.scope = scope
        self.receive = receive
        self.send = send
        self._allowed_methods = [
            method
            for method in HTTP_METHODS
            if getattr(self, method.lower(), None) is not None
            or (method == "HEAD" and getattr(self, "get", None) is not None)
        ]

    def __await__(self) -> Generator[Any, None, None]:
        return self.dispatch().__await__()

    async def dispatch(self) -> None:
        """Call the handler of the request's method and send its response."""
        request = Request(self.scope, receive=self.receive, send=self.send)
        method = request.method
        handler: Callable[[Request], Any]
        if method in self._allowed_methods:
            name = (
                "get"
                if method == "HEAD" and getattr(self, "head", None) is None
                else method.lower()
            )
            handler = getattr(self, name)
        else:
            handler = self.method_not_allowed
        try:
            if is_async_callable(handler):
                response = await handler(request)
            else:
                response = await run_in_threadpool(handler, request)
        except Exception as exc:  # noqa: BLE001 - handled or raised again by handle_exception
            await handle_exception(exc, request, False, self.scope, self.receive, self.send)
            return
        await response(self.scope, self.receive, self.send)

    async def method_not_allowed(self, request: Request) -> Response:
        """405 with ``Allow``; inside an application, raised for its exception handlers."""
        headers = {"Allow": ", ".join(self._allowed_methods)}
        if APP in self.scope:
            raise HTTPException(status_code=405, headers=headers)
        return PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)


class WebSocketEndpoint:
    """A class with ``on_connect``/``on_receive``/``on_disconnect`` for one WebSocket route.

    :attr:`encoding` (``"text"``, ``"bytes"``, ``"json"`` or ``None``) decides what
    ``on_receive`` gets; a message of the wrong kind closes the connection with 1003.
    """

    encoding: ClassVar[Literal["text", "bytes", "json"] | None] = None

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            raise ValueError(
                f"WebSocketEndpoint needs a 'websocket' scope, got a {scope['type']!r} scope."
            )
        self.scope = scope
        self.receive = receive
        self.send = send

    def __await__(self) -> Generator[Any, None, None]:
        return self.dispatch().__await__()

    async def dispatch(self) -> None:
        """Accept, pass every message to ``on_receive``, then call ``on_disconnect``."""
        websocket = WebSocket(self.scope, receive=self.receive, send=self.send)
        try:
            await self.on_connect(websocket)
        except Exception as exc:  # noqa: BLE001 - handled or raised again by handle_exception
            await handle_exception(exc, websocket, False, self.scope, self.receive, self.send)
            return
        close_code = status.WS_1000_NORMAL_CLOSURE
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.receive":
                    await self.on_receive(websocket, await self.decode(websocket, message))
                else:  # "websocket.disconnect", the only other message after the connect
                    close_code = int(message.get("code") or status.WS_1000_NORMAL_CLOSURE)
                    break
        except Exception as exc:  # noqa: BLE001 - handled or raised again by handle_exception
            close_code = status.WS_1011_INTERNAL_ERROR
            try:
                await handle_exception(exc, websocket, False, self.scope, self.receive, self.send)
            finally:
                await self.on_disconnect(websocket, close_code)
            return
        await self.on_disconnect(websocket, close_code)

    async def decode(self, websocket: WebSocket, message: Message) -> Any:
        """The payload of ``message`` according to :attr:`encoding`."""
        if self.encoding == "text":
            if "text" not in message:
                await websocket.close(code=status.WS_1003_UNSUPPORTED_DATA)
                raise RuntimeError("Expected text websocket messages, but got bytes")
            return message["text"]
        if self.encoding == "bytes":
            if "bytes" not in message:
                await websocket.close(code=status.WS_1003_UNSUPPORTED_DATA)
                raise RuntimeError("Expected bytes websocket messages, but got text")
            return message["bytes"]
        if self.encoding == "json":
            text = (
                message["text"]
                if message.get("text") is not None
                else message["bytes"].decode("utf-8")
            )
            try:
                return json.loads(text)
            # JSONDecodeError, and what Python's parser cannot take: an integer of more than
            # 4300 digits (ValueError), arrays nested past the recursion limit
            except (ValueError, RecursionError):
                await websocket.close(code=status.WS_1003_UNSUPPORTED_DATA)
                raise RuntimeError("Malformed JSON data received.") from None
        if self.encoding is not None:
            raise RuntimeError(f"Unsupported 'encoding' attribute {self.encoding!r}")
        return message["text"] if message.get("text") else message["bytes"]

    async def on_connect(self, websocket: WebSocket) -> None:
        """Called first; accepts the connection by default."""
        await websocket.accept()

    async def on_receive(self, websocket: WebSocket, data: Any) -> None:
        """Called for every message, decoded by :attr:`encoding`."""

    async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
        """Called when the connection ends, with the close code."""
