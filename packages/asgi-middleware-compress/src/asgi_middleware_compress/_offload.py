"""Compressing large chunks in a worker thread, so the event loop keeps serving others."""

from __future__ import annotations

import os
from collections.abc import Callable

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

__all__ = ["THREAD_TOKENS", "compress_off_loop", "limiter"]

#: How many chunks are compressed in threads at once (per event loop). Compression is
#: CPU-bound and zlib, brotli and zstd release the GIL, so more than the cores gains nothing;
#: a limiter of its own keeps compression from using the tokens of ``run_in_threadpool``.
THREAD_TOKENS = max(2, os.cpu_count() or 1)

_LIMITER: RunVar[anyio.CapacityLimiter] = RunVar("asgi_middleware_compress.limiter")


def limiter() -> anyio.CapacityLimiter:
    """The capacity limiter of the running event loop's compression threads."""
    try:
        return _LIMITER.get()
    except LookupError:
        created = anyio.CapacityLimiter(THREAD_TOKENS)
        _LIMITER.set(created)
        return created


async def compress_off_loop(compress: Callable[[bytes], bytes], data: bytes) -> bytes:
    """``compress(data)`` in a worker thread."""
    return await anyio.to_thread.run_sync(compress, data, limiter=limiter())
