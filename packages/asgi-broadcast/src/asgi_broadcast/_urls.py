"""The backend a URL names: ``memory://``, ``redis://``/``rediss://`` (Pub/Sub) and
``redis-stream://``/``rediss-stream://`` (Streams, with history)."""

from __future__ import annotations

from typing import Any

from asgi_broadcast._backend import BroadcastBackend
from asgi_broadcast._memory import MemoryBackend
from asgi_broadcast._options import redacted

__all__ = ["SCHEMES", "backend_from_url"]

SCHEMES = ("memory", "redis", "rediss", "redis-stream", "rediss-stream")

_OPTIONS = {
    "memory": ("maxlen",),
    "redis": (),
    "rediss": (),
    "redis-stream": ("maxlen", "prefix"),
    "rediss-stream": ("maxlen", "prefix"),
}


def backend_from_url(
    url: str, *, reconnect: bool, max_backoff: float, options: dict[str, Any]
) -> BroadcastBackend:
    """A new backend for ``url``; ``options`` are the backend's own keyword arguments."""
    if not isinstance(url, str):
        raise TypeError(f"Broadcast(url={url!r}): pass a URL string such as 'redis://localhost'.")
    scheme, separator, rest = url.partition("://")
    if not separator or scheme not in _OPTIONS:
        schemes = ", ".join(f"{name}://" for name in SCHEMES)
        raise ValueError(
            f"Broadcast(url={redacted(url)!r}): unknown backend; the URL must start with one of "
            f"{schemes}, or pass backend=YourBackend() (see BroadcastBackend)."
        )
    unknown = sorted(set(options) - set(_OPTIONS[scheme]))
    if unknown:
        accepted = ", ".join(_OPTIONS[scheme]) or "none"
        raise TypeError(
            f"Broadcast({redacted(url)!r}, {unknown[0]}=...): the {scheme}:// backend has no "
            f"option {unknown[0]!r}; its options are: {accepted} (and, for every backend, "
            "max_queue, overflow, reconnect, max_backoff)."
        )
    if scheme == "memory":
        if rest:
            raise ValueError(
                f"Broadcast(url={url!r}): the in-memory backend takes no address; "
                "write 'memory://'."
            )
        return MemoryBackend(**options)
    if scheme in ("redis", "rediss"):
        from asgi_broadcast._redis_pubsub import RedisPubSubBackend

        return RedisPubSubBackend(url, reconnect=reconnect, max_backoff=max_backoff)
    from asgi_broadcast._redis_streams import RedisStreamBackend

    redis_url = scheme.removesuffix("-stream") + "://" + rest
    return RedisStreamBackend(redis_url, reconnect=reconnect, max_backoff=max_backoff, **options)
