"""``Request``: an HTTP request with its body, JSON and form."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any, NoReturn

import anyio

from asgi_core._awaitable import AwaitableOrContextManager, AwaitableOrContextManagerWrapper
from asgi_core._connection import HTTPConnection, StateT
from asgi_core._form_limits import (
    DEFAULT_MAX_FIELDS,
    DEFAULT_MAX_FILES,
    DEFAULT_MAX_PART_SIZE,
    content_type_options,
)
from asgi_core._multipart import MultiPartParser
from asgi_core._receive import SharedReceive
from asgi_core._upload import FormData
from asgi_core._urlencoded import FormParser
from asgi_core.exceptions import HTTPException, UsageError
from asgi_core.scope_keys import SHARED_RECEIVE
from asgi_core.types import Message, Receive, Scope, Send

__all__ = ["ClientDisconnect", "InvalidJSONError", "Request", "empty_receive", "empty_send"]

#: Request headers copied into an HTTP/2 server push promise.
SERVER_PUSH_HEADERS_TO_COPY = (
    "accept",
    "accept-encoding",
    "accept-language",
    "cache-control",
    "user-agent",
)

_MISSING: Any = object()
#: Starlette's message; read the body with request.body() (it is kept) to use it twice.
_STREAM_CONSUMED = "Stream consumed"


class ClientDisconnect(Exception):
    """The client went away while the request body was being read."""


class InvalidJSONError(json.JSONDecodeError, HTTPException):
    """The request body is not valid JSON.

    It is a :class:`json.JSONDecodeError` (so ``except json.JSONDecodeError`` and
    ``except ValueError`` keep working) and an :class:`HTTPException` with status 400, so an
    application that does not catch it answers ``400 Bad Request`` with the parser's message
    instead of a ``500``.
    """

    def __init__(self, msg: str, doc: str, pos: int) -> None:
        json.JSONDecodeError.__init__(self, msg, doc, pos)
        self.status_code = 400
        self.detail = (
            f"Invalid JSON in request body: {msg}: "
            f"line {self.lineno} column {self.colno} (char {pos})"
        )
        self.headers = None


async def empty_receive() -> NoReturn:
    """The ``receive`` of a request built without one."""
    raise RuntimeError("Receive channel has not been made available")


async def empty_send(message: Message) -> NoReturn:
    """The ``send`` of a request built without one."""
    raise RuntimeError("Send channel has not been made available")


class Request(HTTPConnection[StateT]):
    """An incoming HTTP request: the scope plus the ``receive`` channel for its body."""

    _stream_consumed = False
    _is_disconnected = False
    _pending: Message | None = None
    _form: FormData | None = None

    def __init__(
        self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send
    ) -> None:
        # HTTPConnection.__init__'s check, narrowed to "http", without the extra call
        if scope["type"] != "http":
            raise UsageError(f"Request needs an 'http' scope, got a {scope['type']!r} scope.")
        self.scope = scope
        self._receive = receive
        self._send = send

    @property
    def method(self) -> str:
        """The HTTP method, upper case."""
        method: str = self.scope["method"]
        return method

    @property
    def receive(self) -> Receive:
        """The ASGI ``receive`` callable."""
        return self._receive

    def _channel(self) -> Receive:
        """Where body messages come from: the shared channel once a response watches it."""
        shared: SharedReceive | None = self.scope.get(SHARED_RECEIVE)
        if shared is not None and shared.source is self._receive:
            return shared.receive
        return self._receive

    async def _next_chunk(self) -> tuple[bytes, bool]:
        """Receive one body chunk: ``(chunk, more_body)``."""
        message = self._pending
        if message is None:
            message = await self._channel()()
        else:
            self._pending = None
        if message["type"] == "http.request":
            more: bool = message.get("more_body", False)
            if not more:
                self._stream_consumed = True
            chunk: bytes = message.get("body", b"")
            return chunk, more
        if message["type"] == "http.disconnect":
            self._is_disconnected = True
            raise ClientDisconnect()
        return b"", True

    async def stream(self) -> AsyncGenerator[bytes, None]:
        """Yield the body in chunks as they arrive, then a final ``b""``.

        Raises :class:`ClientDisconnect` if the client goes away, and ``RuntimeError`` if
        the body was already streamed without being kept.
        """
        body = getattr(self, "_body", _MISSING)
        if body is not _MISSING:
            yield body
            yield b""
            return
        if self._stream_consumed:
            raise RuntimeError(_STREAM_CONSUMED)
        more = True
        while more:
            chunk, more = await self._next_chunk()
            if chunk:
                yield chunk
        yield b""

    async def body(self) -> bytes:
        """The whole body (read once, then kept)."""
        body: bytes = getattr(self, "_body", _MISSING)
        if body is _MISSING:
            if self._stream_consumed:
                raise RuntimeError(_STREAM_CONSUMED)
            chunks: list[bytes] = []
            more = True
            while more:
                chunk, more = await self._next_chunk()
                if chunk:
                    chunks.append(chunk)
            body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
            self._body = body
        return body

    async def json(self) -> Any:
        """The body parsed as JSON; :class:`InvalidJSONError` (a 400) when it is not JSON.

        A body Python's parser cannot take (an integer of more digits than Python converts,
        arrays nested deeper than the recursion limit) is a 400 too, not a 500.
        """
        value = getattr(self, "_json", _MISSING)
        if value is _MISSING:
            body = await self.body()
            try:
                value = json.loads(body)
            except json.JSONDecodeError as exc:
                raise InvalidJSONError(exc.msg, exc.doc, exc.pos) from None
            except UnicodeDecodeError as exc:
                raise InvalidJSONError(
                    f"Body is not valid UTF-8 ({exc.reason})", "", exc.start
                ) from None
            except ValueError:  # an integer past Python's limit on digits (4300 by default)
                raise InvalidJSONError("Number with too many digits", "", 0) from None
            except RecursionError:  # arrays or objects nested deeper than the parser goes
                raise InvalidJSONError("Arrays or objects nested too deeply", "", 0) from None
            self._json = value
        return value

    async def _get_form(
        self,
        *,
        max_files: int | float = DEFAULT_MAX_FILES,
        max_fields: int | float = DEFAULT_MAX_FIELDS,
        max_part_size: int = DEFAULT_MAX_PART_SIZE,
        max_file_size: int | None = None,
    ) -> FormData:
        if self._form is None:
            media_type, _ = content_type_options(self.headers.get("content-type"))
            if media_type == "multipart/form-data":
                async with aclosing(self.stream()) as stream:
                    self._form = await MultiPartParser(
                        self.headers,
                        stream,
                        max_files=max_files,
                        max_fields=max_fields,
                        max_part_size=max_part_size,
                        max_file_size=max_file_size,
                    ).parse()
            elif media_type == "application/x-www-form-urlencoded":
                async with aclosing(self.stream()) as stream:
                    self._form = await FormParser(
                        self.headers, stream, max_fields=max_fields, max_part_size=max_part_size
                    ).parse()
            else:
                self._form = FormData()
        return self._form

    def form(
        self,
        *,
        max_files: int | float = DEFAULT_MAX_FILES,
        max_fields: int | float = DEFAULT_MAX_FIELDS,
        max_part_size: int = DEFAULT_MAX_PART_SIZE,
        max_file_size: int | None = None,
    ) -> AwaitableOrContextManager[FormData]:
        """The parsed form; await it, or use it with ``async with`` to close files after.

        Limits: ``max_files`` file parts, ``max_fields`` other fields, ``max_part_size``
        bytes per field and ``max_file_size`` bytes per file (``None``: unlimited). Crossing
        one raises :class:`~asgi_core.MultiPartException`, a 400 ``HTTPException``.
        """
        return AwaitableOrContextManagerWrapper(
            self._get_form(
                max_files=max_files,
                max_fields=max_fields,
                max_part_size=max_part_size,
                max_file_size=max_file_size,
            )
        )

    async def close(self) -> None:
        """Close the files of the parsed form, if any."""
        if self._form is not None:
            await self._form.close()

    async def is_disconnected(self) -> bool:
        """Whether the client has gone away, checked without waiting.

        A body message received while checking is kept for :meth:`stream`.
        """
        if not self._is_disconnected and self._pending is None:
            receive = self._channel()
            message: Message = {}
            with anyio.CancelScope() as scope:
                scope.cancel()
                message = await receive()
            if message.get("type") == "http.disconnect":
                self._is_disconnected = True
            elif message:
                self._pending = message
        return self._is_disconnected

    async def send_push_promise(self, path: str) -> None:
        """Ask an HTTP/2 server to push ``path`` (ignored when the server cannot)."""
        if "http.response.push" in self.scope.get("extensions", {}):
            raw_headers = [
                (name.encode("latin-1"), value.encode("latin-1"))
                for name in SERVER_PUSH_HEADERS_TO_COPY
                for value in self.headers.getlist(name)
            ]
            await self._send({"type": "http.response.push", "path": path, "headers": raw_headers})

    async def send_early_hints(self, link: str, /, *additional_links: str) -> None:
        """Send a ``103 Early Hints`` with these ``Link`` values, when the server can."""
        if "http.response.early_hint" in self.scope.get("extensions", {}):
            links = [value.encode("latin-1") for value in (link, *additional_links)]
            await self._send({"type": "http.response.early_hint", "links": links})
