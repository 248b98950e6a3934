"""SessionMiddleware: ``scope["session"]`` from a signed cookie or a server-side store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from asgi_core import Secret
from asgi_core.scope_keys import SESSION
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_sessions._config import (
    check_cookie_attributes,
    check_cookie_name,
    check_max_age,
    check_store,
    secret_keys,
)
from asgi_middleware_sessions._cookie import (
    DATA_SALT,
    ID_SALT,
    SessionCookie,
    decode_data,
    encode_data,
)
from asgi_middleware_sessions._errors import SessionStoreError
from asgi_middleware_sessions._session import Session, UnavailableSession
from asgi_middleware_sessions._store import SessionStore, new_session_id

__all__ = ["SessionMiddleware"]

#: writes a modified session back: the Set-Cookie header to send, if any
_Write = Callable[[Session], Awaitable["tuple[bytes, bytes] | None"]]

_VARY = b"vary"
_VARY_HEADER = (_VARY, b"Cookie")


def _headers_with_vary(headers: Any) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``Cookie`` added to ``Vary`` as Starlette does (merged into one)."""
    result: list[tuple[bytes, bytes]] = []
    values: list[bytes] = []
    position = -1
    for header in headers:
        if header[0] == _VARY:
            if position < 0:
                position = len(result)
                result.append(header)
            values.append(header[1])
        else:
            result.append(header)
    if position < 0:
        result.append(_VARY_HEADER)
    else:
        values.append(b"Cookie")
        result[position] = (_VARY, b", ".join(values))
    return result


async def _load_data(store: SessionStore, session_id: str) -> dict[str, Any] | None:
    """``store.load``; a custom store's own exception becomes a SessionStoreError too."""
    try:
        return await store.load(session_id)
    except SessionStoreError:
        raise
    except Exception as exc:
        raise SessionStoreError(type(store).__name__, "load", exc) from exc


class SessionMiddleware:
    """Sessions for any ASGI application, as ``starlette.middleware.sessions``.

    Puts a :class:`Session` in ``scope["session"]`` (``request.session``) for HTTP and
    WebSocket connections. By default (``store=None``) the session travels in the cookie:
    base64 JSON signed with itsdangerous, readable by Starlette's middleware with the same key
    and the other way round. With ``store=`` (a :class:`SessionStore`:
    :class:`MemorySessionStore`, :class:`RedisSessionStore`, your own) the data stays on the
    server and the cookie holds only a signed random id.

    ``secret_key`` (a string, a ``Secret``, or a list of them: the first signs, all verify),
    ``session_cookie`` (the cookie's name), ``max_age`` (seconds, checked on the server from
    the signed timestamp; None for a cookie that ends with the browser session), ``path``,
    ``same_site``, ``https_only`` (the ``Secure`` attribute), ``domain`` and ``partitioned``
    are Starlette's. A response gets ``Vary: Cookie`` when the session was accessed, and a
    ``Set-Cookie`` only when it was modified: the new session, or its deletion once emptied.
    """

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str | bytes | Secret | Sequence[str | bytes | Secret],
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,  # 14 days, in seconds
        path: str = "/",
        same_site: Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
        domain: str | None = None,
        partitioned: bool = False,
        *,
        store: SessionStore | None = None,
    ) -> None:
        keys = secret_keys(secret_key)
        check_cookie_attributes(path, same_site, https_only, domain, partitioned)
        check_store(store)
        self.app = app
        self.session_cookie = check_cookie_name(session_cookie)
        self.max_age = check_max_age(max_age)
        self.path = path
        self.store = store
        self.cookie = SessionCookie(
            session_cookie,
            keys,
            salt=DATA_SALT if store is None else ID_SALT,
            max_age=self.max_age,
            path=path,
            same_site=same_site,
            https_only=https_only,
            domain=domain,
            partitioned=partitioned,
        )
        self.signer = self.cookie.signer
        self.security_flags = self.cookie.security_flags

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Load the session, run the app, write the cookie when the response starts."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        value = self.cookie.read(scope)
        if self.store is None:
            session, write = self._cookie_session(value)
        else:
            session, write = await self._stored_session(self.store, value)
        scope[SESSION] = session
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # WebSocket: read only, as in Starlette
            return

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start" and session.accessed:
                headers = _headers_with_vary(message.get("headers", ()))
                if session.modified:
                    header = await write(session)
                    if header is not None:
                        headers.append(header)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_session)

    def _cookie_session(self, value: str | None) -> tuple[Session, _Write]:
        """The session carried in the cookie itself, and how to write it back."""
        payload = None if value is None else self.cookie.unsign(value)
        data = None if payload is None else decode_data(payload)
        had_session = data is not None

        async def write(session: Session) -> tuple[bytes, bytes] | None:
            if session:
                return self.cookie.set_header(encode_data(session))
            return self.cookie.delete_header if had_session else None

        return (Session() if data is None else Session(data)), write

    async def _stored_session(
        self, store: SessionStore, value: str | None
    ) -> tuple[Session, _Write]:
        """The session the cookie's id names in ``store``, and how to write it back."""
        session, session_id = await self._load(store, value)

        async def write(session: Session) -> tuple[bytes, bytes] | None:
            return await self._save(store, session, session_id)

        return session, write

    async def _load(self, store: SessionStore, value: str | None) -> tuple[Session, str | None]:
        payload = None if value is None else self.cookie.unsign(value)
        if payload is None:
            return Session(), None
        session_id = payload.decode("ascii", "replace")
        try:
            data = await _load_data(store, session_id)
        except SessionStoreError as exc:
            return UnavailableSession(exc), None
        if data is None:
            return Session(), None  # unknown, expired or deleted: a new id if it is written
        return Session(data), session_id

    async def _save(
        self, store: SessionStore, session: Session, session_id: str | None
    ) -> tuple[bytes, bytes] | None:
        """Write a modified session to the store; the Set-Cookie header to send, if any."""
        if session_id is not None and (session.regenerate_requested or not session):
            await store.delete(session_id)  # logged out, or a new id against fixation
            if not session:
                return self.cookie.delete_header
            session_id = None
        if not session:
            return None  # empty, and nothing was stored: no cookie to set or delete
        if session_id is None:
            session_id = new_session_id()
        await store.save(session_id, dict(session), self.max_age)
        return self.cookie.set_header(session_id.encode("ascii"))
