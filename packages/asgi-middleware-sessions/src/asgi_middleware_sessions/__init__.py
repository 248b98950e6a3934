"""asgi-middleware-sessions: sessions for any ASGI application.

``SessionMiddleware`` (Starlette's parameters, cookie format and headers) puts a ``Session``
in ``scope["session"]``. By default the session is kept in a signed cookie that Starlette's
middleware can read with the same key (and the other way round); ``store=`` keeps it on the
server instead (``MemorySessionStore``, ``RedisSessionStore`` with the ``redis`` extra, or any
``SessionStore``) with only a signed random id in the cookie. ``SessionStoreError`` reports a
store that failed, ``SessionTooLargeError`` a session that does not fit in a cookie.
"""

from asgi_middleware_sessions._errors import (
    MAX_COOKIE_SIZE,
    SessionStoreError,
    SessionTooLargeError,
)
from asgi_middleware_sessions._memory import MemorySessionStore
from asgi_middleware_sessions._middleware import SessionMiddleware
from asgi_middleware_sessions._redis import RedisSessionStore
from asgi_middleware_sessions._session import Session
from asgi_middleware_sessions._store import SessionStore

__version__ = "0.1.0"

__all__ = [
    "MAX_COOKIE_SIZE",
    "MemorySessionStore",
    "RedisSessionStore",
    "Session",
    "SessionMiddleware",
    "SessionStore",
    "SessionStoreError",
    "SessionTooLargeError",
    "__version__",
]
