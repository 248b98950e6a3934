"""asgi-middleware-base: ``BaseHTTPMiddleware`` for any ASGI application.

Write a middleware as ``async def dispatch(self, request, call_next)``, as with Starlette's
``starlette.middleware.base``, without its known problems: context variables set by the
application reach ``dispatch``, bodies stream in constant memory, background tasks run after
the body, a body read in ``dispatch`` is still there, exceptions arrive as themselves.
"""

from asgi_middleware_base._middleware import BaseHTTPMiddleware
from asgi_middleware_base._types import (
    AsyncContentStream,
    BodyStreamGenerator,
    DispatchFunction,
    RequestResponseEndpoint,
)

__version__ = "0.1.0"

__all__ = [
    "AsyncContentStream",
    "BaseHTTPMiddleware",
    "BodyStreamGenerator",
    "DispatchFunction",
    "RequestResponseEndpoint",
    "__version__",
]
