"""Laid out like ``starlette.middleware.base`` (names from asgi-middleware-base)."""

from asgi_middleware_base import (
    AsyncContentStream,
    BaseHTTPMiddleware,
    BodyStreamGenerator,
    DispatchFunction,
    RequestResponseEndpoint,
)

__all__ = [
    "AsyncContentStream",
    "BaseHTTPMiddleware",
    "BodyStreamGenerator",
    "DispatchFunction",
    "RequestResponseEndpoint",
]
