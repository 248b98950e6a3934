"""Laid out like ``starlette.applications``.

``Starlette`` is another name for :class:`~asgi_framework.App`, so that code migrating from
Starlette only changes its import root.
"""

from asgi_core.types import AppType
from asgi_framework._app import App

#: ``App`` under Starlette's name (the same class).
Starlette = App

__all__ = ["App", "AppType", "Starlette"]
