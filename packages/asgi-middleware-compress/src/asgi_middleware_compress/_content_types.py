"""Which response media types are never compressed."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DEFAULT_EXCLUDED_CONTENT_TYPES", "ContentTypeFilter"]

#: Media types left uncompressed by default, as in Starlette 1.10: already compressed
#: formats (archives, images, fonts, audio, video), gRPC (which frames and compresses its
#: own messages) and server-sent events. ``type/*`` covers every subtype of ``type``;
#: ``application/grpc`` covers its ``+proto``/``+json`` variants too.
DEFAULT_EXCLUDED_CONTENT_TYPES: tuple[str, ...] = (
    "application/grpc",
    "application/gzip",
    "application/x-gzip",
    "application/zip",
    "audio/*",
    "font/woff",
    "font/woff2",
    "image/avif",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/event-stream",
    "video/*",
)

_GRPC = "application/grpc"
_GRPC_VARIANT = "application/grpc+"
_CACHE_SIZE = 256


class ContentTypeFilter:
    """Answers "is this Content-Type excluded?" for normalized media types.

    A media type is excluded when it is listed, when ``type/*`` is listed for its type, or
    when it is a ``application/grpc+...`` variant and ``application/grpc`` is listed.
    Answers are cached per raw header value (a bounded cache: responses use few types).
    """

    __slots__ = ("_cache", "_exact", "_grpc", "_types")

    def __init__(self, excluded: Iterable[str]) -> None:
        self._exact = frozenset(e for e in excluded if not e.endswith("/*"))
        self._types = frozenset(e[:-2] for e in excluded if e.endswith("/*"))
        self._grpc = _GRPC in self._exact
        self._cache: dict[bytes, bool] = {}

    def excluded(self, content_type: bytes) -> bool:
        """Whether a response with this raw ``Content-Type`` value is left uncompressed."""
        cache = self._cache
        answer = cache.get(content_type)
        if answer is None:
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            answer = cache[content_type] = self._excluded_media(
                content_type.decode("latin-1").split(";", 1)[0].strip().lower()
            )
        return answer

    def _excluded_media(self, media: str) -> bool:
        return (
            media in self._exact
            or media.split("/", 1)[0] in self._types
            or (self._grpc and media.startswith(_GRPC_VARIANT))
        )
