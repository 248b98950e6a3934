"""Every async test runs on asyncio and trio; helpers drive a middleware with raw ASGI apps."""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import pytest

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def start(
    status: int = 200,
    headers: Iterable[tuple[bytes, bytes]] = ((b"content-type", b"text/plain; charset=utf-8"),),
    **extra: Any,
) -> Message:
    """An ``http.response.start`` message."""
    return {"type": "http.response.start", "status": status, "headers": list(headers), **extra}


def body(data: bytes = b"", more: bool = False, **extra: Any) -> Message:
    """An ``http.response.body`` message (``more_body`` only when ``more``)."""
    message: Message = {"type": "http.response.body", "body": data, **extra}
    if more:
        message["more_body"] = True
    return message


def sender(*messages: Message) -> ASGIApp:
    """An app that sends ``messages`` (each a fresh copy) and returns."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in messages:
            await send(dict(message))

    return app


Drive = Callable[..., Awaitable[list[Message]]]


async def drive(
    middleware: ASGIApp,
    accept_encoding: str | None = "gzip",
    *,
    method: str = "GET",
    type: str = "http",
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> list[Message]:
    """Call ``middleware`` as a server would for one request; the messages it sent."""
    request_headers = list(headers)
    if accept_encoding is not None:
        request_headers.append((b"accept-encoding", accept_encoding.encode("latin-1")))
    scope: Scope = {
        "type": type,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": request_headers,
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await middleware(scope, receive, send)
    return sent


def decompressor(encoding: bytes) -> Callable[[bytes], bytes]:
    """A function decoding successive pieces of one ``encoding`` stream."""
    if encoding == b"gzip":
        return zlib.decompressobj(31).decompress
    if encoding == b"br":
        decoder: Any = importlib.import_module("brotli").Decompressor()
        return decoder.process  # type: ignore[no-any-return]
    try:
        zstd: Any = importlib.import_module("compression.zstd")  # Python 3.14+
    except ImportError:
        zstd = importlib.import_module("backports.zstd")
    return zstd.ZstdDecompressor().decompress  # type: ignore[no-any-return]


def decode(encoding: bytes, data: bytes) -> bytes:
    """A whole ``encoding`` body, decoded."""
    return decompressor(encoding)(data)


def header(message: Message, name: bytes) -> bytes | None:
    """The first value of header ``name`` in a start message."""
    for key, value in message["headers"]:
        if key == name:
            return bytes(value)
    return None


class Kit:
    """The helpers above, handed to tests by the ``kit`` fixture."""

    start = staticmethod(start)
    body = staticmethod(body)
    sender = staticmethod(sender)
    drive = staticmethod(drive)
    decompressor = staticmethod(decompressor)
    decode = staticmethod(decode)
    header = staticmethod(header)


@pytest.fixture
def kit() -> Kit:
    return Kit()
