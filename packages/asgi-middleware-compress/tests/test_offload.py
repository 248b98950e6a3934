"""Large chunks are compressed in worker threads, under a limiter of the running loop."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from asgi_middleware_compress import CompressMiddleware, GZipMiddleware, _offload
from asgi_middleware_compress._codecs import GzipCodec

pytestmark = pytest.mark.anyio


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the chunks compressed in a worker thread."""
    sizes: list[int] = []
    real = _offload.compress_off_loop

    async def spy(compress: Callable[[bytes], bytes], data: bytes) -> bytes:
        sizes.append(len(data))
        return await real(compress, data)

    monkeypatch.setattr("asgi_middleware_compress._responder.compress_off_loop", spy)
    return sizes


async def test_the_threshold_is_inclusive(kit: Any, threads: list[int]) -> None:
    for size in (131071, 131072):
        app = kit.sender(kit.start(), kit.body(b"x" * size))
        _, second = await kit.drive(GZipMiddleware(app))
        assert kit.decode(b"gzip", second["body"]) == b"x" * size
    assert threads == [131072]


async def test_stream_chunks_go_to_threads_by_size(kit: Any, threads: list[int]) -> None:
    app = kit.sender(
        kit.start(),
        kit.body(b"a" * 10, more=True),
        kit.body(b"b" * 100, more=True),
        kit.body(b"c" * 100),
    )
    _first, *bodies = await kit.drive(CompressMiddleware(app, thread_minimum_size=100), "br")
    decompress = kit.decompressor(b"br")
    assert [decompress(m["body"]) for m in bodies] == [b"a" * 10, b"b" * 100, b"c" * 100]
    assert threads == [100, 100]


async def test_the_work_runs_in_another_thread_and_the_limiter_is_reused() -> None:
    loop_thread = threading.get_ident()
    seen: list[int] = []

    def compress(data: bytes) -> bytes:
        seen.append(threading.get_ident())
        return GzipCodec(1).compress(data)

    assert await _offload.compress_off_loop(compress, b"abc") == GzipCodec(1).compress(b"abc")
    assert seen
    assert seen[0] != loop_thread
    limiter = _offload.limiter()
    assert limiter is _offload.limiter()
    assert limiter.total_tokens == _offload.THREAD_TOKENS >= 2


def test_each_event_loop_has_its_own_limiter() -> None:
    async def get() -> anyio.CapacityLimiter:
        return _offload.limiter()

    assert anyio.run(get) is not anyio.run(get)
