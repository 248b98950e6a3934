"""Laid out like ``starlette.middleware.cors`` (names from asgi-middleware-cors)."""

from asgi_middleware_cors import ALL_METHODS, SAFELISTED_HEADERS, CORSMiddleware

__all__ = ["ALL_METHODS", "SAFELISTED_HEADERS", "CORSMiddleware"]
