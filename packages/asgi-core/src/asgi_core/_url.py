"""``URL`` and ``URLPath``: immutable URLs built from strings, components or an ASGI scope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit

from asgi_core._host import valid_authority
from asgi_core._multidict import MultiDict
from asgi_core.exceptions import UsageError
from asgi_core.types import Scope

__all__ = ["URL", "URLPath"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_SECURE_SCHEMES = frozenset({"https", "wss"})
_NETLOC_PARTS = ("username", "password", "hostname", "port")


def _scope_netloc(scope: Scope, scheme: str) -> str | None:
    """The authority of a request: a valid Host header, else the server address, else None."""
    for key, value in scope["headers"]:
        if key == b"host":
            authority = valid_authority(value.decode("latin-1"))
            if authority is not None:
                return authority
            break
    server = scope.get("server")
    if server is None:
        return None
    host, port = server
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return str(host)
    return f"{host}:{port}"


def _scope_path(path: str, netloc: str | None) -> str:
    """The path of a request as it may appear in a URL string.

    The scope's path is already percent-decoded, so a decoded ``?``, ``#`` or ``\\`` is
    encoded again (otherwise it would start a query, a fragment or, for some clients, a new
    authority). After a host, a path that does not start with ``/`` gets one so it can
    never be glued onto the host name; without one (a bare scope, outside a server) it is
    kept as it is, as Starlette does, except that a leading ``//`` becomes ``/%2F`` so that
    it cannot be read as an authority.
    """
    if "?" in path or "#" in path or "\\" in path:
        path = path.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    if netloc is None:
        if path.startswith("//"):
            path = "/%2F" + path[2:]
    elif path and path[0] != "/":
        path = "/" + path
    return path


def _scope_query(query_string: bytes) -> str:
    """The query string of a request as it may appear in a URL string.

    A ``#`` (no client sends one, but a forged request target can) is percent-encoded, so
    that the URL string does not end its query there and start a fragment. Invalid UTF-8
    never fails: those bytes are kept, percent-encoded.
    """
    try:
        query = query_string.decode("utf-8")
    except UnicodeDecodeError:
        return quote(query_string, safe="!$%&'()*+,-./:;=?@[]^_`{|}~")
    return query.replace("#", "%23") if "#" in query else query


class URL:
    """An immutable URL.

    Build it from a string (``URL("https://example.org/path?q=1")``), from components
    (``URL(scheme="https", netloc="example.org", path="/")``), or from an ASGI scope
    (``URL(scope=scope)``), in which case an invalid ``Host`` header is ignored in favour of
    ``scope["server"]``.
    """

    __slots__ = ("_components", "_url")

    def __init__(self, url: str = "", scope: Scope | None = None, **components: Any) -> None:
        self._components: SplitResult | None = None
        if scope is not None:
            if url:
                raise UsageError('Cannot set both "url" and "scope".')
            if components:
                raise UsageError('Cannot set both "scope" and "**components".')
            scheme = scope.get("scheme", "http")
            netloc = _scope_netloc(scope, scheme)
            path = _scope_path(scope["path"], netloc)
            query = _scope_query(scope.get("query_string", b""))
            if netloc is None:
                scheme = ""
                netloc = ""
            self._components = SplitResult(scheme, netloc, path, query, "")
            # what SplitResult.geturl() returns for these parts, without its overhead
            url = f"{scheme}://{netloc}{path}" if netloc else path
            if query:
                url = f"{url}?{query}"
        elif components:
            if url:
                raise UsageError('Cannot set both "url" and "**components".')
            url = URL("").replace(**components).components.geturl()
        self._url = url

    @property
    def components(self) -> SplitResult:
        """The parsed URL, as returned by :func:`urllib.parse.urlsplit`."""
        if self._components is None:
            self._components = urlsplit(self._url)
        return self._components

    @property
    def scheme(self) -> str:
        """``"https"`` for ``https://example.org/``."""
        return self.components.scheme

    @property
    def netloc(self) -> str:
        """The authority, with user info and port: ``user:pw@example.org:8000``."""
        return self.components.netloc

    @property
    def path(self) -> str:
        """The path, ``"/a/b"`` for ``https://example.org/a/b?q=1``."""
        return self.components.path

    @property
    def query(self) -> str:
        """The query string without its ``?``."""
        return self.components.query

    @property
    def fragment(self) -> str:
        """The fragment without its ``#``."""
        return self.components.fragment

    @property
    def username(self) -> str | None:
        """The user name of the user info, or ``None``."""
        return self.components.username

    @property
    def password(self) -> str | None:
        """The password of the user info, or ``None``."""
        return self.components.password

    @property
    def hostname(self) -> str | None:
        """The host name in lower case, IPv6 literals without brackets, or ``None``."""
        return self.components.hostname

    @property
    def port(self) -> int | None:
        """The explicit port, or ``None`` when the URL does not name one."""
        return self.components.port

    @property
    def is_secure(self) -> bool:
        """Whether the scheme is ``https`` or ``wss``."""
        return self.scheme in _SECURE_SCHEMES

    def replace(self, **kwargs: Any) -> URL:
        """Return a copy with some components replaced.

        Accepts the :class:`~urllib.parse.SplitResult` fields (``scheme``, ``netloc``,
        ``path``, ``query``, ``fragment``) and the parts of the authority (``username``,
        ``password``, ``hostname``, ``port``).
        """
        if any(part in kwargs for part in _NETLOC_PARTS):
            kwargs["netloc"] = self._replaced_netloc(kwargs)
        return URL(self.components._replace(**kwargs).geturl())

    def _replaced_netloc(self, kwargs: dict[str, Any]) -> str:
        hostname = kwargs.pop("hostname", None)
        port = kwargs.pop("port", self.port)
        username = kwargs.pop("username", self.username)
        password = kwargs.pop("password", self.password)
        if hostname is None:
            hostname = self.netloc.rpartition("@")[2]
            if not hostname.endswith("]"):
                hostname = hostname.rsplit(":", 1)[0]
        netloc = str(hostname)
        if port is not None:
            netloc = f"{netloc}:{port}"
        if username is not None:
            userinfo = str(username) if password is None else f"{username}:{password}"
            netloc = f"{userinfo}@{netloc}"
        return netloc

    def include_query_params(self, **kwargs: Any) -> URL:
        """Return a copy with these query parameters set, keeping the others."""
        params = MultiDict(parse_qsl(self.query, keep_blank_values=True))
        params.update({str(key): str(value) for key, value in kwargs.items()})
        return self.replace(query=urlencode(params.multi_items()))

    def replace_query_params(self, **kwargs: Any) -> URL:
        """Return a copy whose query string holds exactly these parameters."""
        return self.replace(query=urlencode([(str(k), str(v)) for k, v in kwargs.items()]))

    def remove_query_params(self, keys: str | Sequence[str]) -> URL:
        """Return a copy without the query parameters named in ``keys``."""
        if isinstance(keys, str):
            keys = [keys]
        params = MultiDict(parse_qsl(self.query, keep_blank_values=True))
        for key in keys:
            params.pop(key, None)
        return self.replace(query=urlencode(params.multi_items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (str, URL)):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._url)

    def __str__(self) -> str:
        return self._url

    def __repr__(self) -> str:
        url = self._url
        if self.password:
            url = str(self.replace(password="********"))  # noqa: S106 - a mask, not a password
        return f"{self.__class__.__name__}({url!r})"


class URLPath(str):
    """A URL path string that remembers the protocol and host it is meant for.

    Returned by ``url_path_for``; :meth:`make_absolute_url` turns it into a full :class:`URL`
    against the request's base URL, choosing ``https``/``wss`` when the base is secure.
    As in Starlette, a backslash is written ``%5C`` and a leading ``//`` becomes ``/%2F``,
    so that a path made from user input can never be read as another host by a browser
    (an open redirect).
    """

    protocol: str
    host: str

    def __new__(
        cls, path: str, protocol: Literal["http", "websocket", ""] = "", host: str = ""
    ) -> URLPath:
        if protocol not in ("http", "websocket", ""):
            raise UsageError(
                f"URLPath protocol must be 'http', 'websocket' or '', got {protocol!r}."
            )
        if "\\" in path:
            path = path.replace("\\", "%5C")
        if path.startswith("//"):
            path = "/%2F" + path[2:]
        instance = str.__new__(cls, path)
        instance.protocol = protocol
        instance.host = host
        return instance

    def make_absolute_url(self, base_url: str | URL) -> URL:
        """Return this path as an absolute URL under ``base_url``."""
        if isinstance(base_url, str):
            base_url = URL(base_url)
        if self.protocol == "http":
            scheme = "https" if base_url.is_secure else "http"
        elif self.protocol == "websocket":
            scheme = "wss" if base_url.is_secure else "ws"
        else:
            scheme = base_url.scheme
        netloc = self.host or base_url.netloc
        path = base_url.path.rstrip("/") + str(self)
        return URL(scheme=scheme, netloc=netloc, path=path)
