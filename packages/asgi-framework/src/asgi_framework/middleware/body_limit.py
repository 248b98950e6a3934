"""Laid out like ``starlette.middleware.body_limit`` (names from asgi-middleware-bodylimit).

``App(max_body_size=...)`` and ``max_body_size=`` on ``Router``, ``Route`` and ``Mount`` use
this middleware; ``RequestBodyTooLarge`` (413) and ``InvalidContentLength`` (400) are the
``HTTPException`` subclasses it raises from ``receive()``, so exception handlers can answer them.
"""

from asgi_middleware_bodylimit import (
    MAX_BODY_SIZE_SCOPE_KEY,
    InvalidContentLength,
    RequestBodyLimitMiddleware,
    RequestBodyLimitResponder,
    RequestBodyTooLarge,
)

__all__ = [
    "MAX_BODY_SIZE_SCOPE_KEY",
    "InvalidContentLength",
    "RequestBodyLimitMiddleware",
    "RequestBodyLimitResponder",
    "RequestBodyTooLarge",
]
