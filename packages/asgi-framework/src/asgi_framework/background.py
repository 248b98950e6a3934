"""Laid out like ``starlette.background`` (names from asgi-core)."""

from asgi_core.background import BackgroundTask, BackgroundTasks

__all__ = ["BackgroundTask", "BackgroundTasks"]
