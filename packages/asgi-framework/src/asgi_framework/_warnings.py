"""Deprecation warnings of the packages below, pointed at the user's code."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from asgi_core import AsgiDeprecationWarning

__all__ = ["deprecations_point_at_caller"]


@contextmanager
def deprecations_point_at_caller(stacklevel: int) -> Iterator[None]:
    """Re-emit the family's deprecation warnings raised inside at the user's line.

    The packages asgi-framework delegates to (the router, asgi-core's status module) point
    their warnings at *their* caller, which is asgi-framework's own code. The user's line is
    ``stacklevel`` frames above the function holding the ``with`` statement (``2``: its
    caller). Other warnings are re-emitted where they came from.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:
        if issubclass(warning.category, AsgiDeprecationWarning):
            # +2: this generator frame and contextlib's __exit__ sit between
            warnings.warn(warning.message, warning.category, stacklevel=stacklevel + 2)
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
