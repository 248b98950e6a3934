"""``WebSocket``: one WebSocket connection, with the protocol checked at every step."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from typing import Any, Literal

from asgi_core import HTTPConnection, WebSocketDisconnect
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_websockets._errors import WebSocketDisconnected, WebSocketMessageTooBig
from asgi_websockets._state import WebSocketState

__all__ = ["WebSocket"]

_MODES = ("text", "binary")

_WRONG_KIND = {
    "text": (
        "Expected a text message, but the client sent bytes. Use receive_bytes() or "
        'receive_json(mode="binary") for binary messages, or receive() for either kind.'
    ),
    "bytes": (
        "Expected a bytes message, but the client sent text. Use receive_text() or "
        'receive_json(mode="text") for text messages, or receive() for either kind.'
    ),
}


def _too_big(value: str | bytes, limit: int) -> bool:
    """Whether ``value`` is longer than ``limit`` bytes (UTF-8 encoded, for text)."""
    size = len(value)
    if size > limit:
        return True
    # a character is 1 to 4 bytes in UTF-8: encode only when that can make a difference
    if isinstance(value, bytes) or size * 4 <= limit:
        return False
    return len(value.encode("utf-8", "surrogatepass")) > limit


_CONNECTED = WebSocketState.CONNECTED
_DISCONNECTED = WebSocketState.DISCONNECTED


def _unexpected(kind: str) -> str:
    return f'Expected ASGI message "websocket.receive" or "websocket.disconnect", but got {kind!r}'


def _check_mode(mode: str) -> None:
    if mode not in _MODES:
        raise RuntimeError('The "mode" argument should be "text" or "binary".')


class WebSocket(HTTPConnection):
    """A WebSocket connection: ``accept()``, ``send_*``/``receive_*``, ``close()``.

    Every message is checked against the ASGI WebSocket protocol, with Starlette's
    messages: a message of the wrong kind for the state (sending before accepting) raises
    ``RuntimeError``; using a connection that is closed on that side (sending or closing
    after the close, receiving after the client's disconnect, ``receive_text`` before
    ``accept``) raises :class:`WebSocketDisconnected`, a ``RuntimeError`` subclass.
    ``max_message_size`` bounds, in bytes (UTF-8 for text), what ``receive_text``,
    ``receive_bytes`` and ``receive_json`` accept: a larger message closes the connection
    with code 1009 (message too big) and raises :class:`WebSocketMessageTooBig`, a
    ``WebSocketDisconnect`` with code 1009.
    """

    #: the default for ``max_message_size`` (``None``: no limit beyond the server's own)
    max_message_size: int | None = None
    #: whether ``send`` and ``receive`` are this class's own: then ``receive_text``,
    #: ``receive_bytes``, ``send_text`` and ``send_bytes`` do their common case themselves,
    #: a call less per message; a subclass overriding either is called as before
    _own_send_receive = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._own_send_receive = cls.send is WebSocket.send and cls.receive is WebSocket.receive

    def __init__(
        self, scope: Scope, receive: Receive, send: Send, *, max_message_size: int | None = None
    ) -> None:
        super().__init__(scope)
        if scope["type"] != "websocket":
            raise ValueError(f"WebSocket needs a 'websocket' scope, got a {scope['type']!r} scope.")
        self._receive = receive
        self._send = send
        self.client_state = WebSocketState.CONNECTING
        self.application_state = WebSocketState.CONNECTING
        if max_message_size is not None:
            self.max_message_size = max_message_size

    async def receive(self) -> Message:
        """The next message from the client (``websocket.connect``/``receive``/``disconnect``)."""
        if self.client_state == WebSocketState.CONNECTING:
            message = await self._receive()
            kind = message["type"]
            if kind != "websocket.connect":
                raise RuntimeError(f'Expected ASGI message "websocket.connect", but got {kind!r}')
            self.client_state = WebSocketState.CONNECTED
            return message
        if self.client_state == WebSocketState.CONNECTED:
            message = await self._receive()
            kind = message["type"]
            if kind not in ("websocket.receive", "websocket.disconnect"):
                raise RuntimeError(_unexpected(kind))
            if kind == "websocket.disconnect":
                self.client_state = WebSocketState.DISCONNECTED
            return message
        raise WebSocketDisconnected(
            'Cannot call "receive" once a disconnect message has been received.'
        )

    async def send(self, message: Message) -> None:
        """Send one ASGI message to the client, checking it fits the connection's state."""
        kind = message["type"]
        state = self.application_state
        if state == WebSocketState.CONNECTING:
            if kind not in ("websocket.accept", "websocket.close", "websocket.http.response.start"):
                raise RuntimeError(
                    'Expected ASGI message "websocket.accept", "websocket.close" or '
                    f'"websocket.http.response.start", but got {kind!r}'
                )
            if kind == "websocket.close":
                self.application_state = WebSocketState.DISCONNECTED
            elif kind == "websocket.http.response.start":
                self.application_state = WebSocketState.RESPONSE
            else:
                self.application_state = WebSocketState.CONNECTED
            await self._send(message)
        elif state == WebSocketState.CONNECTED:
            if kind not in ("websocket.send", "websocket.close"):
                raise RuntimeError(
                    f'Expected ASGI message "websocket.send" or "websocket.close", but got {kind!r}'
                )
            if kind == "websocket.close":
                self.application_state = WebSocketState.DISCONNECTED
            try:
                await self._send(message)
            except OSError:
                self.application_state = WebSocketState.DISCONNECTED
                raise WebSocketDisconnect(code=1006) from None
        elif state == WebSocketState.RESPONSE:
            if kind != "websocket.http.response.body":
                raise RuntimeError(
                    f'Expected ASGI message "websocket.http.response.body", but got {kind!r}'
                )
            if not message.get("more_body", False):
                self.application_state = WebSocketState.DISCONNECTED
            await self._send(message)
        else:
            raise WebSocketDisconnected('Cannot call "send" once a close message has been sent.')

    async def accept(
        self, subprotocol: str | None = None, headers: Iterable[tuple[bytes, bytes]] | None = None
    ) -> None:
        """Accept the connection (waiting for the client's connect message if needed)."""
        if self.client_state == WebSocketState.CONNECTING:
            await self.receive()
        await self.send(
            {"type": "websocket.accept", "subprotocol": subprotocol, "headers": list(headers or [])}
        )

    async def _payload(self, key: Literal["text", "bytes"]) -> Any:
        if self.application_state != _CONNECTED:
            raise WebSocketDisconnected('WebSocket is not connected. Need to call "accept" first.')
        if self._own_send_receive and self.client_state == _CONNECTED:
            # receive()'s common case, written out
            message = await self._receive()
            kind = message["type"]
            if kind == "websocket.disconnect":
                self.client_state = _DISCONNECTED
            elif kind != "websocket.receive":
                raise RuntimeError(_unexpected(kind))
        else:
            message = await self.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
        value = message.get(key)
        if value is None:
            if message.get("bytes" if key == "text" else "text") is None:
                raise RuntimeError(
                    "The server sent a websocket.receive message with neither 'text' nor "
                    f"'bytes': {sorted(message)!r}. The ASGI server is at fault; upgrade it."
                )
            raise RuntimeError(_WRONG_KIND[key])
        limit = self.max_message_size
        if limit is not None and _too_big(value, limit):
            await self.close(code=1009, reason=f"Message too big: more than {limit} bytes.")
            raise WebSocketMessageTooBig(1009, f"Message too big: more than {limit} bytes.")
        return value

    async def receive_text(self) -> str:
        """The next text message; ``WebSocketDisconnect`` when the client is gone."""
        text: str = await self._payload("text")
        return text

    async def receive_bytes(self) -> bytes:
        """The next binary message; ``WebSocketDisconnect`` when the client is gone."""
        data: bytes = await self._payload("bytes")
        return data

    async def receive_json(self, mode: str = "text") -> Any:
        """The next message (text or, with ``mode="binary"``, bytes) decoded as JSON."""
        _check_mode(mode)
        if mode == "text":
            return json.loads(await self._payload("text"))
        return json.loads((await self._payload("bytes")).decode("utf-8"))

    async def iter_text(self) -> AsyncIterator[str]:
        """Every text message until the client disconnects."""
        try:
            while True:
                yield await self.receive_text()
        except WebSocketDisconnect:
            pass

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        """Every binary message until the client disconnects."""
        try:
            while True:
                yield await self.receive_bytes()
        except WebSocketDisconnect:
            pass

    async def iter_json(self) -> AsyncIterator[Any]:
        """Every message, decoded as JSON, until the client disconnects."""
        try:
            while True:
                yield await self.receive_json()
        except WebSocketDisconnect:
            pass

    async def send_text(self, data: str) -> None:
        """Send a text message."""
        message = {"type": "websocket.send", "text": data}
        if not (self._own_send_receive and self.application_state == _CONNECTED):
            await self.send(message)
            return
        try:  # send()'s common case, written out
            await self._send(message)
        except OSError:
            self.application_state = _DISCONNECTED
            raise WebSocketDisconnect(code=1006) from None

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary message."""
        message = {"type": "websocket.send", "bytes": data}
        if not (self._own_send_receive and self.application_state == _CONNECTED):
            await self.send(message)
            return
        try:  # send()'s common case, written out
            await self._send(message)
        except OSError:
            self.application_state = _DISCONNECTED
            raise WebSocketDisconnect(code=1006) from None

    async def send_json(self, data: Any, mode: str = "text") -> None:
        """Send ``data`` as compact JSON, in a text (default) or binary message."""
        _check_mode(mode)
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if mode == "text":
            await self.send({"type": "websocket.send", "text": text})
        else:
            await self.send({"type": "websocket.send", "bytes": text.encode("utf-8")})

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection (before ``accept`` this refuses it)."""
        await self.send({"type": "websocket.close", "code": code, "reason": reason or ""})

    async def send_denial_response(self, response: ASGIApp) -> None:
        """Refuse the connection with an HTTP response (Websocket Denial Response extension)."""
        if "websocket.http.response" not in self.scope.get("extensions", {}):
            raise RuntimeError(
                "The server doesn't support the Websocket Denial Response extension."
            )
        await response(self.scope, self.receive, self.send)
