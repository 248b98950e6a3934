"""Publish/subscribe channels for WebSockets and Server-Sent Events (names from asgi-broadcast).

Not a Starlette module: Starlette's users reached for the archived ``broadcaster`` project.
``Broadcast("memory://")`` serves one process; ``redis://`` (Redis Pub/Sub) and
``redis-stream://`` (Redis Streams, with history and ``Last-Event-ID`` resumption) share the
channels between every worker process and machine, and need redis-py:
``pip install 'asgi-framework[redis]'``.
"""

from asgi_broadcast import (
    Broadcast,
    BroadcastBackend,
    BroadcastConnectionError,
    BroadcastError,
    BroadcastReconnected,
    Event,
    HistoryBackend,
    InvalidEventId,
    Listener,
    MemoryBackend,
    Overflow,
    RedisPubSubBackend,
    RedisStreamBackend,
    Subscriber,
)

__all__ = [
    "Broadcast",
    "BroadcastBackend",
    "BroadcastConnectionError",
    "BroadcastError",
    "BroadcastReconnected",
    "Event",
    "HistoryBackend",
    "InvalidEventId",
    "Listener",
    "MemoryBackend",
    "Overflow",
    "RedisPubSubBackend",
    "RedisStreamBackend",
    "Subscriber",
]
