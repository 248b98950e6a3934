"""asgi-middleware-trustedhost: refuse requests for hosts the application does not serve.

``TrustedHostMiddleware`` (Starlette's parameters and answers: wildcard subdomains,
case-insensitive names, ports ignored, IPv6 literals, ``www.`` redirects, 400 ``Invalid host
header``), ``ENFORCE_DOMAIN_WILDCARD`` (Starlette's message) and
``TrustedHostConfigurationError`` (a ``ValueError`` and ``AssertionError`` for a bad pattern).
"""

from asgi_middleware_trustedhost._errors import (
    ENFORCE_DOMAIN_WILDCARD,
    TrustedHostConfigurationError,
)
from asgi_middleware_trustedhost._middleware import TrustedHostMiddleware

__version__ = "0.1.0"

__all__ = [
    "ENFORCE_DOMAIN_WILDCARD",
    "TrustedHostConfigurationError",
    "TrustedHostMiddleware",
    "__version__",
]
