"""The compiled table gives exactly the result of scanning every route in order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from asgi_core import Request
from asgi_responses import PlainTextResponse
from asgi_routing import BaseRoute, Host, Match, Mount, Route, Router, RouteTable, WebSocketRoute


async def endpoint(request: Request) -> PlainTextResponse:
    return PlainTextResponse("")  # pragma: no cover - never called here


def first_match(routes: list[BaseRoute], scope: dict[str, Any]) -> tuple[int, Match] | None:
    """The reference: scan every route in order, as Starlette does."""
    partial = None
    for index, route in enumerate(routes):
        match, _ = route.matches(dict(scope))
        if match is Match.FULL:
            return index, match
        if match is Match.PARTIAL and partial is None:
            partial = (index, match)
    return partial


def compiled_match(routes: list[BaseRoute], scope: dict[str, Any]) -> tuple[int, Match] | None:
    partial = None
    table = RouteTable(routes)
    for route in table.candidates(scope["path"]):
        match, _ = route.matches(dict(scope))
        index = routes.index(route)
        if match is Match.FULL:
            return index, match
        if match is Match.PARTIAL and partial is None:
            partial = (index, match)
    return partial


def test_candidates_for_the_benchmark_shape() -> None:
    routes: list[BaseRoute] = [
        Route(f"/r{i}/users/{{user:int}}/items/{{item}}", endpoint) for i in range(100)
    ]
    table = RouteTable(routes)
    assert table.candidates("/r99/users/5/items/x") == [routes[99]]
    assert table.candidates("/nothere") == []
    assert table.candidates("") == routes  # a path outside the router's prefix: scan them all


def test_unindexed_routes_are_always_candidates() -> None:
    host = Host("a.org", app=Router([]))

    class Custom(BaseRoute):
        def matches(self, scope: Any) -> Any:
            return Match.NONE, {}  # pragma: no cover - not called here

    custom = Custom()
    routes: list[BaseRoute] = [Route("/a", endpoint), host, custom, Route("/b", endpoint)]
    assert RouteTable(routes).candidates("/a") == [routes[0], host, custom]


SEGMENTS = [
    "a",
    "b",
    "users",
    "1",
    "42",
    "x.txt",
    "",
    "3.5",
    "12345678-1234-5678-1234-567812345678",
]
PATTERN_SEGMENTS = [
    "a",
    "b",
    "users",
    "1",
    "",
    "{p}",
    "{n:int}",
    "{f:float}",
    "{u:uuid}",
    "{name}.txt",
    "v{version}",
]


@st.composite
def route_path(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(PATTERN_SEGMENTS), min_size=1, max_size=4))
    used: set[str] = set()
    cleaned = []
    for index, part in enumerate(parts):
        # parameter names must be unique within a path
        if "{" in part:
            name = part[part.index("{") + 1 :].split(":")[0].split("}")[0]
            part = part.replace("{" + name, "{" + name + str(index))
            used.add(name)
        cleaned.append(part)
    if draw(st.booleans()) and draw(st.booleans()):
        cleaned.append("{rest:path}")
    return "/" + "/".join(cleaned)


@st.composite
def route(draw: st.DrawFn) -> BaseRoute:
    path = draw(route_path())
    kind = draw(st.sampled_from(["get", "post", "any", "ws", "mount"]))
    if kind == "get":
        return Route(path, endpoint)
    if kind == "post":
        return Route(path, endpoint, methods=["POST"])
    if kind == "any":
        return Route(path, endpoint, methods=["GET", "POST", "DELETE"])
    if kind == "ws":
        return WebSocketRoute(path, endpoint)
    return Mount(path.split("/{rest:path}")[0].rstrip("/") or "/m", routes=[])


request_path = st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=5).map(
    lambda parts: "/" + "/".join(parts)
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(route(), min_size=1, max_size=12),
    request_path,
    st.sampled_from(["GET", "POST", "PUT"]),
    st.sampled_from(["http", "websocket"]),
)
def test_compiled_lookup_equals_a_plain_scan(
    routes: list[BaseRoute], path: str, method: str, scope_type: str
) -> None:
    scope = {"type": scope_type, "path": path, "root_path": "", "method": method, "headers": []}
    assert compiled_match(routes, scope) == first_match(routes, scope)
