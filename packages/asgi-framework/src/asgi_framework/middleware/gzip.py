"""Laid out like ``starlette.middleware.gzip`` (names from asgi-middleware-compress).

gzip needs only the standard library; :mod:`asgi_framework.middleware.compress` also offers
brotli and zstd.
"""

from asgi_middleware_compress import (
    DEFAULT_EXCLUDED_CONTENT_TYPES,
    GZipMiddleware,
    GZipResponder,
    IdentityResponder,
    unattached_send,
)

__all__ = [
    "DEFAULT_EXCLUDED_CONTENT_TYPES",
    "GZipMiddleware",
    "GZipResponder",
    "IdentityResponder",
    "unattached_send",
]
