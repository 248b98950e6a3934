"""``BaseRoute``, ``Route`` and ``WebSocketRoute``."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any, Literal

from asgi_core import HTTPException, Middleware, URLPath, get_route_path
from asgi_core.scope_keys import APP, ENDPOINT, PATH_PARAMS, ROOT_PATH
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_bodylimit import RequestBodyLimitMiddleware
from asgi_responses import PlainTextResponse
from asgi_routing._compile import compile_path, path_pattern, replace_params
from asgi_routing._convertors import Convertor, convert_params
from asgi_routing._errors import RouteConfigurationError
from asgi_routing._match import Match, NoMatchFound
from asgi_routing._wrappers import get_name, request_response, websocket_session
from asgi_websockets import WebSocketClose

__all__ = [
    "BaseRoute",
    "Route",
    "WebSocketRoute",
    "apply_middleware",
    "check_routed_path",
    "method_not_allowed",
]

_NO_MATCH: tuple[Match, Scope] = (Match.NONE, {})


def check_routed_path(path: str, kind: str = "route") -> None:
    """Raise :class:`RouteConfigurationError` unless ``path`` starts with ``/``."""
    if not path.startswith("/"):
        hint = " (or '' to mount at the root)" if kind == "mount" else ""
        raise RouteConfigurationError(
            f"Routed paths must start with '/': got {path!r}. Write {'/' + path!r}{hint}."
        )


def apply_middleware(
    app: ASGIApp, middleware: Sequence[Middleware] | None, max_body_size: int | None = None
) -> ASGIApp:
    """Wrap ``app`` so that the first middleware of the list runs first.

    With a ``max_body_size``, a request body limit wraps them all (as in Starlette: the
    middleware see the limit in ``scope["starlette.max_body_size"]``); inside an outer limit
    (the application's) the innermost one is in force.
    """
    for cls, args, kwargs in reversed(middleware or ()):
        app = cls(app, *args, **kwargs)
    if max_body_size is not None:
        app = RequestBodyLimitMiddleware(app, max_body_size=max_body_size)
    return app


async def method_not_allowed(
    scope: Scope, receive: Receive, send: Send, allowed: Collection[str]
) -> None:
    """Answer 405 with ``Allow``; inside an application, raise it for its handlers."""
    headers = {"Allow": ", ".join(allowed)}
    if APP in scope:
        raise HTTPException(status_code=405, headers=headers)
    await PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)(
        scope, receive, send
    )


def _is_plain_function(endpoint: Any) -> bool:
    while isinstance(endpoint, functools.partial):
        endpoint = endpoint.func
    return inspect.isfunction(endpoint) or inspect.ismethod(endpoint)


class BaseRoute:
    """A route: ``matches(scope)`` says whether it applies; ``handle`` serves the request."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """``(Match, child_scope)``: how this route matches, and what to add to the scope."""
        raise NotImplementedError()  # pragma: no cover - abstract

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """The path of the route called ``name`` (``NoMatchFound`` if it is not this one)."""
        raise NotImplementedError()  # pragma: no cover - abstract

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a request this route matched."""
        raise NotImplementedError()  # pragma: no cover - abstract

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Use the route on its own as an ASGI app: 404 (or close) when it does not match."""
        match, child_scope = self.matches(scope)
        if match is Match.NONE:
            if scope["type"] == "http":
                await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            elif scope["type"] == "websocket":
                await WebSocketClose()(scope, receive, send)
            return
        scope.update(child_scope)
        await self.handle(scope, receive, send)


class Route(BaseRoute):
    """An HTTP route: ``Route("/users/{id:int}", endpoint, methods=["GET"])``.

    A function endpoint (sync or async) receives a ``Request`` and returns a response; any
    other endpoint (an ``HTTPEndpoint`` class, an ASGI app) is called as an ASGI app. A route
    allowing ``GET`` allows ``HEAD`` too. ``middleware`` wraps the endpoint;
    ``max_body_size`` (bytes) answers ``413`` for larger request bodies and, inside an
    application's limit, replaces it for this route (asgi-middleware-bodylimit).

    Subclasses behave like ``Route``: one that keeps ``matches`` and ``handle`` is routed
    through the compiled table like any route; one that overrides ``matches`` is asked
    itself, in declaration order.
    """

    _path_regex: re.Pattern[str]

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
        middleware: Sequence[Middleware] | None = None,
        max_body_size: int | None = None,
    ) -> None:
        check_routed_path(path)
        self.path = path
        self.endpoint = endpoint
        self.name = get_name(endpoint) if name is None else name
        self.include_in_schema = include_in_schema
        if _is_plain_function(endpoint):
            self.app: ASGIApp = request_response(endpoint)
            if methods is None:
                methods = ["GET"]
        else:
            self.app = endpoint
        self.app = apply_middleware(self.app, middleware, max_body_size)
        if methods is None:
            self.methods: set[str] | None = None
        else:
            self.methods = {method.upper() for method in methods}
            if "GET" in self.methods:
                self.methods.add("HEAD")
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)

    @property
    def path_regex(self) -> re.Pattern[str]:
        """The regular expression a request path must match completely."""
        return self._path_regex

    @path_regex.setter
    def path_regex(self, regex: re.Pattern[str]) -> None:
        # When the regex is the one compiled from ``path`` (also when a subclass such as
        # FastAPI's APIRoute compiles it itself), string operations do part of its work:
        # a path without parameters is compared whole, and a request path must start with
        # the text before the first parameter. Another regex turns both off.
        self._path_regex = regex
        self._static_path: str | None = None
        self._prefix = ""
        path = getattr(self, "path", None)
        if isinstance(path, str) and _compiled_from(regex, path):
            self._prefix = path.split("{", 1)[0]
            if regex.groups == 0:
                self._static_path = path

    def match_path(self, scope: Scope, path: str) -> dict[str, Any] | None:
        """The path parameters when ``path`` (the scope's route path) fits, else ``None``."""
        if self._static_path is not None:  # no parameters: a string comparison will do
            if path != self._static_path:
                return None
            existing = scope.get(PATH_PARAMS)
            return dict(existing) if existing else {}
        if not path.startswith(self._prefix):  # cheaper than the regex for most routes
            return None
        match = self._path_regex.fullmatch(path)
        if match is None:
            return None
        return _path_params(scope, match, self.param_convertors)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match an ``http`` scope whose path fits; ``PARTIAL`` when the method does not."""
        if scope["type"] != "http":
            return _NO_MATCH
        path = get_route_path(scope) if scope.get(ROOT_PATH) else scope["path"]
        path_params = self.match_path(scope, path)
        if path_params is None:
            return _NO_MATCH
        child_scope = {ENDPOINT: self.endpoint, PATH_PARAMS: path_params}
        methods = self.methods
        if methods and scope["method"] not in methods:
            return Match.PARTIAL, child_scope
        return Match.FULL, child_scope

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """This route's path with ``path_params`` filled in."""
        return _url_path_for(self, name, path_params, "http")

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the endpoint, or answer 405 when the method is not allowed."""
        if self.methods and scope["method"] not in self.methods:
            await method_not_allowed(scope, receive, send, sorted(self.methods))
        else:
            await self.app(scope, receive, send)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Route)
            and self.path == other.path
            and self.endpoint == other.endpoint
            and self.methods == other.methods
        )

    __hash__ = BaseRoute.__hash__

    def __repr__(self) -> str:
        methods = sorted(self.methods or [])
        name = self.__class__.__name__
        return f"{name}(path={self.path!r}, name={self.name!r}, methods={methods!r})"


def _compiled_from(regex: re.Pattern[str], path: str) -> bool:
    """Whether ``regex`` is the one :func:`compile_path` compiles for ``path``."""
    if regex.flags != re.UNICODE:
        return False
    try:
        return regex.pattern == path_pattern(path)
    except ValueError:  # not a path compile_path accepts: it cannot be compiled from it
        return False


def _url_path_for(
    route: Route | WebSocketRoute,
    name: str,
    path_params: dict[str, Any],
    protocol: Literal["http", "websocket"],
) -> URLPath:
    """``route``'s path with ``path_params`` filled in, if ``name`` is its name."""
    if name != route.name or set(path_params) != set(route.param_convertors):
        raise NoMatchFound(name, path_params)
    path, _ = replace_params(route.path_format, route.param_convertors, path_params)
    return URLPath(path=path, protocol=protocol)


def _path_params(
    scope: Scope, match: re.Match[str], convertors: dict[str, Convertor[Any]]
) -> dict[str, Any] | None:
    """A copy of the scope's path parameters updated with the converted matched ones.

    ``None`` when a convertor refuses its text (see :func:`convert_params`).
    """
    existing = scope.get(PATH_PARAMS)
    path_params: dict[str, Any] = dict(existing) if existing else {}
    if convertors and not convert_params(match.groupdict(), convertors, path_params):
        return None
    return path_params


class WebSocketRoute(BaseRoute):
    """A WebSocket route: ``WebSocketRoute("/ws", endpoint)``.

    A function endpoint receives a ``WebSocket``; any other endpoint (a
    ``WebSocketEndpoint`` class, an ASGI app) is called as an ASGI app.
    ``max_message_size`` bounds the messages a function endpoint receives.
    """

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        middleware: Sequence[Middleware] | None = None,
        max_message_size: int | None = None,
    ) -> None:
        check_routed_path(path)
        self.path = path
        self.endpoint = endpoint
        self.name = get_name(endpoint) if name is None else name
        if _is_plain_function(endpoint):
            self.app: ASGIApp = websocket_session(endpoint, max_message_size=max_message_size)
        else:
            self.app = endpoint
        self.app = apply_middleware(self.app, middleware)
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match a ``websocket`` scope whose path fits."""
        if scope["type"] != "websocket":
            return _NO_MATCH
        match = self.path_regex.fullmatch(get_route_path(scope))
        if match is None:
            return _NO_MATCH
        path_params = _path_params(scope, match, self.param_convertors)
        if path_params is None:
            return _NO_MATCH
        return Match.FULL, {ENDPOINT: self.endpoint, PATH_PARAMS: path_params}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """This route's path with ``path_params`` filled in (a ``ws``/``wss`` URL path)."""
        return _url_path_for(self, name, path_params, "websocket")

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the endpoint."""
        await self.app(scope, receive, send)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, WebSocketRoute)
            and self.path == other.path
            and self.endpoint == other.endpoint
        )

    __hash__ = BaseRoute.__hash__

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(path={self.path!r}, name={self.name!r})"
