"""The per-response state machine shared by GZipMiddleware and CompressMiddleware.

A :class:`Responder` sits between the app and the server's ``send`` for one response:

- ``http.response.start`` of a response that is never compressed (204, 206, 304, a
  Content-Encoding already set, an excluded Content-Type) goes out at once and everything
  after it passes untouched;
- otherwise the start is held until the first ``http.response.body``. A whole body (no
  ``more_body``) below ``minimum_size`` goes out as it is; a larger one is compressed in one
  piece with Content-Length recomputed. A streamed body is compressed chunk by chunk, each
  chunk flushed so that the client can decode it at once, and Content-Length is removed.
  Vary names Accept-Encoding whenever the encoding depended on the request;
- any other message (``http.response.pathsend``, ``http.response.zerocopy``, trailers)
  releases the held start unchanged and passes itself; ``http.response.debug`` passes.

Chunks of at least ``thread_minimum_size`` bytes are compressed in a worker thread.
"""

from __future__ import annotations

from asgi_core.types import Message, Send
from asgi_middleware_compress._codecs import Codec, StreamCompressor
from asgi_middleware_compress._content_types import ContentTypeFilter
from asgi_middleware_compress._headers import Headers, rewrite
from asgi_middleware_compress._offload import compress_off_loop

__all__ = ["Responder", "Settings"]

_START = "http.response.start"
_BODY = "http.response.body"
_DEBUG = "http.response.debug"
# No content (204, 304) or a part of the representation (206): never compressed.
_UNTOUCHED_STATUSES = frozenset({204, 206, 304})

_AWAIT_START, _HOLD, _STREAM, _PASS = range(4)


class Settings:
    """What a middleware decided at construction, shared by all its responses."""

    __slots__ = ("content_types", "minimum_size", "thread_minimum_size")

    def __init__(
        self, minimum_size: int, thread_minimum_size: int, excluded: tuple[str, ...]
    ) -> None:
        self.minimum_size = minimum_size
        self.thread_minimum_size = thread_minimum_size
        self.content_types = ContentTypeFilter(excluded)


class Responder:
    """Compresses one response with ``codec`` (None: sends it as is, adding Vary)."""

    __slots__ = ("_codec", "_send", "_settings", "_start", "_state", "_stream")

    _stream: StreamCompressor  # set when the state becomes _STREAM

    def __init__(self, settings: Settings, codec: Codec | None, send: Send) -> None:
        self._settings = settings
        self._codec = codec
        self._send = send
        self._state = _AWAIT_START
        self._start: Message = {}

    async def send(self, message: Message) -> None:
        """The ``send`` given to the app."""
        state = self._state
        if state == _PASS:
            await self._send(message)
        elif state == _STREAM:
            await self._send_chunk(message)
        elif state == _HOLD:
            if (
                message["type"] == _BODY
                and not message.get("more_body", False)
                and len(message.get("body", b"")) < self._settings.minimum_size
            ):
                # the common case of _first_body, written out: a small whole body as it is
                self._state = _PASS
                await self._send(self._start)
                await self._send(message)
                return
            await self._after_start(message)
        elif message["type"] == _START:
            headers = message.get("headers")
            if not isinstance(headers, list):
                headers = list(headers or ())
                message = {**message, "headers": headers}
            if self._compressible(message.get("status"), headers):
                self._start = message
                self._state = _HOLD
                return
            self._state = _PASS
            await self._send(message)
        else:  # http.response.debug (or anything else) before the start
            await self._send(message)

    def _compressible(self, status: object, headers: Headers) -> bool:
        if status in _UNTOUCHED_STATUSES:
            return False
        content_type: bytes | None = None
        for name, value in headers:
            lowered = name.lower()
            if lowered == b"content-encoding":
                return False
            if lowered == b"content-type" and content_type is None:
                content_type = value  # the first one counts, as in Starlette
        # a missing Content-Type counts as an empty one (excluded only if "" is listed)
        return not self._settings.content_types.excluded(content_type or b"")

    async def _after_start(self, message: Message) -> None:
        kind = message["type"]
        if kind == _BODY:
            await self._first_body(message)
        elif kind == _DEBUG:
            await self._send(message)
        else:  # pathsend, zerocopy, ...: the body is not ours to compress
            self._state = _PASS
            await self._send(self._start)
            await self._send(message)

    async def _first_body(self, message: Message) -> None:
        start = self._start
        body = message.get("body", b"")
        codec = self._codec
        self._state = _PASS
        if message.get("more_body", False):
            if codec is None:
                await self._send({**start, "headers": rewrite(start["headers"])})
                await self._send(message)
                return
            self._state = _STREAM
            self._stream = codec.stream()
            await self._send({**start, "headers": rewrite(start["headers"], codec.encoding)})
            await self._send_chunk(message)
        elif codec is None:  # (a whole body below minimum_size never gets here: see send)
            await self._send({**start, "headers": rewrite(start["headers"])})
            await self._send(message)
        else:
            if len(body) >= self._settings.thread_minimum_size:
                compressed = await compress_off_loop(codec.compress, body)
            else:
                compressed = codec.compress(body)
            # Trailers need a chunked body: no Content-Length then.
            length = None if start.get("trailers", False) else len(compressed)
            await self._send(
                {**start, "headers": rewrite(start["headers"], codec.encoding, length)}
            )
            await self._send({**message, "body": compressed})

    async def _send_chunk(self, message: Message) -> None:
        if message["type"] != _BODY:
            await self._send(message)
            return
        stream = self._stream
        body = message.get("body", b"")
        if message.get("more_body", False):
            compress = stream.chunk
        else:
            compress = stream.last
            self._state = _PASS
        if len(body) >= self._settings.thread_minimum_size:
            data = await compress_off_loop(compress, body)
        else:
            data = compress(body)
        await self._send({**message, "body": data})
