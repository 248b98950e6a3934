"""Laid out like ``starlette.middleware.authentication`` (names from asgi-auth)."""

from asgi_auth import AuthenticationMiddleware

__all__ = ["AuthenticationMiddleware"]
