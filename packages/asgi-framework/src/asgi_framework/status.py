"""Laid out like ``starlette.status`` (names from asgi-core; old names warn)."""

from typing import Any

from asgi_core import status as _status
from asgi_core.status import *  # noqa: F403 - every HTTP_* and WS_* constant
from asgi_framework._warnings import deprecations_point_at_caller

__all__ = list(_status.__all__)


def __getattr__(name: str) -> Any:
    # the old names warn; the warning points at the line that used the name
    with deprecations_point_at_caller(stacklevel=2):
        return getattr(_status, name)


def __dir__() -> list[str]:
    return dir(_status)
