"""The compiled routing table: candidate routes for a path, found without scanning them all.

Routes are indexed in a tree keyed by path segment: static segments by dictionary, segments
that are one built-in parameter (``{id}``, ``{id:int}``, ...) by a single "parameter" edge.
A route whose path goes on with something else (a ``path`` or custom convertor, text mixed
with a parameter, a ``Mount``'s remainder) waits in the node where that part starts, and any
route the table cannot index (``Host``, custom routes, subclasses with their own ``matches``
or a ``path_regex`` of their own) waits at the root. A lookup walks the request path once
and returns every route that *could* match, in declaration order; the router then checks
them with their own ``matches``. Because the candidates always include every route that
matches, the result is exactly that of scanning all routes, while the work depends on the
path, not on how many routes there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, SupportsIndex

from asgi_routing._compile import path_pattern, path_segments
from asgi_routing._mount import Mount
from asgi_routing._route import BaseRoute, Route, WebSocketRoute

__all__ = ["RouteList", "RouteTable"]


class _Node:
    __slots__ = ("param", "routes", "static", "waiting")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.routes: list[tuple[int, BaseRoute]] = []  # routes whose path ends here
        self.waiting: list[tuple[int, BaseRoute]] = []  # routes checked by regex from here on


def _indexed_path(route: BaseRoute) -> str | None:
    """The path the table files ``route`` under, or ``None`` to ask it for every request.

    Only routes matching with ``Route``'s, ``WebSocketRoute``'s or ``Mount``'s own
    ``matches`` (and ``Route.match_path``), subclasses included, are filed, and only when
    their ``path_regex`` is the one compiled from their path, so that the path tells exactly
    what they match.
    """
    kind = type(route)
    matches = getattr(kind, "matches", None)
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return None
    if matches is Mount.matches:
        path += "/{path:path}"
    elif matches is Route.matches:
        if getattr(kind, "match_path", None) is not Route.match_path:
            return None
    elif matches is not WebSocketRoute.matches:
        return None
    regex = getattr(route, "path_regex", None)
    if not isinstance(regex, re.Pattern) or regex.flags != re.UNICODE:
        return None
    try:
        expected = path_pattern(path)
    except ValueError:  # not a path compile_path accepts: it cannot be this route's regex
        return None
    return path if regex.pattern == expected else None


class RouteTable:
    """The candidates of a fixed list of routes for any path."""

    #: How many paths whose candidates depend on static segments only are remembered. The
    #: memory holds two generations of at most this many: when the young one is full, it
    #: becomes the old one and the previous old one is dropped; a path found in the old one
    #: moves back to the young one. Hot paths stay cached however many others pass by.
    cache_size = 1024

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)
        self._cache: dict[str, list[BaseRoute]] = {}
        self._old_cache: dict[str, list[BaseRoute]] = {}
        self._root = _Node()
        for index, route in enumerate(self.routes):
            self._add(index, route)

    def _add(self, index: int, route: BaseRoute) -> None:
        node = self._root
        path = _indexed_path(route)
        entry = (index, route)
        if path is None:
            node.waiting.append(entry)
            return
        segments, complete = path_segments(path)
        for segment in segments:
            if segment is None:
                if node.param is None:
                    node.param = _Node()
                node = node.param
            else:
                node = node.static.setdefault(segment, _Node())
        (node.routes if complete else node.waiting).append(entry)

    def candidates(self, path: str) -> list[BaseRoute]:
        """Every route that may match ``path``, in declaration order (do not modify it).

        Results that only depend on static segments are remembered (see
        :attr:`cache_size`), so the most common static paths cost a dict lookup.
        """
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        if not path.startswith("/"):
            return self.routes
        result = self._old_cache.get(path)
        if result is None:
            found: list[tuple[int, BaseRoute]] = []
            static_only = _walk(self._root, path[1:].split("/"), 0, found)
            if len(found) == 1:  # the common case: nothing to put in order
                result = [found[0][1]]
            else:
                found.sort(key=_index)
                result = [route for _, route in found]
            if not static_only:  # depends on parameter values: not worth remembering
                return result
        if len(self._cache) >= self.cache_size:
            self._old_cache = self._cache
            self._cache = {}
        self._cache[path] = result
        return result


def _index(entry: tuple[int, BaseRoute]) -> int:
    return entry[0]


def _walk(node: _Node, segments: list[str], depth: int, found: list[tuple[int, BaseRoute]]) -> bool:
    """Collect the candidates below ``node``; recursion only where the path can branch.

    Returns whether only static edges were followed (the result then depends on nothing
    but the path's literal segments, and can be cached).
    """
    end = len(segments)
    static_only = True
    while True:
        if node.waiting:
            found.extend(node.waiting)
        if depth == end:
            found.extend(node.routes)
            return static_only
        segment = segments[depth]
        child = node.static.get(segment)
        param = node.param if segment else None
        if param is None:
            if child is None:
                return static_only
            node = child
        else:
            static_only = False
            if child is not None:
                _walk(child, segments, depth + 1, found)
            node = param
        depth += 1


class RouteList(list[BaseRoute]):
    """A list of routes that counts its changes, so the router knows to recompile.

    ``router.routes.append(...)``, ``insert``, slicing assignments and every other change
    bump :attr:`version`.
    """

    version = 0

    def _changed(self) -> None:
        self.version += 1

    def append(self, route: BaseRoute) -> None:
        super().append(route)
        self._changed()

    def extend(self, routes: Iterable[BaseRoute]) -> None:
        super().extend(routes)
        self._changed()

    def insert(self, index: SupportsIndex, route: BaseRoute) -> None:
        super().insert(index, route)
        self._changed()

    def remove(self, route: BaseRoute) -> None:
        super().remove(route)
        self._changed()

    def pop(self, index: SupportsIndex = -1) -> BaseRoute:
        route = super().pop(index)
        self._changed()
        return route

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        super().sort(*args, **kwargs)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._changed()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._changed()

    def __iadd__(self, routes: Iterable[BaseRoute]) -> RouteList:  # type: ignore[override,misc]
        super().__iadd__(routes)
        self._changed()
        return self

    def __imul__(self, count: SupportsIndex) -> RouteList:
        super().__imul__(count)
        self._changed()
        return self
