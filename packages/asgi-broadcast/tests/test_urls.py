"""The backend a URL names, and clear errors for the URLs and options that name none."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from asgi_broadcast import (
    Broadcast,
    MemoryBackend,
    RedisPubSubBackend,
    RedisStreamBackend,
)


def test_the_default_is_memory() -> None:
    assert isinstance(Broadcast().backend, MemoryBackend)
    assert Broadcast("memory://", maxlen=7).backend.maxlen == 7  # type: ignore[attr-defined]


def test_redis_urls() -> None:
    pubsub = Broadcast("redis://:secret@localhost:6379/0", reconnect=False, max_backoff=2).backend
    assert isinstance(pubsub, RedisPubSubBackend)
    assert (pubsub.url, pubsub.reconnect, pubsub.max_backoff) == (
        "redis://:secret@localhost:6379/0",
        False,
        2.0,
    )
    assert repr(pubsub) == "RedisPubSubBackend('redis://:***@localhost:6379/0')"
    assert isinstance(Broadcast("rediss://localhost").backend, RedisPubSubBackend)
    stream = Broadcast("redis-stream://localhost/2", maxlen=50, prefix="ev:").backend
    assert isinstance(stream, RedisStreamBackend)
    assert (stream.url, stream.maxlen, stream.prefix) == ("redis://localhost/2", 50, "ev:")
    tls = Broadcast("rediss-stream://localhost", maxlen=None).backend
    assert isinstance(tls, RedisStreamBackend)
    assert (tls.url, tls.maxlen, tls.prefix) == ("rediss://localhost", None, "")


@pytest.mark.parametrize(
    ("url", "options", "error", "match"),
    [
        ("kafka://host", {}, ValueError, r"unknown backend; the URL must start with one of "),
        ("localhost:6379", {}, ValueError, r"memory://, redis://, rediss://, redis-stream://"),
        ("redis://:pw@host", {"maxlen": 3}, TypeError, r"\('redis://:\*\*\*@host', maxlen="),
        ("redis://host", {"prefix": "x"}, TypeError, "options are: none"),
        ("memory://", {"prefix": "x"}, TypeError, "the memory:// backend has no option 'prefix'"),
        ("memory://here", {}, ValueError, "takes no address; write 'memory://'"),
        (b"memory://", {}, TypeError, "pass a URL string"),
        ("redis-stream://h", {"maxlen": 0}, ValueError, r"RedisStreamBackend\(maxlen=0\)"),
        ("redis-stream://h", {"prefix": 1}, TypeError, r"RedisStreamBackend\(prefix=1\)"),
    ],
)
def test_url_errors(url: str, options: dict[str, Any], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        Broadcast(url, **options)


def test_a_redis_url_without_redis_py_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    with pytest.raises(ImportError, match=r"pip install 'asgi-broadcast\[redis\]'"):
        Broadcast("redis://localhost")
