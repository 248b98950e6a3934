"""``starlette._utils``: the private helpers FastAPI imports from it."""

from asgi_core import get_route_path, is_async_callable

__all__ = ["get_route_path", "is_async_callable"]
