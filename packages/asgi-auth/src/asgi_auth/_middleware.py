"""``AuthenticationMiddleware``: ask a backend who the connection is, before the app runs."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Union

from asgi_auth._backend import AuthCredentials, AuthenticationBackend, AuthenticationError
from asgi_auth._users import UnauthenticatedUser
from asgi_core import HTTPConnection
from asgi_core.scope_keys import AUTH, USER
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_responses import PlainTextResponse, Response

__all__ = ["AuthenticationMiddleware"]

#: ``on_error(conn, exc)``: the response (any ASGI app) for an :class:`AuthenticationError`;
#: it may be ``async def``.
OnError = Callable[[HTTPConnection, AuthenticationError], Union[ASGIApp, Awaitable[ASGIApp]]]  # noqa: UP007


class AuthenticationMiddleware:
    """Set ``scope["auth"]`` and ``scope["user"]`` (``request.auth``, ``request.user``).

    For every HTTP request and WebSocket connection, ``await backend.authenticate(conn)``
    decides: an ``(AuthCredentials, BaseUser)`` pair is stored as it is; ``None`` stores
    ``AuthCredentials()`` (no scopes) and an ``UnauthenticatedUser``. An
    :class:`AuthenticationError` is answered by ``on_error(conn, exc)`` (by default ``400``
    with the error's message as plain text) without calling the app; a WebSocket is closed
    with code ``1000`` instead, as in Starlette. Other scope types (lifespan) pass through.
    """

    def __init__(
        self,
        app: ASGIApp,
        backend: AuthenticationBackend,
        on_error: OnError | None = None,
    ) -> None:
        if not callable(getattr(backend, "authenticate", None)):
            raise TypeError(
                "AuthenticationMiddleware needs a backend with an `async def "
                f"authenticate(self, conn)` method, got {backend!r}. Pass an instance of "
                "an AuthenticationBackend subclass: backend=MyBackend()."
            )
        if on_error is not None and not callable(on_error):
            raise TypeError(
                "AuthenticationMiddleware(on_error=...) must be a function of (conn, exc) "
                f"returning a response, or None, got {on_error!r}."
            )
        self.app = app
        self.backend = backend
        self.on_error: OnError = on_error if on_error is not None else self.default_on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate HTTP and WebSocket connections, then call the app."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        try:
            result = await self.backend.authenticate(conn)
        except AuthenticationError as exc:
            await self._refuse(conn, exc, receive, send)
            return
        if result is None:
            scope[AUTH] = AuthCredentials()
            scope[USER] = UnauthenticatedUser()
        else:
            try:
                scope[AUTH], scope[USER] = result
            except (TypeError, ValueError) as exc:
                raise type(exc)(
                    f"{type(self.backend).__name__}.authenticate() must return None or an "
                    f"(AuthCredentials, BaseUser) pair, got {result!r}."
                ) from exc
        await self.app(scope, receive, send)

    async def _refuse(
        self, conn: HTTPConnection, exc: AuthenticationError, receive: Receive, send: Send
    ) -> None:
        response = self.on_error(conn, exc)
        if inspect.isawaitable(response):
            response = await response
        if conn.scope["type"] == "websocket":
            # Starlette closes without a reason and ignores on_error's response here
            await send({"type": "websocket.close", "code": 1000})
            return
        if not callable(response):
            raise TypeError(
                f"on_error must return a response (an ASGI application), got {response!r} "
                f"from {self.on_error!r}."
            )
        await response(conn.scope, receive, send)

    @staticmethod
    def default_on_error(conn: HTTPConnection, exc: Exception) -> Response:
        """``400 Bad Request`` with ``str(exc)`` as plain text."""
        return PlainTextResponse(str(exc), status_code=400)
