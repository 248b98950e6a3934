"""Span attributes of an HTTP server request (OpenTelemetry HTTP semantic conventions).

The names, values and their order follow Starlette 1.10's ``OpenTelemetryMiddleware``.
Attributes that have no value for a request (no query string, no client, ...) are left out
rather than set empty. Nothing here can fail on what a client sends: an invalid ``Host``
header is ignored in favour of ``scope["server"]`` (asgi-core's ``URL`` checks it), a query
string that is not UTF-8 is kept percent-encoded.
"""

from __future__ import annotations

from typing import Any

from asgi_core import URL
from asgi_core.types import Scope

__all__ = [
    "CLIENT_ADDRESS",
    "ERROR_TYPE",
    "HTTP_REQUEST_METHOD",
    "HTTP_REQUEST_METHOD_ORIGINAL",
    "HTTP_RESPONSE_STATUS_CODE",
    "HTTP_ROUTE",
    "NETWORK_PROTOCOL_VERSION",
    "SERVER_ADDRESS",
    "SERVER_PORT",
    "URL_PATH",
    "URL_QUERY",
    "URL_SCHEME",
    "USER_AGENT_ORIGINAL",
    "http_route",
    "request_attributes",
]

HTTP_REQUEST_METHOD = "http.request.method"
HTTP_REQUEST_METHOD_ORIGINAL = "http.request.method_original"
URL_PATH = "url.path"
URL_SCHEME = "url.scheme"
URL_QUERY = "url.query"
SERVER_ADDRESS = "server.address"
SERVER_PORT = "server.port"
NETWORK_PROTOCOL_VERSION = "network.protocol.version"
CLIENT_ADDRESS = "client.address"
USER_AGENT_ORIGINAL = "user_agent.original"
HTTP_RESPONSE_STATUS_CODE = "http.response.status_code"
ERROR_TYPE = "error.type"
HTTP_ROUTE = "http.route"


def request_attributes(scope: Scope, url: URL) -> dict[str, Any]:
    """The attributes known when the request arrives, given to the sampler at span start.

    ``url`` is ``URL(scope=scope)``: it holds the validated authority and the decoded query.
    """
    original = scope["method"]
    method = original.upper()
    attributes: dict[str, Any] = {
        HTTP_REQUEST_METHOD: method,
        URL_PATH: scope["path"],
        URL_SCHEME: scope.get("scheme", "http"),
    }
    if method != original:
        attributes[HTTP_REQUEST_METHOD_ORIGINAL] = original
    query = url.query
    if query:
        attributes[URL_QUERY] = query
    hostname = url.hostname
    if hostname:
        attributes[SERVER_ADDRESS] = hostname
        port = url.port
        if port is None:
            server = scope.get("server")
            if server is not None:
                port = server[1]
        if port is not None:
            attributes[SERVER_PORT] = port
    http_version = scope.get("http_version")
    if http_version:
        attributes[NETWORK_PROTOCOL_VERSION] = http_version
    client = scope.get("client")
    if client:
        attributes[CLIENT_ADDRESS] = client[0]
    for name, value in scope["headers"]:
        if name == b"user-agent":
            attributes[USER_AGENT_ORIGINAL] = value.decode("latin-1")
            break
    return attributes


def http_route(scope: Scope) -> str | None:
    """The route template of the request, read from ``scope["route"]`` once the app is done.

    A route with a ``path_format`` (``Route``, ``WebSocketRoute`` of asgi-routing, Starlette
    or FastAPI) gives ``root_path`` + its path with the convertors dropped
    (``/items/{id:int}`` -> ``/items/{id}``); a ``Mount`` whose app is not a router gives the
    ``root_path`` it extended (``"/"`` when empty). ``Host``, other objects, or no route
    (nothing matched) give ``None``: the span keeps the method as its name.
    """
    route = scope.get("route")
    if route is None:
        return None
    path_format = getattr(route, "path_format", None)
    if not isinstance(path_format, str):
        return None
    root_path: str = scope.get("root_path") or ""
    if hasattr(route, "routes"):  # a Mount: root_path already ends with its prefix
        return root_path or "/"
    return root_path + path_format
