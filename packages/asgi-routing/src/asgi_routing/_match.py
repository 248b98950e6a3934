"""``Match`` and ``NoMatchFound``."""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["Match", "NoMatchFound"]


class Match(enum.Enum):
    """How a route matches a scope: not at all, by path only (wrong method), or fully."""

    NONE = 0
    PARTIAL = 1
    FULL = 2


class NoMatchFound(Exception):
    """``url_path_for`` found no route with that name and those parameters.

    The message is Starlette's: ``No route exists for name "user" and params "id, x".``
    (``params ""`` when there are none).
    """

    def __init__(self, name: str, path_params: dict[str, Any]) -> None:
        params = ", ".join(path_params)
        super().__init__(f'No route exists for name "{name}" and params "{params}".')
