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


# --- the candidate cache ---------------------------------------------------------------------


def test_new_hot_paths_are_cached_after_more_than_cache_size_paths() -> None:
    routes: list[BaseRoute] = [Route(f"/r{i}", endpoint) for i in range(50)]
    table = RouteTable(routes)
    table.cache_size = 16
    for i in range(1000):  # many distinct paths first, most of them unknown (404s, scanners)
        table.candidates(f"/unknown/{i}")
    hot = table.candidates("/r42")  # a path that becomes popular later
    assert hot == [routes[42]]
    assert table.candidates("/r42") is hot  # remembered: the second lookup is a dict hit
    assert table.candidates("/unknown/999999") == []


def test_hot_paths_stay_cached_while_many_others_pass() -> None:
    routes: list[BaseRoute] = [Route("/", endpoint), Route("/health", endpoint)]
    table = RouteTable(routes)
    table.cache_size = 16
    home = table.candidates("/")
    for i in range(500):
        table.candidates(f"/unknown/{i}")
        if i % 10 == 0:  # requested every now and then: never computed again
            assert table.candidates("/") is home
    assert home == [routes[0]]


def test_the_cache_stays_bounded() -> None:
    table = RouteTable([Route("/a", endpoint)])
    table.cache_size = 16
    for i in range(10_000):
        table.candidates(f"/p{i}")
    assert len(table._cache) + len(table._old_cache) <= 2 * table.cache_size


def test_results_of_parameter_segments_are_not_cached() -> None:
    routes: list[BaseRoute] = [Route("/users/{id:int}", endpoint), Route("/users/me", endpoint)]
    table = RouteTable(routes)
    assert table.candidates("/users/me") == routes
    assert table.candidates("/users/me") is not table.candidates("/users/me")
    assert table.candidates("/users/3") == [routes[0]]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(route(), min_size=1, max_size=8),
    st.lists(request_path, min_size=1, max_size=60),
)
def test_a_small_cache_gives_the_same_candidates(routes: list[BaseRoute], paths: list[str]) -> None:
    cached = RouteTable(routes)
    cached.cache_size = 2
    for path in paths * 2:
        assert cached.candidates(path) == RouteTable(routes).candidates(path)


# --- which routes are filed by their path ----------------------------------------------------


def test_subclasses_keeping_matches_are_filed_by_path() -> None:
    class MyRoute(Route):
        pass

    class MyWebSocketRoute(WebSocketRoute):
        pass

    class MyMount(Mount):
        pass

    class OwnMatches(Route):
        def matches(self, scope: Any) -> Any:
            return super().matches(scope)  # pragma: no cover - not called here

    routes: list[BaseRoute] = [
        MyRoute("/a", endpoint),
        MyWebSocketRoute("/b", endpoint),
        MyMount("/c", routes=[]),
        OwnMatches("/d", endpoint),
    ]
    table = RouteTable(routes)
    assert table.candidates("/a") == [routes[0], routes[3]]
    assert table.candidates("/b") == [routes[1], routes[3]]
    assert table.candidates("/c/x") == [routes[2], routes[3]]
    assert table.candidates("/d") == [routes[3]]


def test_routes_whose_regex_is_not_their_paths_are_always_candidates() -> None:
    import re

    replaced = Route("/a", endpoint)
    replaced.path_regex = re.compile("^/b$")
    renamed = Route("/c", endpoint)
    renamed.path = "/{x:nope}"  # not a path compile_path accepts
    flagged = Route("/d", endpoint)
    flagged.path_regex = re.compile(flagged.path_regex.pattern, re.IGNORECASE)
    missing = Route("/e", endpoint)
    del missing.path
    routes: list[BaseRoute] = [replaced, renamed, flagged, missing, Route("/z", endpoint)]
    assert RouteTable(routes).candidates("/z") == routes
