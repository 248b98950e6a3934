"""The content codings: gzip (standard library), br (brotli), zstd (compression.zstd).

Each codec compresses a whole body at once, or a stream chunk by chunk with a flush after
every chunk, so that each chunk sent can be decoded as soon as it arrives. brotli and zstd
are optional: :func:`load_codec` returns None when their module cannot be imported.
"""

from __future__ import annotations

import importlib
import zlib
from types import ModuleType
from typing import Any, Protocol

__all__ = ["BrotliCodec", "Codec", "GzipCodec", "StreamCompressor", "ZstdCodec", "load_codec"]

#: Where each optional coding's module lives, tried in order: ``compression.zstd`` is in the
#: standard library from Python 3.14, ``backports.zstd`` is the same module before that.
MODULES: dict[str, tuple[str, ...]] = {
    "br": ("brotli",),
    "zstd": ("compression.zstd", "backports.zstd"),
}


class StreamCompressor(Protocol):
    """Compresses one response body that arrives in chunks."""

    def chunk(self, data: bytes) -> bytes:
        """Compress ``data`` and flush, so that everything so far can be decoded."""

    def last(self, data: bytes) -> bytes:
        """Compress ``data`` and end the stream."""


class Codec(Protocol):
    """One content coding at a fixed level."""

    #: The content-coding token, as sent in ``Content-Encoding``.
    encoding: bytes

    def compress(self, data: bytes) -> bytes:
        """Compress a whole body."""

    def stream(self) -> StreamCompressor:
        """A compressor for a body sent in chunks."""


class _GzipStream:
    __slots__ = ("_compressor",)

    def __init__(self, level: int) -> None:
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, 31)

    def chunk(self, data: bytes) -> bytes:
        compressor = self._compressor
        return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)

    def last(self, data: bytes) -> bytes:
        compressor = self._compressor
        return compressor.compress(data) + compressor.flush()


class GzipCodec:
    """gzip (RFC 1952) with zlib at ``level``; a body at once gives the same bytes as Starlette."""

    encoding = b"gzip"

    def __init__(self, level: int) -> None:
        self.level = level

    def compress(self, data: bytes) -> bytes:
        """Compress a whole body."""
        return _GzipStream(self.level).last(data)

    def stream(self) -> StreamCompressor:
        """A compressor that flushes (Z_SYNC_FLUSH) after each chunk."""
        return _GzipStream(self.level)


class _BrotliStream:
    __slots__ = ("_compressor",)

    def __init__(self, module: Any, quality: int) -> None:
        self._compressor = module.Compressor(quality=quality)

    def chunk(self, data: bytes) -> bytes:
        compressor = self._compressor
        result: bytes = compressor.process(data) + compressor.flush()
        return result

    def last(self, data: bytes) -> bytes:
        compressor = self._compressor
        result: bytes = compressor.process(data) + compressor.finish()
        return result


class BrotliCodec:
    """br (RFC 7932) with the brotli module at ``quality``."""

    encoding = b"br"

    def __init__(self, module: ModuleType, level: int) -> None:
        self.module = module
        self.level = level

    def compress(self, data: bytes) -> bytes:
        """Compress a whole body."""
        result: bytes = self.module.compress(data, quality=self.level)
        return result

    def stream(self) -> StreamCompressor:
        """A compressor that flushes after each chunk."""
        return _BrotliStream(self.module, self.level)


class _ZstdStream:
    __slots__ = ("_compressor",)

    def __init__(self, module: Any, level: int) -> None:
        self._compressor = module.ZstdCompressor(level=level)

    def chunk(self, data: bytes) -> bytes:
        compressor = self._compressor
        result: bytes = compressor.compress(data, compressor.FLUSH_BLOCK)
        return result

    def last(self, data: bytes) -> bytes:
        compressor = self._compressor
        result: bytes = compressor.compress(data, compressor.FLUSH_FRAME)
        return result


class ZstdCodec:
    """zstd (RFC 8878) at ``level``; levels up to 19 keep the window within 8 MB (RFC 9659)."""

    encoding = b"zstd"

    def __init__(self, module: ModuleType, level: int) -> None:
        self.module = module
        self.level = level

    def compress(self, data: bytes) -> bytes:
        """Compress a whole body (the frame records its size)."""
        result: bytes = self.module.compress(data, level=self.level)
        return result

    def stream(self) -> StreamCompressor:
        """A compressor that ends a block after each chunk."""
        return _ZstdStream(self.module, self.level)


def _import_first(names: tuple[str, ...]) -> ModuleType | None:
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def load_codec(coding: str, level: int) -> Codec | None:
    """The codec for ``coding`` ("gzip", "br" or "zstd"), None if its module is missing."""
    if coding == "gzip":
        return GzipCodec(level)
    module = _import_first(MODULES[coding])
    if module is None:
        return None
    return BrotliCodec(module, level) if coding == "br" else ZstdCodec(module, level)
