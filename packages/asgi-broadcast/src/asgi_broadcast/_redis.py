"""What the Redis backends share: the client, the reading task, and reconnection."""

from __future__ import annotations

import abc
import asyncio  # noqa: TID251  # redis-py's asyncio client runs only on asyncio
import contextlib
import logging
import random
from typing import TYPE_CHECKING, Any

import anyio

from asgi_broadcast._backend import Listener
from asgi_broadcast._errors import BroadcastConnectionError, BroadcastError
from asgi_broadcast._options import check_seconds, redacted

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisBackend"]

logger = logging.getLogger("asgi_broadcast")

# The first reconnection is tried at once, the next after this, then twice as long each time.
FIRST_BACKOFF = 0.1
# Client settings a URL's query string may override (redis://host/0?socket_timeout=10).
CLIENT_DEFAULTS: dict[str, Any] = {"socket_connect_timeout": 5.0, "socket_timeout": 10.0}


def _import_redis(owner: str) -> Any:
    try:
        import redis.asyncio
    except ImportError as exc:
        raise ImportError(
            f"{owner} needs redis-py: pip install 'asgi-broadcast[redis]' "
            "(or 'asgi-framework[redis]')."
        ) from exc
    return redis


class RedisBackend(abc.ABC):
    """The base of the Redis backends (redis-py's asyncio client; asyncio only).

    One task per connected backend reads from Redis and hands the events to the
    ``Broadcast``. When the connection is lost, with ``reconnect=True`` it is made again
    (at once, then after 0.1 s, 0.2 s, 0.4 s, ... up to ``max_backoff`` seconds, with
    jitter) and the channels are subscribed again; each loss, failed attempt and recovery
    is logged (logger ``asgi_broadcast``, WARNING). With ``reconnect=False`` the first
    loss is final (ERROR). The URL's password never appears in messages or logs.
    """

    def __init__(self, url: str, *, reconnect: bool = True, max_backoff: float = 5.0) -> None:
        owner = type(self).__name__
        self._redis = _import_redis(owner)
        given: object = url
        if not isinstance(given, str) or given.partition("://")[0] not in (
            "redis",
            "rediss",
            "unix",
        ):
            raise ValueError(
                f"{owner}({url!r}): pass a redis-py URL: redis://host:6379/0, rediss://... "
                "(TLS) or unix:///path/to/redis.sock."
            )
        if not isinstance(reconnect, bool):
            raise TypeError(f"{owner}(reconnect={reconnect!r}): pass True or False.")
        self.url = url
        self.reconnect = reconnect
        self.max_backoff = check_seconds(owner, "max_backoff", max_backoff)
        self.where = redacted(url)
        self._task: asyncio.Task[None] | None = None
        self._lock = anyio.Lock()
        self._up = False
        self._closing = False
        self._client: Redis | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.where!r})"

    def _new_client(self, *, retries: int, **options: Any) -> Redis:
        """A client of ``url``; ``retries`` immediate retries after a connection error.

        The client for commands retries once, so that a pooled connection the server
        closed meanwhile is replaced at once (a command that reached Redis before its
        connection broke may then run twice). Reading connections never retry: losing
        one starts this backend's reconnection.
        """
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        client: Redis = self._redis.asyncio.from_url(
            self.url,
            decode_responses=True,
            retry=Retry(NoBackoff(), retries),
            **{**CLIENT_DEFAULTS, **options},
        )
        return client

    @property
    def client(self) -> Redis:
        """The client for commands (publish, ...); raises before ``connect()``."""
        if self._client is None:
            raise BroadcastError(f"{self!r} is not connected: call connect() first.")
        return self._client

    def _lost(self, action: str, exc: BaseException) -> BroadcastConnectionError:
        error = BroadcastConnectionError(
            f"{action} failed: Redis at {self.where} cannot be reached "
            f"({type(exc).__name__}: {exc})."
        )
        error.__cause__ = exc
        return error

    async def connect(self, listener: Listener) -> None:
        """Connect to Redis and start the task that reads events for ``listener``."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise BroadcastError(
                f"{self!r} needs the asyncio event loop: redis-py's asyncio client does not "
                "run on trio. Run the application on asyncio (uvicorn; hypercorn without "
                "--worker-class trio), or use memory:// on trio."
            ) from None
        self._lock = anyio.Lock()
        self._closing = False
        self._client = self._new_client(retries=1)
        try:
            await self._open()
        except Exception as exc:
            await self._close()
            raise self._lost("connecting", exc) from exc
        self._up = True
        self._task = loop.create_task(
            self._run(listener), name=f"asgi-broadcast reader for {self.where}"
        )

    async def disconnect(self) -> None:
        """Stop the reading task and close the connections."""
        task, self._task = self._task, None
        self._up = False
        self._closing = True
        if task is not None:
            # redis-py (8.1) may swallow a cancellation that arrives at the wrong moment of
            # a command, and go on: cancel until the task has ended.
            while not task.done():
                task.cancel()
                await asyncio.wait([task], timeout=0.1)
        await self._close()

    async def _run(self, listener: Listener) -> None:
        while True:
            try:
                await self._read(listener)
            except Exception as exc:  # noqa: BLE001  # any failure: reconnect or tell everyone
                self._up = False
                # (a cancellation redis-py turned into another error while disconnecting)
                if self._closing or not await self._recover(exc, listener):
                    return

    async def _recover(self, exc: Exception, listener: Listener) -> bool:
        if not self.reconnect:
            logger.error(
                "Lost the connection to Redis at %s (%s: %s). reconnect=False: subscribers "
                "get BroadcastConnectionError; disconnect() and connect() to start again.",
                self.where,
                type(exc).__name__,
                exc,
            )
            listener.failed(self._lost("reading events", exc))
            return False
        logger.warning(
            "Lost the connection to Redis at %s (%s: %s); reconnecting, with at most %.1fs "
            "between attempts. Publishing fails until then.",
            self.where,
            type(exc).__name__,
            exc,
            self.max_backoff,
        )
        started = anyio.current_time()
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self._lock:
                    await self._reopen()
                    self._up = True
                break
            except Exception as retry_exc:  # noqa: BLE001  # try again, forever, with backoff
                delay = min(self.max_backoff, FIRST_BACKOFF * 2 ** (attempt - 1))
                delay *= random.uniform(0.5, 1.0)  # noqa: S311  # jitter, not cryptography
                logger.warning(
                    "Reconnecting to Redis at %s failed (attempt %d, %s: %s); next attempt "
                    "in %.2fs.",
                    self.where,
                    attempt,
                    type(retry_exc).__name__,
                    retry_exc,
                    delay,
                )
                await anyio.sleep(delay)
        down_for = anyio.current_time() - started
        logger.warning(
            "Reconnected to Redis at %s after %.1fs (%d attempt(s)); subscriptions restored.",
            self.where,
            down_for,
            attempt,
        )
        listener.reconnected(down_for)
        return True

    async def _close(self) -> None:
        for client in self._clients():
            with contextlib.suppress(Exception):
                await client.aclose()
        self._client = None

    # Implemented by each backend.

    @abc.abstractmethod
    def _clients(self) -> list[Any]:
        """The clients to close."""

    @abc.abstractmethod
    async def _open(self) -> None:
        """Make the first connections; raise when Redis cannot be reached."""

    @abc.abstractmethod
    async def _reopen(self) -> None:
        """Connect again and restore the subscriptions (with the lock held)."""

    @abc.abstractmethod
    async def _read(self, listener: Listener) -> None:
        """Read events and deliver them to ``listener``, until a failure raises."""
