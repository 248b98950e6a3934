"""RedisSessionStore: sessions in Redis (redis-py's asyncio client), shared by every process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from asgi_middleware_sessions._errors import SessionStoreError
from asgi_middleware_sessions._store import dumps, loads, positive_int

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisSessionStore"]

DAY = 24 * 60 * 60


def _redacted(url: str) -> str:
    """``url`` without its password, fit for error messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _describe(client: Any) -> str:
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", {})
    if "host" in kwargs:
        return f"redis://{kwargs['host']}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"
    return type(client).__name__


class RedisSessionStore:
    """A server-side :class:`SessionStore` in Redis, shared by every process and machine.

    ``url_or_client`` is a Redis URL (``"redis://localhost:6379/0"``, ``"rediss://..."`` for
    TLS; the store then owns the client, see :meth:`aclose`) or a ``redis.asyncio.Redis``
    client you configured yourself (timeouts, retries, a cluster). Each session is one key,
    ``prefix`` + its id, holding the session as JSON; every save sets the key's TTL again
    (``ttl`` from the middleware's ``max_age``, or ``default_ttl`` seconds when that is None).
    A Redis error raises :class:`SessionStoreError`, never an empty session.

    Needs the ``redis`` extra (``pip install 'asgi-middleware-sessions[redis]'``) and the
    asyncio event loop (redis-py's asyncio client does not run on trio).
    """

    def __init__(
        self, url_or_client: str | Redis, *, prefix: str = "session:", default_ttl: int = DAY
    ) -> None:
        try:
            import redis
            import redis.asyncio
        except ImportError as exc:
            raise ImportError(
                "RedisSessionStore needs redis-py: pip install 'asgi-middleware-sessions[redis]' "
                "(or 'asgi-framework[redis]')."
            ) from exc
        if not isinstance(prefix, str):
            raise TypeError(f"RedisSessionStore(prefix={prefix!r}): pass a string.")
        self.prefix = prefix
        self.default_ttl = positive_int("RedisSessionStore", "default_ttl", default_ttl)
        given: Any = url_or_client
        self._owns_client = isinstance(given, str)
        if isinstance(given, str):
            self.client: Redis = redis.asyncio.from_url(given)
            self._where = _redacted(given)
        elif isinstance(given, redis.Redis):
            raise TypeError(
                "RedisSessionStore(redis.Redis(...)): that is redis-py's blocking client; pass "
                "a redis.asyncio.Redis client, or a URL."
            )
        else:
            self.client = given
            self._where = _describe(given)

    def __repr__(self) -> str:
        return f"RedisSessionStore({self._where!r}, prefix={self.prefix!r})"

    def _error(self, operation: str, exc: Exception) -> SessionStoreError:
        hint = ""
        if isinstance(exc, RuntimeError) and "event loop" in str(exc):
            hint = "redis-py's asyncio client runs only on asyncio (not on trio)."
        return SessionStoreError(repr(self), operation, exc, hint)

    async def load(self, session_id: str) -> dict[str, Any] | None:
        """The session saved under ``session_id``, or None if unknown, expired or unreadable."""
        try:
            raw = await self.client.get(self.prefix + session_id)
        except Exception as exc:
            raise self._error("load", exc) from exc
        return None if raw is None else loads(raw)

    async def save(self, session_id: str, data: dict[str, Any], ttl: int | None) -> None:
        """Store ``data`` as JSON for ``ttl`` seconds (``default_ttl`` when None)."""
        raw = dumps(data)
        try:
            await self.client.set(self.prefix + session_id, raw, ex=ttl or self.default_ttl)
        except Exception as exc:
            raise self._error("save", exc) from exc

    async def delete(self, session_id: str) -> None:
        """Delete ``session_id``'s key."""
        try:
            await self.client.delete(self.prefix + session_id)
        except Exception as exc:
            raise self._error("delete", exc) from exc

    async def aclose(self) -> None:
        """Close the client's connections if the store made the client (from a URL)."""
        if self._owns_client:
            await self.client.aclose()
