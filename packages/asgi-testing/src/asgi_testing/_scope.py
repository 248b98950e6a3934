"""Turning an ``httpx.Request`` into an ASGI scope, as a server would."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from asgi_core.types import Scope
from asgi_testing._httpx import httpx

__all__ = ["DEFAULT_PORTS", "build_scope", "is_websocket"]

DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}


def is_websocket(request: httpx.Request) -> bool:
    """Whether the request asks for a WebSocket (a ``ws://`` or ``wss://`` URL)."""
    return request.url.scheme in ("ws", "wss")


def build_scope(
    request: httpx.Request,
    *,
    root_path: str,
    client: tuple[str, int],
    app_state: dict[str, Any],
) -> Scope:
    """The ``http`` or ``websocket`` scope for ``request``."""
    url = request.url
    scheme = url.scheme
    port = url.port or DEFAULT_PORTS.get(scheme, 80)
    # httpx always sets the Host header (from the URL unless the test gave one)
    headers = [(key.lower(), value) for key, value in request.headers.raw]
    raw_path = url.raw_path.split(b"?", 1)[0]
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": scheme,
        "path": unquote(raw_path.decode("ascii")),
        "raw_path": raw_path,
        "root_path": root_path,
        "query_string": url.query,
        "headers": headers,
        "client": client,
        "server": (url.host, port),
        "state": app_state.copy(),
        # the extensions Starlette's TestClient offers
        "extensions": {"http.response.debug": {}, "http.response.trailers": {}},
    }
    if is_websocket(request):
        scope["type"] = "websocket"
        del scope["method"]
        protocols = request.headers.get("sec-websocket-protocol")
        scope["subprotocols"] = (
            [value.strip() for value in protocols.split(",")] if protocols is not None else []
        )
        scope["extensions"] = {"websocket.http.response": {}}
    return scope
