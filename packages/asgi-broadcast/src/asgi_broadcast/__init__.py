"""asgi-broadcast: publish/subscribe channels for fan-out to WebSockets and Server-Sent Events.

``Broadcast`` (``publish``, ``subscribe``, ``connect``/``disconnect``) over a backend chosen
by URL: ``memory://`` (one process), ``redis://`` (Redis Pub/Sub) or ``redis-stream://``
(Redis Streams, with history and ``Last-Event-ID`` resumption). ``Subscriber`` and ``Event``
are what subscribing gives; ``BroadcastBackend`` and ``HistoryBackend`` are the protocols of
a backend of your own.
"""

from asgi_broadcast._backend import BroadcastBackend, HistoryBackend, Listener
from asgi_broadcast._broadcast import Broadcast
from asgi_broadcast._errors import (
    BroadcastConnectionError,
    BroadcastError,
    BroadcastReconnected,
    InvalidEventId,
)
from asgi_broadcast._event import Event
from asgi_broadcast._memory import MemoryBackend
from asgi_broadcast._redis_pubsub import RedisPubSubBackend
from asgi_broadcast._redis_streams import RedisStreamBackend
from asgi_broadcast._subscriber import Overflow, Subscriber

__version__ = "0.1.0"

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
    "__version__",
]
