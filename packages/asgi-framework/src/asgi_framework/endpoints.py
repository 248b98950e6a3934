"""Laid out like ``starlette.endpoints`` (names from asgi-routing)."""

from asgi_routing import HTTPEndpoint, WebSocketEndpoint

__all__ = ["HTTPEndpoint", "WebSocketEndpoint"]
