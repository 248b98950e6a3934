"""``Mount`` (a sub-application under a path prefix) and ``Host`` (by host name)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from ipaddress import IPv6Address
from typing import Any, ClassVar

from asgi_core import Headers, Middleware, URLPath, get_route_path
from asgi_core.scope_keys import APP_ROOT_PATH, ENDPOINT, PATH_PARAMS, ROOT_PATH
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_routing._compile import compile_path, replace_params
from asgi_routing._convertors import convert_params
from asgi_routing._errors import RouteConfigurationError
from asgi_routing._match import Match, NoMatchFound
from asgi_routing._route import BaseRoute, apply_middleware, check_routed_path

__all__ = ["Host", "Mount", "host_name"]

_NO_MATCH: tuple[Match, Scope] = (Match.NONE, {})

# RFC 3986 section 3.2.2 host (reg-name, or an IPv6/IPvFuture literal in brackets) and an
# optional numeric port, as Starlette accepts them: any number of port digits, a lower-case
# "v" for IPvFuture, percent signs in a reg-name not checked further.
_HOST_HEADER = re.compile(
    r"(?P<host>[A-Za-z0-9\-._~!$&'()*+,;=%]+"
    r"|\[(?:(?P<ipv6>[0-9A-Fa-f:.]+)|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\])"
    r"(?::[0-9]+)?"
)


def host_name(header: str | None) -> str | None:
    """The lower-cased host of a ``Host`` header without its port; ``None`` if not valid."""
    match = _HOST_HEADER.fullmatch(header or "")
    if match is None:
        return None
    ipv6 = match.group("ipv6")
    if ipv6 is not None:
        try:
            IPv6Address(ipv6)
        except ValueError:
            return None
    return match.group("host").lower()


def _nested_url_path_for(
    routes: Sequence[BaseRoute], name: str, path_params: dict[str, Any]
) -> URLPath | None:
    for route in routes:
        try:
            return route.url_path_for(name, **path_params)
        except NoMatchFound:
            pass
    return None


class Mount(BaseRoute):
    """Serve everything under ``path`` with ``app`` (or a ``Router`` of ``routes``).

    The mounted application sees the full ``path`` and a ``root_path`` extended by the
    mount's prefix, as the ASGI specification describes, so it can route on what follows.
    ``middleware`` wraps the mounted app; ``max_body_size`` (bytes) answers ``413`` for
    larger request bodies and replaces an outer limit for everything under the mount.
    """

    # What ``routes=`` are wrapped in: ``Router``, set by the module defining it (this
    # module is below the router's, which builds mounts, so it cannot import it)
    _router_factory: ClassVar[Callable[[Sequence[BaseRoute]], ASGIApp]]

    def __init__(
        self,
        path: str,
        app: ASGIApp | None = None,
        routes: Sequence[BaseRoute] | None = None,
        name: str | None = None,
        *,
        middleware: Sequence[Middleware] | None = None,
        max_body_size: int | None = None,
    ) -> None:
        if path != "":
            check_routed_path(path, "mount")
        self.path = path.rstrip("/")
        self._base_app: ASGIApp
        if app is not None:
            self._base_app = app
        elif routes is not None:
            self._base_app = type(self)._router_factory(routes)
        else:
            raise RouteConfigurationError(
                "Either 'app=...', or 'routes=' must be specified: got neither for the mount at "
                f"{path!r}. Pass app=<an ASGI app> or routes=[...]."
            )
        self.app = apply_middleware(self._base_app, middleware, max_body_size)
        self.name = name
        self.path_regex, self.path_format, self.param_convertors = compile_path(
            self.path + "/{path:path}"
        )

    @property
    def routes(self) -> list[BaseRoute]:
        """The routes of the mounted router (empty for another kind of app)."""
        routes: list[BaseRoute] = getattr(self._base_app, "routes", [])
        return routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match any ``http`` or ``websocket`` scope whose path starts with the prefix."""
        if scope["type"] not in ("http", "websocket"):
            return _NO_MATCH
        route_path = get_route_path(scope)
        match = self.path_regex.fullmatch(route_path)
        if match is None:
            return _NO_MATCH
        params = match.groupdict()
        remaining = "/" + params.pop("path")
        path_params: dict[str, Any] = dict(scope.get(PATH_PARAMS, ()))
        if not convert_params(params, self.param_convertors, path_params):
            return _NO_MATCH
        root_path = scope.get(ROOT_PATH, "")
        return Match.FULL, {
            PATH_PARAMS: path_params,
            APP_ROOT_PATH: scope.get(APP_ROOT_PATH, root_path),
            ROOT_PATH: root_path + route_path[: -len(remaining)],
            ENDPOINT: self.app,
        }

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """``"mount_name"`` with ``path=...`` or ``"mount_name:route_name"`` inside it.

        As in Starlette, a parameter of the mount's own path that is not given stays a
        ``{placeholder}``, and ``NoMatchFound`` names the parameters that were left over.
        """
        if self.name is not None and name == self.name and "path" in path_params:
            path_params["path"] = path_params["path"].lstrip("/")
            path, remaining = replace_params(self.path_format, self.param_convertors, path_params)
            if not remaining:
                return URLPath(path=path)
        elif self.name is None or name.startswith(self.name + ":"):
            inner_name = name if self.name is None else name[len(self.name) + 1 :]
            given_path = path_params.get("path")
            path_params["path"] = ""
            prefix, remaining = replace_params(self.path_format, self.param_convertors, path_params)
            if given_path is not None:
                remaining["path"] = given_path
            url = _nested_url_path_for(self.routes, inner_name, remaining)
            if url is not None:
                return URLPath(path=prefix.rstrip("/") + str(url), protocol=url.protocol)  # type: ignore[arg-type]
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the mounted application."""
        await self.app(scope, receive, send)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mount) and self.path == other.path and self.app == other.app

    __hash__ = BaseRoute.__hash__

    def __repr__(self) -> str:
        name = self.name or ""
        return f"{self.__class__.__name__}(path={self.path!r}, name={name!r}, app={self.app!r})"


class Host(BaseRoute):
    """Serve requests for a host name (``Host("{tenant}.example.org", app)``) with ``app``."""

    def __init__(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        if host.startswith("/"):
            raise RouteConfigurationError(
                f"Host must not start with '/': got {host!r}. Give a host name such as "
                "'example.org' or '{subdomain}.example.org'; use Mount for a path prefix."
            )
        self.host = host
        self.app = app
        self.name = name
        self.host_regex, self.host_format, self.param_convertors = compile_path(host)

    @property
    def routes(self) -> list[BaseRoute]:
        """The routes of the app (empty for an app without routes)."""
        routes: list[BaseRoute] = getattr(self.app, "routes", [])
        return routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match when the ``Host`` header's host name fits the pattern.

        The header must be a valid ``host[:port]`` (RFC 3986: a registered name, an IPv6 or
        IPvFuture literal in brackets, a numeric port); anything else, or no header, matches
        no ``Host``. The name is compared without its port and without regard to case, and
        parameters receive it in lower case, as in Starlette.
        """
        if scope["type"] not in ("http", "websocket"):
            return _NO_MATCH
        host = host_name(Headers(scope=scope).get("host"))
        if host is None:
            return _NO_MATCH
        match = self.host_regex.fullmatch(host)
        if match is None:
            return _NO_MATCH
        path_params: dict[str, Any] = dict(scope.get(PATH_PARAMS, ()))
        if not convert_params(match.groupdict(), self.param_convertors, path_params):
            return _NO_MATCH
        return Match.FULL, {PATH_PARAMS: path_params, ENDPOINT: self.app}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """``"host_name"`` with ``path=...`` or ``"host_name:route_name"`` inside it.

        The URL's ``host`` is the pattern filled in (a ``:port`` in it is kept); as in
        Starlette, a host parameter that is not given stays a ``{placeholder}``, and
        ``NoMatchFound`` names the parameters that were left over.
        """
        if self.name is not None and name == self.name and "path" in path_params:
            path = path_params.pop("path")
            host, remaining = replace_params(self.host_format, self.param_convertors, path_params)
            if not remaining:
                return URLPath(path=path, host=host)
        elif self.name is None or name.startswith(self.name + ":"):
            inner_name = name if self.name is None else name[len(self.name) + 1 :]
            host, remaining = replace_params(self.host_format, self.param_convertors, path_params)
            url = _nested_url_path_for(self.routes, inner_name, remaining)
            if url is not None:
                return URLPath(path=str(url), protocol=url.protocol, host=host)  # type: ignore[arg-type]
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the application."""
        await self.app(scope, receive, send)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Host) and self.host == other.host and self.app == other.app

    __hash__ = BaseRoute.__hash__

    def __repr__(self) -> str:
        name = self.name or ""
        return f"{self.__class__.__name__}(host={self.host!r}, name={name!r}, app={self.app!r})"
