"""Laid out like ``starlette.middleware``: the ``Middleware`` spec."""

from asgi_core import Middleware

__all__ = ["Middleware"]
