"""The router's fast paths give exactly what the general path gives.

``Router.app`` dispatches plain routes inline, looks candidates up in the compiled table and
computes one ``Allow`` header for several routes; all of that is only an optimisation of
the general path written out here: scan every route in declaration order with its own
``matches`` and ``handle``. Hypothesis draws route tables (routes, route subclasses,
WebSocket routes, mounts, hosts), paths, methods and root paths, and the two must send
the same messages, call the same endpoint with the same path parameters and leave the same
``scope["route"]``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, cast

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asgi_core import URL, get_route_path
from asgi_core.types import Message, Receive, Scope, Send
from asgi_responses import PlainTextResponse, RedirectResponse
from asgi_routing import BaseRoute, Host, Match, Mount, Route, Router, WebSocketRoute
from asgi_routing import compile_path as compile_route_path

Hit = tuple[str, dict[str, Any], str | None]


class Endpoint:
    """An ASGI endpoint recording what the router gave it."""

    def __init__(self, label: str, hits: list[Hit]) -> None:
        self.label = label
        self.hits = hits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = scope.get("route")
        self.hits.append(
            (self.label, dict(scope.get("path_params", {})), getattr(route, "label", None))
        )
        if scope["type"] == "http":
            await PlainTextResponse(self.label)(scope, receive, send)
        else:
            await send({"type": "websocket.close", "code": 1000, "reason": self.label})


class SubRoute(Route):
    """A subclass that only adds to ``__init__``: it must be indexed and dispatched fast."""

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self.tags = ["sub"]


class APIRouteLike(Route):
    """FastAPI's ``APIRoute`` pattern: its own ``__init__`` (no ``super()``) and ``matches``."""

    def __init__(
        self, path: str, endpoint: Any, *, methods: Collection[str] | None = None, name: str = ""
    ) -> None:
        self.path = path
        self.endpoint = endpoint
        self.name = name
        self.include_in_schema = True
        self.methods = {m.upper() for m in methods} if methods is not None else None
        if self.methods is not None and "GET" in self.methods:
            self.methods.add("HEAD")
        self.app = endpoint
        self.path_regex, self.path_format, self.param_convertors = compile_route_path(path)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE:
            child_scope["api_route"] = self.name
        return match, child_scope


class LoggingRoute(Route):
    """A subclass with its own ``handle``: it must be called, also for a 405."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["handled_by"] = "logging"
        await super().handle(scope, receive, send)


class OddPathsRoute(Route):
    """A subclass matching ``/odd/...`` paths whatever its declared path says."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].startswith("/odd"):
            return Match.FULL, {"endpoint": self.endpoint, "path_params": {}}
        return super().matches(scope)


class CaseBlindRoute(Route):
    """A subclass with its own ``match_path`` (case-blind): it must be used, also for
    paths without parameters."""

    def match_path(self, scope: Scope, path: str) -> dict[str, Any] | None:
        return super().match_path(scope, path.lower())


ROUTE_SEGMENTS = ["a", "odd", "1", "", "{p}", "{n:int}", "{f:float}", "{u:uuid}", "v{v}"]
REQUEST_SEGMENTS = ["a", "odd", "1", "", "3.5", "va", "12345678-1234-5678-1234-567812345678"]
METHODS = ["GET", "HEAD", "POST", "PUT"]


@st.composite
def route_paths(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(ROUTE_SEGMENTS), min_size=1, max_size=2))
    named = [
        part.replace("{", "{x" + str(i)) if "{" in part else part for i, part in enumerate(parts)
    ]
    if draw(st.integers(0, 5)) == 0:
        named.append("{rest:path}")
    return "/" + "/".join(named)


@st.composite
def routes(draw: st.DrawFn, hits: list[Hit], depth: int = 0) -> list[BaseRoute]:
    table: list[BaseRoute] = []
    paths = draw(st.lists(route_paths(), min_size=1, max_size=3))  # routes often share a path
    for index in range(draw(st.integers(1, 6))):
        label = f"{depth}.{index}"
        path = draw(st.sampled_from(paths))
        kind = draw(
            st.sampled_from(
                ["route", "sub", "api", "logging", "odd", "blind", "ws", "mount", "host"]
            )
        )
        methods = (
            None
            if draw(st.integers(0, 4)) == 0
            else draw(st.sets(st.sampled_from(METHODS), min_size=1, max_size=2))
        )
        endpoint = Endpoint(label, hits)
        route: BaseRoute
        if kind == "route":
            route = Route(path, endpoint, methods=methods)
        elif kind == "sub":
            route = SubRoute(path, endpoint, methods=methods)
        elif kind == "api":
            route = APIRouteLike(path, endpoint, methods=methods, name=label)
        elif kind == "logging":
            route = LoggingRoute(path, endpoint, methods=methods)
        elif kind == "odd":
            route = OddPathsRoute(path, endpoint, methods=methods)
        elif kind == "blind":
            route = CaseBlindRoute(path, endpoint, methods=methods)
        elif kind == "ws":
            route = WebSocketRoute(path, endpoint)
        elif kind == "host":
            route = Host("example.org", app=endpoint)
        else:
            prefix = path.split("/{rest:path}")[0].rstrip("/")
            if depth == 0 and draw(st.booleans()):
                inner = draw(routes(hits, depth + 1))
                route = Mount(prefix, routes=inner)
            else:
                route = Mount(prefix, app=endpoint)
        cast(Any, route).label = label
        table.append(route)
    return table


PARAM = re.compile(r"{\w+(:(\w+))?}")
SAMPLE_VALUES = {
    "str": "a",
    "int": "1",
    "float": "3.5",
    "uuid": "12345678-1234-5678-1234-567812345678",
    "path": "a/1",
}


def _realise(path: str) -> str:
    """A request path that the route path matches: each parameter replaced by a value."""
    return PARAM.sub(lambda match: SAMPLE_VALUES[match.group(2) or "str"], path)


@st.composite
def request_paths(draw: st.DrawFn, table: list[BaseRoute]) -> str:
    """Random paths, or paths of the table's routes (with or without a trailing slash)."""
    declared = [_realise(route.path) for route in table if isinstance(route, (Route, Mount))]
    use_declared = draw(st.booleans())
    if declared and use_declared:
        path = draw(st.sampled_from(declared)) or "/"
        if draw(st.booleans()):
            path = path.rstrip("/") if path.endswith("/") else path + "/"
        if draw(st.integers(0, 3)) == 0:
            path = path.upper()  # only routes with their own match_path (case-blind) take it
        return path
    parts = draw(st.lists(st.sampled_from(REQUEST_SEGMENTS), min_size=1, max_size=3))
    return "/" + "/".join(parts)


def _allowed(partial: list[BaseRoute], method: str) -> set[str] | None:
    """The union of the methods of routes that would all answer 405 themselves, else None."""
    allowed: set[str] = set()
    for route in partial:
        if not isinstance(route, Route) or type(route).handle is not Route.handle:
            return None
        if not route.methods or method in route.methods:
            return None
        allowed |= route.methods
    return allowed


async def general(router: Router, scope: Scope, receive: Receive, send: Send) -> None:
    """The specification: every route, in order, with its own ``matches`` and ``handle``."""
    scope.setdefault("router", router)
    partial: list[tuple[BaseRoute, Scope]] = []
    for route in router.routes:
        match, child_scope = route.matches(scope)
        if match is Match.FULL:
            scope.update(child_scope)
            scope["route"] = route
            if isinstance(route, Mount) and isinstance(route.app, Router):
                await general(route.app, scope, receive, send)
            else:
                await route.handle(scope, receive, send)
            return
        if match is Match.PARTIAL:
            partial.append((route, child_scope))
    if partial:
        first, child_scope = partial[0]
        scope.update(child_scope)
        scope["route"] = first
        allowed = _allowed([route for route, _ in partial], scope["method"])
        if allowed is None:
            await first.handle(scope, receive, send)
        else:
            headers = {"Allow": ", ".join(sorted(allowed))}
            response = PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)
            await response(scope, receive, send)
        return
    route_path = get_route_path(scope)
    if scope["type"] == "http" and router.redirect_slashes and route_path != "/":
        other = dict(scope)
        path = scope["path"]
        other["path"] = path.rstrip("/") if route_path.endswith("/") else path + "/"
        if any(route.matches(other)[0] is not Match.NONE for route in router.routes):
            await RedirectResponse(str(URL(scope=other)))(scope, receive, send)
            return
    await router.not_found(scope, receive, send)


async def run(app: Any, scope: Scope) -> tuple[list[Message], Scope]:
    sent: list[Message] = []
    messages: list[Message] = [
        {"type": "http.request"} if scope["type"] == "http" else {"type": "websocket.connect"}
    ]

    async def receive() -> Message:
        return messages.pop(0)  # pragma: no cover - the endpoints here read nothing

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent, scope


def outcome(sent: list[Message], scope: Scope, hits: list[Hit]) -> tuple[Any, ...]:
    route = scope.get("route")
    router = scope.get("router")
    return (
        sent,
        list(hits),
        getattr(route, "label", None),
        scope.get("path_params"),
        scope.get("handled_by"),
        scope.get("api_route"),
        router is not None,
    )


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_router_dispatch_equals_the_general_path(backend: str, data: st.DataObject) -> None:
    hits: list[Hit] = []
    table = data.draw(routes(hits))
    router = Router(table, redirect_slashes=data.draw(st.booleans()))
    root_path = data.draw(st.sampled_from(["", "/pre"]))
    path = data.draw(request_paths(table))
    scope = {
        "type": data.draw(st.sampled_from(["http", "http", "http", "websocket"])),
        "method": data.draw(st.sampled_from(METHODS)),
        "scheme": "http",
        "server": ("testserver", 80),
        "path": root_path + path,
        "root_path": root_path,
        "query_string": b"",
        "headers": [(b"host", data.draw(st.sampled_from([b"example.org", b"other.org"])))],
    }
    if scope["type"] == "websocket":
        del scope["method"]

    expected = anyio.run(run, lambda *a: general(router, *a), dict(scope), backend=backend)
    expected_hits = list(hits)
    hits.clear()
    actual = anyio.run(run, router, dict(scope), backend=backend)
    assert outcome(*actual, hits) == outcome(*expected, expected_hits)
