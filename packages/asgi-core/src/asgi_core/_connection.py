"""``HTTPConnection``: what HTTP requests and WebSocket connections have in common."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, Union

from typing_extensions import TypeVar

from asgi_core._cookies import cookie_parser
from asgi_core._headers import Headers
from asgi_core._multidict import QueryParams
from asgi_core._url import URL
from asgi_core._values import Address, State
from asgi_core.exceptions import UsageError
from asgi_core.scope_keys import (
    APP,
    APP_ROOT_PATH,
    AUTH,
    PATH_PARAMS,
    ROOT_PATH,
    ROUTER,
    SESSION,
    STATE,
    USER,
)
from asgi_core.types import Scope

__all__ = ["HTTPConnection"]

#: The type of ``request.state``; ``Request[MyState]`` types it for static checkers.
StateT = TypeVar("StateT", bound=Union[State, Mapping[str, Any]], default=State)  # noqa: UP007


def _require(scope: Scope, key: str, middleware: str) -> Any:
    try:
        return scope[key]
    except KeyError:
        # AssertionError, as in Starlette, so existing `except AssertionError` code keeps
        # working; raised explicitly so that it survives `python -O`.
        raise AssertionError(f"{middleware} must be installed to access request.{key}") from None


class HTTPConnection(Mapping[str, Any], Generic[StateT]):
    """A read-only view of an HTTP or WebSocket connection scope.

    Everything is parsed lazily on first access and cached: the URL, headers, query
    parameters and cookies cost nothing unless the application asks for them.
    """

    # Parsed lazily and cached on the instance; the class-level defaults save setting six
    # attributes on every request that never reads them.
    _url: URL | None = None
    _base_url: URL | None = None
    _headers: Headers | None = None
    _query_params: QueryParams | None = None
    _cookies: dict[str, str] | None = None
    _state: State | None = None

    def __init__(self, scope: Scope, receive: Any = None) -> None:
        if scope["type"] not in ("http", "websocket"):
            raise UsageError(
                f"{self.__class__.__name__} needs an 'http' or 'websocket' scope, "
                f"got a {scope['type']!r} scope."
            )
        self.scope = scope

    def __getitem__(self, key: str) -> Any:
        return self.scope[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.scope)

    def __len__(self) -> int:
        return len(self.scope)

    # A connection is a mapping over its scope, but two connections are equal only when
    # they are the same object (and connections are hashable), as in Starlette.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    @property
    def app(self) -> Any:
        """The application that received the connection (``scope["app"]``)."""
        return self.scope[APP]

    @property
    def url(self) -> URL:
        """The full URL of the request; an invalid ``Host`` header is never used."""
        if self._url is None:
            self._url = URL(scope=self.scope)
        return self._url

    @property
    def base_url(self) -> URL:
        """The URL of the application's root (where it is mounted), ending in ``/``."""
        if self._base_url is None:
            base_scope = dict(self.scope)
            root_path = base_scope.get(APP_ROOT_PATH, base_scope.get(ROOT_PATH, ""))
            base_scope["path"] = root_path if root_path.endswith("/") else root_path + "/"
            base_scope["query_string"] = b""
            base_scope[ROOT_PATH] = root_path
            self._base_url = URL(scope=base_scope)
        return self._base_url

    @property
    def headers(self) -> Headers:
        """The request headers."""
        if self._headers is None:
            self._headers = Headers(scope=self.scope)
        return self._headers

    @property
    def query_params(self) -> QueryParams:
        """The query-string parameters (only ``&`` separates fields)."""
        if self._query_params is None:
            self._query_params = QueryParams(self.scope["query_string"])
        return self._query_params

    @property
    def path_params(self) -> dict[str, Any]:
        """The converted path parameters of the matched route."""
        params: dict[str, Any] = self.scope.get(PATH_PARAMS, {})
        return params

    @property
    def cookies(self) -> dict[str, str]:
        """The request cookies, parsed leniently as browsers send them."""
        if self._cookies is None:
            cookies: dict[str, str] = {}
            for header in self.headers.getlist("cookie"):
                cookies.update(cookie_parser(header))
            self._cookies = cookies
        return self._cookies

    @property
    def client(self) -> Address | None:
        """The client's ``Address(host, port)``, or ``None`` when the server gives none."""
        client = self.scope.get("client")
        if client is None:
            return None
        return Address(*client)

    @property
    def session(self) -> dict[str, Any]:
        """The session dict written by a session middleware.

        A session that tracks access (one with a ``mark_accessed()`` method, such as
        asgi-middleware-sessions' ``Session``) is marked accessed, as Starlette does, so the
        middleware adds ``Vary: Cookie`` to the response.
        """
        session: dict[str, Any] = _require(self.scope, SESSION, "SessionMiddleware")
        mark_accessed = getattr(session, "mark_accessed", None)
        if mark_accessed is not None:
            mark_accessed()
        return session

    @property
    def auth(self) -> Any:
        """The credentials set by an authentication middleware."""
        return _require(self.scope, AUTH, "AuthenticationMiddleware")

    @property
    def user(self) -> Any:
        """The user set by an authentication middleware."""
        return _require(self.scope, USER, "AuthenticationMiddleware")

    @property
    def state(self) -> StateT:
        """Per-request state: a :class:`State` over ``scope["state"]``."""
        if self._state is None:
            self._state = State(self.scope.setdefault(STATE, {}))
        return self._state  # type: ignore[return-value]

    def url_for(self, name: str, /, **path_params: Any) -> URL:
        """The absolute URL of the route called ``name``, built with ``path_params``."""
        provider = self.scope.get(ROUTER) or self.scope.get(APP)
        if provider is None:
            raise RuntimeError(
                "The `url_for` method can only be used inside an application or with a "
                "router: no 'router' or 'app' key in the scope."
            )
        url_path = provider.url_path_for(name, **path_params)
        result: URL = url_path.make_absolute_url(base_url=self.base_url)
        return result
