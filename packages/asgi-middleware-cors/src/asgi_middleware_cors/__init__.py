"""asgi-middleware-cors: Cross-Origin Resource Sharing for any ASGI application.

``CORSMiddleware`` (Starlette's parameters, defaults and answers; origin regexes match whole
origins; credentials with ``allow_origins=["*"]`` echo the origin with ``Vary: Origin``;
Private Network Access), and Starlette's public constants ``ALL_METHODS`` and
``SAFELISTED_HEADERS``.
"""

from asgi_middleware_cors._constants import ALL_METHODS, SAFELISTED_HEADERS
from asgi_middleware_cors._middleware import CORSMiddleware

__version__ = "0.1.0"

__all__ = ["ALL_METHODS", "SAFELISTED_HEADERS", "CORSMiddleware", "__version__"]
