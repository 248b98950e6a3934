"""CompressMiddleware: zstd, brotli or gzip, whichever the client prefers."""

from __future__ import annotations

from collections.abc import Sequence

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_compress._codecs import Codec, GzipCodec, load_codec
from asgi_middleware_compress._content_types import DEFAULT_EXCLUDED_CONTENT_TYPES
from asgi_middleware_compress._gzip import THREAD_MINIMUM_SIZE
from asgi_middleware_compress._negotiation import Negotiator
from asgi_middleware_compress._responder import Responder, Settings
from asgi_middleware_compress._validation import check_int, check_level, check_media_types

__all__ = ["CompressMiddleware"]

_CODINGS = ("zstd", "br", "gzip")


def _check_encodings(encodings: object) -> tuple[str, ...]:
    if isinstance(encodings, str) or not isinstance(encodings, Sequence):
        raise TypeError(
            f"encodings must be a sequence of content codings in order of preference, such "
            f"as ('zstd', 'br', 'gzip'), got {encodings!r}."
        )
    unknown = [e for e in encodings if e not in _CODINGS]
    if unknown or not encodings or len(set(encodings)) != len(encodings):
        raise ValueError(
            f"encodings must name each of 'zstd', 'br' and 'gzip' at most once, and at least "
            f"one of them, got {tuple(encodings)!r}."
        )
    return tuple(encodings)


class CompressMiddleware:
    """Compress responses with zstd, brotli or gzip, as the client's Accept-Encoding asks.

    The coding is chosen by RFC 9110's rules: the highest q-value among the offered codings
    wins (``q=0`` means "not acceptable", ``*`` stands for codings not listed); on a tie the
    first in ``encodings`` wins. A client that accepts none of them gets the body as is.
    brotli needs the ``br`` extra and zstd the ``zstd`` extra (the standard library's
    ``compression.zstd`` from Python 3.14); a coding whose module is missing is not offered,
    and gzip is offered when none of ``encodings`` is available.

    :param app: the ASGI application to wrap.
    :param minimum_size: a whole body smaller than this many bytes is sent uncompressed;
        streamed bodies are compressed chunk by chunk, with a flush after each chunk.
    :param encodings: the codings to offer, in order of preference on ties.
    :param gzip_level: zlib level, 0 to 9, or -1 (zlib's default, 6).
    :param brotli_quality: brotli quality, 0 to 11.
    :param zstd_level: zstd level, 1 to 19 (higher levels need a window above the 8 MB that
        RFC 9659 allows for the ``zstd`` content coding).
    :param thread_minimum_size: chunks of at least this many bytes are compressed in a
        worker thread, so a large body does not block the event loop.
    :param exclude_content_types: media types never compressed; ``type/*`` matches a whole type.

    Exactly like :class:`GZipMiddleware` otherwise: HEAD requests, responses with a
    Content-Encoding, excluded types, 204/206/304 and ``http.response.pathsend`` pass
    unchanged, and Vary names Accept-Encoding whenever the encoding depended on it.
    """

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int = 500,
        *,
        encodings: Sequence[str] = _CODINGS,
        gzip_level: int = 6,
        brotli_quality: int = 4,
        zstd_level: int = 3,
        thread_minimum_size: int = THREAD_MINIMUM_SIZE,
        exclude_content_types: Sequence[str] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        self.app = app
        self.minimum_size = check_int("minimum_size", minimum_size)
        self.encodings = _check_encodings(encodings)
        self.gzip_level = check_level("gzip_level", gzip_level, -1, 9)
        self.brotli_quality = check_level("brotli_quality", brotli_quality, 0, 11)
        self.zstd_level = check_level(
            "zstd_level", zstd_level, 1, 19, " (browsers refuse zstd windows above 8 MB)"
        )
        levels = {"gzip": gzip_level, "br": brotli_quality, "zstd": zstd_level}
        self.thread_minimum_size = check_int("thread_minimum_size", thread_minimum_size)
        self.exclude_content_types = check_media_types(
            "exclude_content_types", exclude_content_types
        )
        codecs: dict[str, Codec] = {}
        for coding in self.encodings:
            codec = load_codec(coding, levels[coding])
            if codec is not None:
                codecs[coding] = codec
        if not codecs:
            codecs["gzip"] = GzipCodec(gzip_level)
        #: The codings actually offered, in order of preference.
        self.available_encodings = tuple(codecs)
        self._settings = Settings(
            self.minimum_size, self.thread_minimum_size, self.exclude_content_types
        )
        self._negotiate = Negotiator(codecs)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        codec = self._negotiate(scope["headers"])
        await self.app(scope, receive, Responder(self._settings, codec, send).send)
