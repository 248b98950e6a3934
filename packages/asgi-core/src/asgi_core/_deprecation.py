"""The one deprecation warning of the family and the helper that raises it."""

from __future__ import annotations

import warnings

__all__ = ["AsgiDeprecationWarning", "warn_deprecated"]


class AsgiDeprecationWarning(UserWarning):
    """Warns that a name or behaviour of an ``asgi-*`` package will be removed.

    It subclasses :class:`UserWarning` rather than :class:`DeprecationWarning` on purpose:
    Python hides ``DeprecationWarning`` outside ``__main__`` by default, and a deprecation
    nobody sees is a breaking change nobody prepared for.
    """


def warn_deprecated(message: str, *, stacklevel: int = 2) -> None:
    """Emit :class:`AsgiDeprecationWarning` with ``message``.

    ``stacklevel`` counts from the caller of this helper, so the default points at the
    code that called the deprecated function.
    """
    warnings.warn(message, AsgiDeprecationWarning, stacklevel=stacklevel + 1)
