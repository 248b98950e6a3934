"""Laid out like ``starlette.middleware.sessions`` (names from asgi-middleware-sessions).

``SessionMiddleware`` and ``Session`` are Starlette's names; the server-side stores
(``SessionStore``, ``MemorySessionStore``, ``RedisSessionStore``) and the errors
(``SessionStoreError``, ``SessionTooLargeError``) are additions. ``RedisSessionStore`` needs
redis-py: ``pip install 'asgi-framework[redis]'``.
"""

from asgi_middleware_sessions import (
    MAX_COOKIE_SIZE,
    MemorySessionStore,
    RedisSessionStore,
    Session,
    SessionMiddleware,
    SessionStore,
    SessionStoreError,
    SessionTooLargeError,
)

__all__ = [
    "MAX_COOKIE_SIZE",
    "MemorySessionStore",
    "RedisSessionStore",
    "Session",
    "SessionMiddleware",
    "SessionStore",
    "SessionStoreError",
    "SessionTooLargeError",
]
