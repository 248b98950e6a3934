"""The HTTP client library the test clients are built on: httpx2 if installed, else httpx.

httpx2 continues httpx under a new import name with the same API; Starlette 1.x's
TestClient moved to it. Whichever is installed is used, httpx2 when both are, so that
``TestClient`` is an ``httpx2.Client`` (and raises ``httpx2.ReadTimeout``) there and an
``httpx.Client`` elsewhere. Type checkers see httpx: the two APIs are the same.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

__all__ = ["CANDIDATES", "httpx", "load_httpx"]

#: The import names tried, in order of preference.
CANDIDATES = ("httpx2", "httpx")


def load_httpx(candidates: Sequence[str] = CANDIDATES) -> ModuleType:
    """The first of ``candidates`` that imports."""
    for name in candidates:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImportError(
        f"asgi-testing needs an HTTP client library and found none of {list(candidates)}. "
        "Install one: pip install httpx2 (or pip install httpx)."
    )


if TYPE_CHECKING:
    import httpx
else:
    httpx = load_httpx()
