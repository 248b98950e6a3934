"""What an authentication backend gets and gives: the backend class, credentials, its error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asgi_auth._users import BaseUser
    from asgi_core import HTTPConnection

__all__ = ["AuthCredentials", "AuthenticationBackend", "AuthenticationError"]


class AuthenticationError(Exception):
    """Raised by a backend for credentials that are present but invalid.

    :class:`~asgi_auth.AuthenticationMiddleware` answers it with ``400`` and the message as
    plain text (or with its ``on_error`` response), and closes a WebSocket with ``1000``.
    Return ``None`` from the backend instead when there are no credentials at all.
    """


class AuthCredentials:
    """The scopes (permissions) granted to a connection; ``request.auth``.

    ``scopes`` is copied into a list. Like Starlette, a string is a sequence of its
    characters: write ``AuthCredentials(["admin"])``, not ``AuthCredentials("admin")``.
    """

    def __init__(self, scopes: Sequence[str] | None = None) -> None:
        self.scopes: list[str] = [] if scopes is None else list(scopes)


class AuthenticationBackend:
    """Subclass it and implement :meth:`authenticate`."""

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        """Look at the connection (headers, cookies, session, ...) and say who it is.

        Return ``(AuthCredentials([...]), user)`` for an authenticated connection,
        ``None`` when there are no credentials (the user becomes an
        :class:`~asgi_auth.UnauthenticatedUser`), or raise :class:`AuthenticationError`
        for invalid ones. ``conn`` is an ``HTTPConnection`` for HTTP and WebSocket alike.
        """
        raise NotImplementedError()
