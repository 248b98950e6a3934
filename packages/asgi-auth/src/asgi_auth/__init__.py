"""asgi-auth: authentication for ASGI applications, following ``starlette.authentication``.

``AuthenticationMiddleware`` asks an ``AuthenticationBackend`` who each HTTP request or
WebSocket connection is and stores the answer in ``scope["auth"]`` (an
``AuthCredentials`` with the granted scopes) and ``scope["user"]`` (a ``BaseUser``:
``SimpleUser``, ``UnauthenticatedUser`` or your own), which ``request.auth`` and
``request.user`` read. ``requires`` protects endpoints with scopes; ``has_required_scope``
tests them; a backend raises ``AuthenticationError`` for invalid credentials.
"""

from asgi_auth._backend import AuthCredentials, AuthenticationBackend, AuthenticationError
from asgi_auth._middleware import AuthenticationMiddleware
from asgi_auth._requires import has_required_scope, requires
from asgi_auth._users import BaseUser, SimpleUser, UnauthenticatedUser

__version__ = "0.1.0"

__all__ = [
    "AuthCredentials",
    "AuthenticationBackend",
    "AuthenticationError",
    "AuthenticationMiddleware",
    "BaseUser",
    "SimpleUser",
    "UnauthenticatedUser",
    "__version__",
    "has_required_scope",
    "requires",
]
