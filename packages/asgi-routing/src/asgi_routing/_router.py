"""``Router``: dispatches requests to routes through the compiled routing table."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from asgi_core import URL, HTTPException, Middleware, URLPath, get_route_path, warn_deprecated
from asgi_core.scope_keys import (
    APP,
    ENDPOINT,
    EXCEPTION_APP,
    EXCEPTION_HANDLERS,
    PATH_PARAMS,
    ROOT_PATH,
    ROUTE,
    ROUTER,
)
from asgi_core.types import ASGIApp, Lifespan, Receive, Scope, Send
from asgi_responses import PlainTextResponse, RedirectResponse
from asgi_routing._exception_handling import answered_by_default
from asgi_routing._lifespan import DefaultLifespan, lifespan_context_for, run_lifespan
from asgi_routing._match import Match, NoMatchFound
from asgi_routing._mount import Host, Mount
from asgi_routing._route import (
    BaseRoute,
    Route,
    WebSocketRoute,
    apply_middleware,
    method_not_allowed,
)
from asgi_routing._table import RouteList, RouteTable
from asgi_websockets import WebSocketClose

__all__ = ["Router"]

_FULL = Match.FULL
_PARTIAL = Match.PARTIAL
_NOTHING: Scope = {}  # read-only placeholder: replaced before anything reads it


def _plain_route_types(routes: Sequence[BaseRoute]) -> frozenset[type]:
    """The classes among ``routes`` that the router may dispatch inline: ``Route`` and
    subclasses keeping its ``matches``, ``match_path`` and ``handle``."""
    return frozenset(
        kind
        for kind in {type(route) for route in routes}
        if issubclass(kind, Route)
        and kind.matches is Route.matches
        and kind.match_path is Route.match_path
        and kind.handle is Route.handle
    )


def _allowed_methods(routes: list[BaseRoute], method: str) -> set[str] | None:
    """The methods of ``routes`` if each of them would answer 405 to ``method``, else None."""
    allowed: set[str] = set()
    for route in routes:
        if not isinstance(route, Route) or type(route).handle is not Route.handle:
            return None
        methods = route.methods
        if not methods or method in methods:  # its handle would call the endpoint
            return None
        allowed.update(methods)
    return allowed


class Router:
    """Dispatch each request to the first route that matches it, as Starlette's router does.

    The routes are compiled into a :class:`~asgi_routing.RouteTable` (rebuilt whenever
    :attr:`routes` changes) so that finding the route costs the same with 10 or 10,000
    routes. When a path matches only with another method, the answer is ``405`` with an
    ``Allow`` header listing the methods of every route matching that path. With
    ``redirect_slashes``, ``/a/`` redirects to ``/a`` (and the other way) when only that
    form has a route. Unmatched requests go to ``default`` (404, or a WebSocket close).
    ``middleware`` wraps the router; ``max_body_size`` (bytes) answers ``413`` for larger
    request bodies (asgi-middleware-bodylimit; a route's own limit replaces it).

    The router writes ``scope["router"]`` (the outermost router, if none is there yet) and,
    for the route that matched, ``scope["route"]``, ``scope["endpoint"]`` and
    ``scope["path_params"]`` (see :mod:`asgi_core.scope_keys`).
    """

    def __init__(
        self,
        routes: Sequence[BaseRoute] | None = None,
        redirect_slashes: bool = True,
        default: ASGIApp | None = None,
        lifespan: Lifespan[Any] | None = None,
        *,
        middleware: Sequence[Middleware] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        max_body_size: int | None = None,
    ) -> None:
        self.routes = RouteList(routes or [])
        self.redirect_slashes = redirect_slashes
        self.default: ASGIApp = self.not_found if default is None else default
        if on_startup or on_shutdown:
            warn_deprecated(
                "The on_startup and on_shutdown parameters are deprecated: use lifespan=, an "
                "@contextlib.asynccontextmanager function.",
                stacklevel=2,
            )
            if lifespan is not None:
                raise ValueError("Use either 'lifespan' or 'on_startup'/'on_shutdown', not both.")
        self.on_startup: list[Callable[[], Any]] = list(on_startup or [])
        self.on_shutdown: list[Callable[[], Any]] = list(on_shutdown or [])
        if lifespan is None:
            self.lifespan_context: Callable[[Any], Any] = DefaultLifespan(
                self.on_startup, self.on_shutdown
            )
        else:
            self.lifespan_context = lifespan_context_for(lifespan)
        self.middleware_stack = apply_middleware(self.app, middleware, max_body_size)
        self._table: RouteTable | None = None
        self._table_routes: RouteList | None = None
        self._table_version = -1
        self._plain_types: frozenset[type] = frozenset()

    @property
    def routes(self) -> RouteList:
        """The routes, in order; change them freely, the table follows."""
        return self._routes

    @routes.setter
    def routes(self, routes: Sequence[BaseRoute]) -> None:
        self._routes = routes if isinstance(routes, RouteList) else RouteList(routes)

    @property
    def table(self) -> RouteTable:
        """The compiled routing table of the current routes."""
        routes = self._routes
        table = self._table
        if (
            table is None
            or self._table_routes is not routes
            or self._table_version != routes.version
        ):
            table = self._table = RouteTable(routes)
            self._plain_types = _plain_route_types(routes)
            self._table_routes = routes
            self._table_version = routes.version
        return table

    async def not_found(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The default ``default``: 404, raised for the app's handlers inside an application.

        When the application's exception middleware calls this router directly (see
        :data:`~asgi_core.scope_keys.EXCEPTION_APP`) and would answer the 404 with the
        default handler, the router sends that answer itself: the same response through
        the same ``send``, without raising and catching an exception.
        """
        if scope["type"] == "websocket":
            await WebSocketClose()(scope, receive, send)
            return
        if APP in scope and not (
            scope.get(EXCEPTION_APP) is self
            and self.middleware_stack == self.app  # nothing of its own between them
            and answered_by_default(scope[EXCEPTION_HANDLERS], 404)
        ):
            raise HTTPException(status_code=404)
        await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """The path of the route called ``name`` (``NoMatchFound`` when there is none)."""
        for route in self._routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)

    async def startup(self) -> None:
        """Run the startup handlers (deprecated API)."""
        await DefaultLifespan(self.on_startup, self.on_shutdown).__aenter__()

    async def shutdown(self) -> None:
        """Run the shutdown handlers (deprecated API)."""
        await DefaultLifespan(self.on_startup, self.on_shutdown).__aexit__(None, None, None)

    async def lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle a ``lifespan`` scope."""
        await run_lifespan(self.lifespan_context, scope, receive, send)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The router itself, inside its middleware."""
        scope_type = scope["type"]
        if scope_type not in ("http", "websocket", "lifespan"):
            raise ValueError(f"Router cannot handle a {scope_type!r} scope.")
        scope.setdefault(ROUTER, self)  # the outermost router
        if scope_type == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        table = self._table
        routes = self._routes
        if (
            table is None
            or self._table_routes is not routes
            or self._table_version != routes.version
        ):
            table = self.table
        plain_types = self._plain_types
        route_path = get_route_path(scope) if scope.get(ROOT_PATH) else scope["path"]
        partial: list[BaseRoute] | None = None
        partial_scope: Scope = _NOTHING
        is_http = scope_type == "http"
        # the table's memory of static paths first: most requests end there, without a call
        candidates = table._cache.get(route_path)
        if candidates is None:
            candidates = table.candidates(route_path)
        for route in candidates:
            if type(route) in plain_types:
                # the common case, written out: what Route.matches and Route.handle would do
                # (tests/test_router_fast_paths.py checks that they agree)
                if not is_http:
                    continue
                plain: Route = route  # type: ignore[assignment] # plain_types holds Routes only
                static = plain._static_path
                if static is None:
                    path_params = plain.match_path(scope, route_path)
                    if path_params is None:
                        continue
                elif route_path != static:
                    continue
                else:  # Route.match_path of a path without parameters
                    existing = scope.get(PATH_PARAMS)
                    path_params = dict(existing) if existing else {}
                methods = plain.methods
                if methods and scope["method"] not in methods:
                    if partial is None:
                        partial = []
                        partial_scope = {ENDPOINT: plain.endpoint, PATH_PARAMS: path_params}
                    partial.append(route)
                    continue
                scope[ENDPOINT] = plain.endpoint
                scope[PATH_PARAMS] = path_params
                scope[ROUTE] = route
                await plain.app(scope, receive, send)
                return
            match, child_scope = route.matches(scope)
            if match is _FULL:
                scope.update(child_scope)
                scope[ROUTE] = route
                await route.handle(scope, receive, send)
                return
            if match is _PARTIAL:
                if partial is None:
                    partial = []
                    partial_scope = child_scope
                partial.append(route)
        if partial:
            scope.update(partial_scope)
            scope[ROUTE] = partial[0]
            await self._partial(partial, scope, receive, send)
            return
        if scope_type == "http" and self.redirect_slashes and route_path != "/":
            redirect = self._slash_redirect(table, scope, route_path)
            if redirect is not None:
                await RedirectResponse(url=redirect)(scope, receive, send)
                return
        await self.default(scope, receive, send)

    async def _partial(
        self, routes: list[BaseRoute], scope: Scope, receive: Receive, send: Send
    ) -> None:
        """The path matched but not the method: 405 with every allowed method.

        When each of the routes would answer 405 itself (``Route.handle``), one 405 lists
        all their methods; otherwise the first route handles the request, as in Starlette.
        """
        allowed = _allowed_methods(routes, scope["method"])
        if allowed is None:
            await routes[0].handle(scope, receive, send)
        else:
            await method_not_allowed(scope, receive, send, sorted(allowed))

    def _slash_redirect(self, table: RouteTable, scope: Scope, route_path: str) -> str | None:
        """The URL with or without the trailing slash, if a route matches that form."""
        redirect_scope = dict(scope)
        path: str = scope["path"]
        redirect_scope["path"] = path.rstrip("/") if route_path.endswith("/") else path + "/"
        for route in table.candidates(get_route_path(redirect_scope)):
            match, _ = route.matches(redirect_scope)
            if match is not Match.NONE:
                return str(URL(scope=redirect_scope))
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # async def, not a function returning the coroutine: servers and test clients tell
        # ASGI 3 from ASGI 2 apps by whether __call__ is a coroutine function
        await self.middleware_stack(scope, receive, send)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Router) and list(self._routes) == list(other._routes)

    __hash__ = object.__hash__

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Add a :class:`Mount` of ``app`` at ``path``."""
        self._routes.append(Mount(path, app=app, name=name))

    def host(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        """Add a :class:`Host` route for ``host``."""
        self._routes.append(Host(host, app=app, name=name))

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Add a :class:`Route`."""
        self._routes.append(
            Route(
                path,
                endpoint=endpoint,
                methods=methods,
                name=name,
                include_in_schema=include_in_schema,
            )
        )

    def add_websocket_route(
        self, path: str, endpoint: Callable[..., Any], name: str | None = None
    ) -> None:
        """Add a :class:`WebSocketRoute`."""
        self._routes.append(WebSocketRoute(path, endpoint=endpoint, name=name))

    def on_event(self, event_type: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
        """Decorator form of :meth:`add_event_handler` (deprecated)."""
        warn_deprecated(
            "on_event is deprecated: use lifespan=, an @contextlib.asynccontextmanager function.",
            stacklevel=2,
        )

        def decorator(func: Callable[[], Any]) -> Callable[[], Any]:
            self.add_event_handler(event_type, func)
            return func

        return decorator

    def add_event_handler(self, event_type: str, func: Callable[[], Any]) -> None:
        """Run ``func`` at ``"startup"`` or ``"shutdown"`` (deprecated: use a lifespan)."""
        if event_type == "startup":
            self.on_startup.append(func)
        elif event_type == "shutdown":
            self.on_shutdown.append(func)
        else:
            raise ValueError(f"event_type must be 'startup' or 'shutdown', got {event_type!r}.")


Mount._router_factory = Router
