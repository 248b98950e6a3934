"""Laid out like ``starlette.middleware.trustedhost`` (names from asgi-middleware-trustedhost).

``TrustedHostConfigurationError`` is new: it is what a bad ``allowed_hosts`` raises, and it is
an ``AssertionError`` too, so code written for Starlette still catches it.
"""

from asgi_middleware_trustedhost import (
    ENFORCE_DOMAIN_WILDCARD,
    TrustedHostConfigurationError,
    TrustedHostMiddleware,
)

__all__ = ["ENFORCE_DOMAIN_WILDCARD", "TrustedHostConfigurationError", "TrustedHostMiddleware"]
