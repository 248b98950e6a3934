"""``App``: a router wrapped in error handling and the user's middleware."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from asgi_core import Middleware, State, URLPath, warn_deprecated
from asgi_core.types import ASGIApp, Lifespan, Receive, Scope, Send
from asgi_framework._warnings import deprecations_point_at_caller
from asgi_framework.middleware.errors import ServerErrorMiddleware
from asgi_framework.middleware.exceptions import ExceptionMiddleware
from asgi_middleware_bodylimit import RequestBodyLimitMiddleware
from asgi_routing import BaseRoute, Router

__all__ = ["App"]

ExceptionHandlers = Mapping[Any, Callable[..., Any]]


class App:
    """The application: ``App(routes=[...], middleware=[...], lifespan=..., debug=...)``.

    Requests go through the middleware stack, built once on the first call: the error
    middleware outermost, then the user middleware in the order given, then the exception
    middleware, then the router. With ``max_body_size`` (bytes), a request body limit
    (asgi-middleware-bodylimit, 413) sits between the error middleware and the user
    middleware, as in Starlette; a route's or mount's own ``max_body_size`` replaces it.
    ``exception_handlers`` maps exception classes or status
    codes to ``handler(request, exc)``; a handler for ``500`` or ``Exception`` renders
    unexpected errors. ``state`` holds application-wide values; ``lifespan`` (an async
    context manager factory) runs around the application's life.

    The stack is built once, so user middleware instances live as long as the application;
    :meth:`add_exception_handler` and the :attr:`debug` setter reach the running error and
    exception middleware without rebuilding it. :meth:`add_middleware` raises once the
    application has started.
    """

    # class-level defaults: subclasses that build their own stack (FastAPI) never set them
    _errors: ServerErrorMiddleware | None = None
    _exceptions: ExceptionMiddleware | None = None

    def __init__(
        self,
        debug: bool = False,
        routes: Sequence[BaseRoute] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: ExceptionHandlers | None = None,
        lifespan: Lifespan[App] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        *,
        max_body_size: int | None = None,
    ) -> None:
        if max_body_size is not None:  # checked now, not at the first request
            RequestBodyLimitMiddleware(self, max_body_size=max_body_size)
        self.max_body_size = max_body_size
        self.debug = debug
        self.state = State()
        with deprecations_point_at_caller(stacklevel=2):
            self.router = Router(
                routes, lifespan=lifespan, on_startup=on_startup, on_shutdown=on_shutdown
            )
        self.exception_handlers: dict[Any, Callable[..., Any]] = dict(exception_handlers or {})
        self.user_middleware = list(middleware or [])
        self.middleware_stack: ASGIApp | None = None

    def build_middleware_stack(self) -> ASGIApp:
        """Wrap the router in the error, body limit, user and exception middleware (once)."""
        error_handler = None
        handlers: dict[Any, Callable[..., Any]] = {}
        for key, value in self.exception_handlers.items():
            if _is_error_handler_key(key):
                error_handler = value
            else:
                handlers[key] = value
        exceptions = ExceptionMiddleware(self.router, handlers=handlers, debug=self.debug)
        app: ASGIApp = exceptions
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        if self.max_body_size is not None:
            app = RequestBodyLimitMiddleware(app, max_body_size=self.max_body_size)
        errors = ServerErrorMiddleware(app, handler=error_handler, debug=self.debug)
        self._exceptions, self._errors = exceptions, errors
        return errors

    @property
    def routes(self) -> list[BaseRoute]:
        """The router's routes (a live list)."""
        return self.router.routes

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """The path of the route called ``name``."""
        return self.router.url_path_for(name, **path_params)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        stack = self.middleware_stack
        if stack is None:
            stack = self.middleware_stack = self.build_middleware_stack()
        await stack(scope, receive, send)

    @property
    def debug(self) -> bool:
        """Whether unexpected errors show the debug page."""
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self._debug = value
        # reach the running stack; rebuilding it would replace the user's middleware
        if self._errors is not None:
            self._errors.debug = value
        if self._exceptions is not None:
            self._exceptions.debug = value

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve ``app`` under ``path``."""
        self.router.mount(path, app=app, name=name)

    def host(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve ``app`` for requests to ``host``."""
        self.router.host(host, app=app, name=name)

    def add_middleware(self, middleware_class: Any, *args: Any, **kwargs: Any) -> None:
        """Add a middleware, outside those already added (only before the first request)."""
        if self.middleware_stack is not None:
            raise RuntimeError("Cannot add middleware after an application has started")
        self.user_middleware.insert(0, Middleware(middleware_class, *args, **kwargs))

    def add_exception_handler(
        self, exc_class_or_status_code: int | type[Exception], handler: Callable[..., Any]
    ) -> None:
        """Handle an exception class, or ``HTTPException``s with a status code.

        Takes effect at once, also after the application has started.
        """
        self.exception_handlers[exc_class_or_status_code] = handler
        # reach the running stack; rebuilding it would replace the user's middleware
        if self._exceptions is None or self._errors is None:
            return
        if _is_error_handler_key(exc_class_or_status_code):
            self._errors.handler = handler
        else:
            self._exceptions.add_exception_handler(exc_class_or_status_code, handler)

    def add_route(
        self,
        path: str,
        route: Callable[..., Any],
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Add a route for ``route`` (a function endpoint or an ASGI app)."""
        self.router.add_route(
            path, route, methods=methods, name=name, include_in_schema=include_in_schema
        )

    def add_websocket_route(
        self, path: str, route: Callable[..., Any], name: str | None = None
    ) -> None:
        """Add a WebSocket route (deprecated: Starlette 1.x applications no longer have it).

        Pass ``routes=[WebSocketRoute(path, endpoint)]``, or call
        ``app.router.add_websocket_route``, which both still exist in Starlette.
        """
        warn_deprecated(
            "App.add_websocket_route is deprecated: pass routes=[WebSocketRoute(path, "
            "endpoint)] to the App, or call app.router.add_websocket_route(...).",
            stacklevel=2,
        )
        self.router.add_websocket_route(path, route, name=name)

    def add_event_handler(self, event_type: str, func: Callable[[], Any]) -> None:
        """Run ``func`` at ``"startup"`` or ``"shutdown"`` (deprecated: use ``lifespan``)."""
        warn_deprecated(
            "add_event_handler is deprecated: use lifespan=, "
            "an @contextlib.asynccontextmanager function.",
            stacklevel=2,
        )
        self.router.add_event_handler(event_type, func)

    def on_event(self, event_type: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
        """Decorator form of :meth:`add_event_handler` (deprecated: use ``lifespan``)."""
        warn_deprecated(
            "on_event is deprecated: use lifespan=, an @contextlib.asynccontextmanager function.",
            stacklevel=2,
        )

        def decorator(func: Callable[[], Any]) -> Callable[[], Any]:
            self.router.add_event_handler(event_type, func)
            return func

        return decorator


def _is_error_handler_key(key: object) -> bool:
    """``500`` and ``Exception`` name the handler of unexpected errors."""
    return key is Exception or key == 500
