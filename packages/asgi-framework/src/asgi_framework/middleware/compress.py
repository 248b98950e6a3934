"""``CompressMiddleware``: zstd, brotli or gzip, as the client prefers (asgi-middleware-compress).

Not in Starlette. gzip always works; brotli and zstd come with the ``compress`` extra
(``pip install 'asgi-framework[compress]'``). Without it the module still imports and the
middleware offers only the codings whose module is installed (gzip at least).
"""

from asgi_middleware_compress import (
    DEFAULT_EXCLUDED_CONTENT_TYPES,
    CompressMiddleware,
    GZipMiddleware,
)

__all__ = ["DEFAULT_EXCLUDED_CONTENT_TYPES", "CompressMiddleware", "GZipMiddleware"]
