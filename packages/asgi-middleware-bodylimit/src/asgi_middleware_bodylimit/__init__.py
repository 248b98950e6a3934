"""asgi-middleware-bodylimit: a request body size limit for any ASGI application.

``RequestBodyLimitMiddleware(app, max_body_size)`` answers ``413 Content Too Large`` for a
body over the limit (declared by ``Content-Length`` or streamed) and ``400`` for an invalid
``Content-Length``. Limits nest: the innermost one wins, so a route can allow more (or less)
than the application. Follows ``starlette.middleware.body_limit``.
"""

from asgi_middleware_bodylimit._errors import InvalidContentLength, RequestBodyTooLarge
from asgi_middleware_bodylimit._middleware import RequestBodyLimitMiddleware
from asgi_middleware_bodylimit._responder import (
    MAX_BODY_SIZE_SCOPE_KEY,
    RequestBodyLimitResponder,
)

__version__ = "0.1.0"

__all__ = [
    "MAX_BODY_SIZE_SCOPE_KEY",
    "InvalidContentLength",
    "RequestBodyLimitMiddleware",
    "RequestBodyLimitResponder",
    "RequestBodyTooLarge",
    "__version__",
]
