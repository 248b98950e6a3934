"""Path helpers shared by routers, mounts and static files."""

from __future__ import annotations

from asgi_core.types import Scope

__all__ = ["get_route_path"]


def get_route_path(scope: Scope) -> str:
    """The part of ``scope["path"]`` below ``scope["root_path"]``.

    ``path`` is the full path and ``root_path`` the prefix mounts consumed; a ``root_path``
    that is not a whole-segment prefix of ``path`` is ignored.
    """
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if not root_path or not path.startswith(root_path):
        return path
    rest = path[len(root_path) :]
    if not rest or rest[0] == "/":
        return rest
    return path
