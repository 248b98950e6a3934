"""Laid out like ``starlette.middleware.httpsredirect`` (from asgi-middleware-httpsredirect)."""

from asgi_middleware_httpsredirect import HTTPSRedirectMiddleware

__all__ = ["HTTPSRedirectMiddleware"]
