"""Every ASGI scope key the family reads or writes, in one place.

Packages of the family talk to each other only through the scope and public classes.
Where Starlette gives a key a meaning, the same key holds a value of the same shape, so a
FastAPI ``request.session`` reads what our ``SessionMiddleware`` wrote and vice versa.
:data:`SCOPE_KEYS` maps each key to a line saying who writes it and what it holds.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "APP",
    "APP_ROOT_PATH",
    "AUTH",
    "ENDPOINT",
    "ERROR_SEND",
    "EXCEPTION_APP",
    "EXCEPTION_HANDLERS",
    "PATH_PARAMS",
    "ROOT_PATH",
    "ROUTE",
    "ROUTER",
    "SCOPE_KEYS",
    "SESSION",
    "SHARED_RECEIVE",
    "STATE",
    "USER",
]

APP: Final = "app"
APP_ROOT_PATH: Final = "app_root_path"
AUTH: Final = "auth"
ENDPOINT: Final = "endpoint"
ERROR_SEND: Final = "asgi_framework.error_send"
EXCEPTION_APP: Final = "asgi_framework.exception_app"
EXCEPTION_HANDLERS: Final = "starlette.exception_handlers"
PATH_PARAMS: Final = "path_params"
ROOT_PATH: Final = "root_path"
ROUTE: Final = "route"
ROUTER: Final = "router"
SESSION: Final = "session"
SHARED_RECEIVE: Final = "asgi_core.shared_receive"
STATE: Final = "state"
USER: Final = "user"

SCOPE_KEYS: Final[dict[str, str]] = {
    APP: "the outermost application object (App); set by the App on every request.",
    APP_ROOT_PATH: "the root_path the application was reached at, before mounts added to "
    "root_path; set by the outermost Mount that matched, request.base_url is built from it.",
    AUTH: "an AuthCredentials (the granted scopes); set by AuthenticationMiddleware.",
    ENDPOINT: "the endpoint of the matched route (a Mount's or Host's app until a route inside "
    "it matches); set by the router, the innermost match wins.",
    ERROR_SEND: "the holder (asgi_framework's SendSlot) ServerErrorMiddleware puts in the scope of "
    "each HTTP request; the innermost ExceptionMiddleware stores in it the send every user "
    "middleware wrapped, so that the 500 passes back through them (CORS headers and the like).",
    EXCEPTION_APP: "the application ExceptionMiddleware calls directly (an App's router); set by "
    "it on each HTTP request. A Router finding itself there, without middleware of its own, "
    "sends the 404 that the default HTTPException handler would send instead of raising it: "
    "the same response through the same send, without the cost of an exception.",
    EXCEPTION_HANDLERS: "a (handlers by exception class, handlers by status code) pair; set by "
    "ExceptionMiddleware and read where endpoints are wrapped. Same key as Starlette.",
    PATH_PARAMS: "dict of converted path parameters of the matched route (merged across mounts "
    "and hosts); set by the router.",
    ROOT_PATH: "ASGI root_path: extended by each Mount with the prefix it matched; path itself "
    "stays the full path.",
    ROUTE: "the route object that matched (Route, WebSocketRoute, Mount, Host, ...; for a 405 "
    "the first route matching the path); set by the router, the innermost match wins. Same key "
    "and value as Starlette 1.7+; span names and logs read its path.",
    ROUTER: "the outermost Router the request went through (set only if absent, so mounted "
    "routers keep it); request.url_for asks it, so mounted routes are named 'mount:route'.",
    SESSION: "the session dict (JSON-serialisable values); set by SessionMiddleware.",
    SHARED_RECEIVE: "an asgi_core.SharedReceive over the connection's receive; set by a response "
    "that watches for http.disconnect while the body may still be read, read by Request.",
    STATE: "per-request state dict, seeded from the lifespan state; request.state wraps it.",
    USER: "a BaseUser (SimpleUser, UnauthenticatedUser, ...); set by AuthenticationMiddleware.",
}
