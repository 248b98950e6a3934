"""Laid out like ``starlette.config``."""

from asgi_framework._config import Config, Environ, EnvironError, environ, undefined

__all__ = ["Config", "Environ", "EnvironError", "environ", "undefined"]
