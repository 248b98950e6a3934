"""asgi-middleware-compress: response compression for any ASGI application.

:class:`GZipMiddleware` is Starlette's (same signature, defaults and headers);
:class:`CompressMiddleware` negotiates zstd, brotli or gzip from the request's
Accept-Encoding. Both compress streamed bodies chunk by chunk, flushing each chunk, and leave
alone what must not be compressed (HEAD, 204/206/304, encoded bodies, images, SSE, gRPC).
"""

from asgi_middleware_compress._compress import CompressMiddleware
from asgi_middleware_compress._content_types import DEFAULT_EXCLUDED_CONTENT_TYPES
from asgi_middleware_compress._gzip import (
    GZipMiddleware,
    GZipResponder,
    IdentityResponder,
    unattached_send,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_EXCLUDED_CONTENT_TYPES",
    "CompressMiddleware",
    "GZipMiddleware",
    "GZipResponder",
    "IdentityResponder",
    "__version__",
    "unattached_send",
]
