"""The same app definitions on both frameworks: ``lib.<module>`` is Starlette's or ours.

Our facade (``asgi_framework.<module>``) is laid out like Starlette's, so one definition
written against ``lib`` runs unchanged on both. ``lib.App`` is each framework's application
class (``Starlette`` on both sides, as migration needs).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class Lib:
    """Imports ``<root>.<name>`` on attribute access."""

    def __init__(self, root: str) -> None:
        self.root = root

    def __getattr__(self, name: str) -> Any:
        if name == "App":
            return self.applications.Starlette
        module: ModuleType = importlib.import_module(f"{self.root}.{name.replace('__', '.')}")
        return module

    def __repr__(self) -> str:
        return f"Lib({self.root!r})"


STARLETTE = Lib("starlette")
OURS = Lib("asgi_framework")
