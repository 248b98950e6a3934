"""Laid out like ``starlette.applications``."""

from asgi_framework._app import App

__all__ = ["App"]
