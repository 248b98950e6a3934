"""``RouteConfigurationError``: the routing API was used wrongly."""

from __future__ import annotations

__all__ = ["RouteConfigurationError"]


class RouteConfigurationError(ValueError, AssertionError):
    """A route, mount, host or path parameter that cannot work, found when it is made or used.

    Raised for a path not starting with ``/``, a ``Mount`` without ``app=`` or ``routes=``,
    an unknown or duplicated path parameter, or a value a convertor cannot put in a URL
    (``url_path_for("user", id=-1)``). It is a ``ValueError``, and also an ``AssertionError``
    because Starlette raises ``AssertionError`` in these places and code written for it may
    catch that; unlike an ``assert`` it is raised under ``python -O`` too.
    """
