"""GZipMiddleware, with Starlette 1.10's signature, defaults and module names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_compress._codecs import Codec, GzipCodec
from asgi_middleware_compress._content_types import DEFAULT_EXCLUDED_CONTENT_TYPES
from asgi_middleware_compress._negotiation import Negotiator
from asgi_middleware_compress._responder import Responder, Settings
from asgi_middleware_compress._validation import check_int, check_level, check_media_types

__all__ = ["GZipMiddleware", "GZipResponder", "IdentityResponder", "unattached_send"]

#: Chunks of at least this many bytes are compressed in a worker thread (Starlette's value).
THREAD_MINIMUM_SIZE = 131072


class GZipMiddleware:
    """Compress responses with gzip for clients whose ``Accept-Encoding`` accepts it.

    :param app: the ASGI application to wrap.
    :param minimum_size: a whole body (one ``http.response.body`` without ``more_body``)
        smaller than this many bytes is sent uncompressed. Streamed bodies are always
        compressed, chunk by chunk, with a flush after each chunk.
    :param compresslevel: zlib level, 0 (none, fastest) to 9 (smallest), or -1 (zlib's default, 6).
    :param thread_minimum_size: chunks of at least this many bytes are compressed in a worker
        thread, so a large body does not block the event loop.
    :param exclude_content_types: media types never compressed; ``type/*`` matches a whole
        type. Parameters, case and spaces are ignored.

    Only ``http`` requests other than HEAD are touched. Responses with a Content-Encoding,
    an excluded Content-Type, status 204, 206 or 304, and ``http.response.pathsend`` pass
    unchanged. Vary names Accept-Encoding on every response whose encoding depended on it.
    """

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int = 500,
        compresslevel: int = 9,
        thread_minimum_size: int = THREAD_MINIMUM_SIZE,
        *,
        exclude_content_types: Sequence[str] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        self.app = app
        self.minimum_size = check_int("minimum_size", minimum_size)
        self.compresslevel = check_level("compresslevel", compresslevel, -1, 9)
        self.thread_minimum_size = check_int("thread_minimum_size", thread_minimum_size)
        self.exclude_content_types = check_media_types(
            "exclude_content_types", exclude_content_types
        )
        self._settings = Settings(
            self.minimum_size, self.thread_minimum_size, self.exclude_content_types
        )
        self._negotiate: Negotiator[Codec] = Negotiator({"gzip": GzipCodec(compresslevel)})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        codec = self._negotiate(scope["headers"])
        await self.app(scope, receive, Responder(self._settings, codec, send).send)


class IdentityResponder:
    """An ASGI app that runs ``app`` and sends its responses uncompressed.

    It adds ``Vary: Accept-Encoding`` where :class:`GZipResponder` would have compressed:
    the response is what a client that does not accept gzip receives. ``GZipMiddleware``
    makes the same decision itself; this class is for code that picks the responder.
    """

    #: The content coding applied (none).
    content_encoding: str | None = None

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int,
        *,
        exclude_content_types: Sequence[str] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        self.app = app
        self.minimum_size = check_int("minimum_size", minimum_size)
        self.exclude_content_types = check_media_types(
            "exclude_content_types", exclude_content_types
        )
        self._settings = Settings(
            self.minimum_size, THREAD_MINIMUM_SIZE, self.exclude_content_types
        )
        self._codec: Codec | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, Responder(self._settings, self._codec, send).send)


class GZipResponder(IdentityResponder):
    """An ASGI app that runs ``app`` and compresses its responses with gzip.

    It does not look at ``Accept-Encoding`` (``GZipMiddleware`` does); the parameters are
    ``GZipMiddleware``'s.
    """

    content_encoding: str | None = "gzip"

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int,
        compresslevel: int = 9,
        *,
        thread_minimum_size: int = THREAD_MINIMUM_SIZE,
        exclude_content_types: Sequence[str] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        super().__init__(app, minimum_size, exclude_content_types=exclude_content_types)
        self.compresslevel = check_level("compresslevel", compresslevel, -1, 9)
        self.thread_minimum_size = check_int("thread_minimum_size", thread_minimum_size)
        self._settings = Settings(
            self.minimum_size, self.thread_minimum_size, self.exclude_content_types
        )
        self._codec = GzipCodec(compresslevel)


async def unattached_send(message: Message) -> NoReturn:
    """A ``send`` placeholder that raises: a responder used before it was given one."""
    raise RuntimeError("send awaitable not set")
