"""The issue-16 scenarios on this framework: one ``asgi_framework.App`` per scenario.

Written once, with Starlette's, in :mod:`starlette_shaped`.
"""

from __future__ import annotations

from starlette_shaped import build

from asgi_core.types import ASGIApp

_OURS = build("asgi_framework")
APPS: dict[str, ASGIApp] = _OURS.apps
#: The plain-text endpoint, for the per-layer measurement (layers.py).
plaintext = _OURS.plaintext
