"""Laid out like ``starlette.status`` (names from asgi-core; old names warn)."""

from typing import Any

from asgi_core import status as _status
from asgi_core.status import *  # noqa: F403 - every HTTP_* and WS_* constant

__all__ = list(_status.__all__)


def __getattr__(name: str) -> Any:
    return getattr(_status, name)


def __dir__() -> list[str]:
    return dir(_status)
