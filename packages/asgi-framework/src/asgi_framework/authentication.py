"""Laid out like ``starlette.authentication`` (names from asgi-auth).

``AuthenticationBackend`` subclasses tell who a connection is; ``requires`` protects
endpoints with scopes. The middleware is in ``asgi_framework.middleware.authentication``.
"""

from asgi_auth import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
    SimpleUser,
    UnauthenticatedUser,
    has_required_scope,
    requires,
)

__all__ = [
    "AuthCredentials",
    "AuthenticationBackend",
    "AuthenticationError",
    "BaseUser",
    "SimpleUser",
    "UnauthenticatedUser",
    "has_required_scope",
    "requires",
]
