"""The configuration error of ``TrustedHostMiddleware``."""

from __future__ import annotations

__all__ = ["ENFORCE_DOMAIN_WILDCARD", "TrustedHostConfigurationError"]

#: Starlette's message for a wildcard anywhere but at the start (``"example.*"``).
ENFORCE_DOMAIN_WILDCARD = "Domain wildcard patterns must be like '*.example.com'."


class TrustedHostConfigurationError(ValueError, AssertionError):
    """An ``allowed_hosts`` pattern that cannot work, found when the middleware is built.

    It is a ``ValueError``, and also an ``AssertionError`` because Starlette raises
    ``AssertionError`` there and code written for it may catch that; unlike an ``assert`` it
    is raised under ``python -O`` too.
    """
