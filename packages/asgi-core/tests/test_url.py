from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asgi_core import URL, URLPath, UsageError, split_authority
from asgi_core.types import Scope

ScopeFactory = Callable[..., Scope]


def test_url_components() -> None:
    url = URL("https://user:pw@Example.org:8443/a/b?c=1&d=2#frag")
    assert url.scheme == "https"
    assert url.netloc == "user:pw@Example.org:8443"
    assert url.path == "/a/b"
    assert url.query == "c=1&d=2"
    assert url.fragment == "frag"
    assert url.username == "user"
    assert url.password == "pw"
    assert url.hostname == "example.org"
    assert url.port == 8443
    assert url.is_secure
    assert not URL("http://example.org").is_secure
    assert URL("wss://example.org").is_secure
    assert URL("http://example.org").port is None


def test_url_equality_and_hash() -> None:
    url = URL("http://example.org/")
    assert url == "http://example.org/"
    assert url == URL("http://example.org/")
    assert url != URL("http://example.org/other")
    assert url != 42
    assert hash(url) == hash(URL("http://example.org/"))
    assert {url, URL("http://example.org/")} == {url}


def test_url_repr_hides_password() -> None:
    assert repr(URL("http://example.org/")) == "URL('http://example.org/')"
    assert (
        repr(URL("https://user:secret@example.org/x"))
        == "URL('https://user:********@example.org/x')"
    )
    assert str(URL("https://user:secret@example.org/x")) == "https://user:secret@example.org/x"


def test_url_replace() -> None:
    url = URL("https://example.org:123/path?q=1")
    assert url.replace(scheme="http") == "http://example.org:123/path?q=1"
    assert url.replace(path="/new") == "https://example.org:123/new?q=1"
    assert url.replace(query="") == "https://example.org:123/path"
    assert url.replace(fragment="top") == "https://example.org:123/path?q=1#top"
    assert url.replace(port=None) == "https://example.org/path?q=1"
    assert url.replace(port=8000) == "https://example.org:8000/path?q=1"
    assert url.replace(hostname="other.org") == "https://other.org:123/path?q=1"
    assert url.replace(username="bob") == "https://bob@example.org:123/path?q=1"
    assert url.replace(username="bob", password="pw") == "https://bob:pw@example.org:123/path?q=1"
    with_auth = URL("https://bob:pw@example.org/")
    assert with_auth.replace(password="new") == "https://bob:new@example.org/"
    assert with_auth.replace(hostname="h") == "https://bob:pw@h/"


def test_url_replace_keeps_ipv6_literal() -> None:
    url = URL("http://[::1]:8000/x")
    assert url.replace(port=9000) == "http://[::1]:9000/x"
    assert URL("http://[::1]/x").replace(port=9000) == "http://[::1]:9000/x"


def test_url_from_components() -> None:
    assert URL(scheme="https", netloc="example.org", path="/a", query="b=1") == (
        "https://example.org/a?b=1"
    )
    assert URL(path="/only") == "/only"
    with pytest.raises(UsageError, match='Cannot set both "url" and "\\*\\*components"'):
        URL("http://x", path="/y")


def test_url_query_params_helpers() -> None:
    url = URL("https://example.org/?a=1&b=2&a=3&empty=")
    assert url.include_query_params(b=5, c="x") == "https://example.org/?a=1&a=3&empty=&b=5&c=x"
    assert url.replace_query_params(z=1) == "https://example.org/?z=1"
    assert url.remove_query_params("a") == "https://example.org/?b=2&empty="
    assert url.remove_query_params(["a", "b", "missing"]) == "https://example.org/?empty="


def test_url_from_scope(make_scope: ScopeFactory) -> None:
    scope = make_scope("/path", query_string=b"a=1", headers=[(b"host", b"example.org:8080")])
    url = URL(scope=scope)
    assert url == "http://example.org:8080/path?a=1"
    assert url.path == "/path"
    assert url.port == 8080


def test_url_from_scope_uses_server_without_host(make_scope: ScopeFactory) -> None:
    assert URL(scope=make_scope("/p")) == "http://testserver/p"
    assert URL(scope=make_scope("/p", server=("testserver", 8000))) == "http://testserver:8000/p"
    assert URL(scope=make_scope("/p", scheme="https", server=("s", 443))) == "https://s/p"
    assert URL(scope=make_scope("/p", scheme="wss", server=("s", 443))) == "wss://s/p"
    assert URL(scope=make_scope("/p", scheme="ws", server=("s", 80))) == "ws://s/p"
    assert URL(scope=make_scope("/p", server=("::1", 8000))) == "http://[::1]:8000/p"
    assert URL(scope=make_scope("/p", server=("unix.sock", None))) == "http://unix.sock/p"
    assert URL(scope=make_scope("/p", scheme="gopher", server=("s", 70))) == "gopher://s:70/p"


def test_url_from_scope_without_host_or_server(make_scope: ScopeFactory) -> None:
    url = URL(scope=make_scope("/p", query_string=b"x=1", server=None))
    assert url == "/p?x=1"
    assert url.netloc == ""
    # a leading "//" must not become an authority
    url = URL(scope=make_scope("//evil.com/x", server=None))
    assert url.netloc == ""
    assert URL(str(url)).netloc == ""
    assert url.path == "/%2Fevil.com/x"


@pytest.mark.parametrize(
    "host",
    [
        b"evil.com/path",
        b"evil.com?x=",
        b"evil.com#",
        b"user@evil.com",
        b"evil.com extra",
        b"evil.com:99999",
        b"[::1",
        b"",
    ],
)
def test_url_from_scope_ignores_invalid_host(make_scope: ScopeFactory, host: bytes) -> None:
    url = URL(scope=make_scope("/reset", headers=[(b"host", host)], server=("real.host", 8000)))
    assert url == "http://real.host:8000/reset"
    assert url.hostname == "real.host"
    assert url.path == "/reset"


def test_url_from_scope_first_host_header_wins(make_scope: ScopeFactory) -> None:
    scope = make_scope("/", headers=[(b"host", b"one.org"), (b"host", b"two.org")])
    assert URL(scope=scope).hostname == "one.org"


@pytest.mark.parametrize(
    ("path", "expected_path"),
    [
        ("evil.com/x", "/evil.com/x"),
        ("@evil.com", "/@evil.com"),
        (":80/x", "/:80/x"),
        ("/a?b=1", "/a%3Fb=1"),
        ("/a#frag", "/a%23frag"),
        ("/a\\b", "/a%5Cb"),
    ],
)
def test_url_from_scope_path_never_changes_authority(
    make_scope: ScopeFactory, path: str, expected_path: str
) -> None:
    scope = make_scope(path, headers=[(b"host", b"good.org")])
    url = URL(scope=scope)
    assert url.hostname == "good.org"
    assert url.path == expected_path
    assert url.query == ""
    assert url.fragment == ""
    reparsed = URL(str(url))
    assert reparsed.hostname == "good.org"
    assert reparsed.path == expected_path


def test_url_from_scope_query_string_bytes(make_scope: ScopeFactory) -> None:
    assert URL(scope=make_scope("/", query_string="q=é".encode())).query == "q=é"
    # invalid UTF-8 never raises: the bytes are kept percent-encoded
    assert URL(scope=make_scope("/", query_string=b"q=\xff&a=1")).query == "q=%FF&a=1"


@pytest.mark.parametrize("query", [b"a=1#b", b"a=\xff#b"])
def test_a_hash_in_the_query_string_stays_in_the_query(
    make_scope: ScopeFactory, query: bytes
) -> None:
    url = URL(scope=make_scope("/x", query_string=query, headers=[(b"host", b"example.org")]))
    assert url.query in ("a=1%23b", "a=%FF%23b")
    assert url.fragment == ""
    reparsed = URL(str(url))
    assert (reparsed.query, reparsed.fragment) == (url.query, "")


def test_url_scope_conflicts(make_scope: ScopeFactory) -> None:
    with pytest.raises(UsageError, match='Cannot set both "url" and "scope"'):
        URL("http://x", scope=make_scope())
    with pytest.raises(UsageError, match='Cannot set both "scope" and "\\*\\*components"'):
        URL(scope=make_scope(), path="/x")


def test_urlpath() -> None:
    path = URLPath("/users/1", protocol="http", host="api.example.org")
    assert path == "/users/1"
    assert path.protocol == "http"
    assert path.host == "api.example.org"
    assert (
        path.make_absolute_url("https://example.org/root/")
        == "https://api.example.org/root/users/1"
    )
    assert URLPath("/ws", "websocket").make_absolute_url("https://example.org") == (
        "wss://example.org/ws"
    )
    assert URLPath("/ws", "websocket").make_absolute_url(URL("http://example.org")) == (
        "ws://example.org/ws"
    )
    assert URLPath("/x", "http").make_absolute_url("http://example.org/") == "http://example.org/x"
    assert URLPath("/x").make_absolute_url("ftp://example.org/base") == "ftp://example.org/base/x"
    with pytest.raises(UsageError, match="URLPath protocol must be"):
        URLPath("/x", protocol="ftp")  # type: ignore[arg-type]


def test_url_from_scope_skips_other_headers(make_scope: ScopeFactory) -> None:
    scope = make_scope("/", headers=[(b"accept", b"*/*"), (b"host", b"example.org")])
    assert URL(scope=scope).hostname == "example.org"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a", "/a"),
        ("a/b", "a/b"),  # no host to be glued to: kept as it is, as Starlette
        ("", ""),
        ("//a/b", "/%2Fa/b"),  # not an authority
        ("?x", "%3Fx"),
        ("/a?b#c", "/a%3Fb%23c"),
    ],
)
def test_url_of_a_bare_scope(path: str, expected: str) -> None:
    # a request made outside a server: no Host header, no server address
    url = URL(scope={"type": "http", "path": path, "headers": [], "query_string": b""})
    assert str(url) == expected
    assert url.scheme == ""
    assert url.netloc == ""


def test_a_relative_path_after_a_host_gets_a_slash(make_scope: ScopeFactory) -> None:
    scope = make_scope("evil.com/x", headers=[(b"host", b"example.org")])
    assert str(URL(scope=scope)) == "http://example.org/evil.com/x"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("//x", "/%2Fx"),
        ("///", "/%2F/"),
        ("////a", "/%2F//a"),
        ("//x?y", "/%2Fx?y"),
        ("/a//b", "/a//b"),
        ("/a\\b", "/a%5Cb"),
        ("\\x", "%5Cx"),
        ("/\\x", "/%5Cx"),
        ("\\", "%5C"),
        ("x//", "x//"),
    ],
)
def test_urlpath_cannot_name_another_host(path: str, expected: str) -> None:
    # as Starlette: "//evil.com" or "/\evil.com" in a redirect would lead browsers away
    url_path = URLPath(path, protocol="http", host="h.org")
    assert url_path == expected
    assert (url_path.protocol, url_path.host) == ("http", "h.org")
    assert URLPath(url_path) == expected  # escaping twice changes nothing


# --- properties: a URL built from a request says what the server was asked for ---------------


#: what clients put in Host headers and request targets, forged ones included
HOSTY = st.text(alphabet=st.sampled_from("aZ09.-:[]@/?#\\%_~ é\x00\x7f"), max_size=24)
PATHY = st.text(alphabet=st.sampled_from("a/.%?#\\@:;=&+ é\x00~"), max_size=24)
#: any bytes but the tab, CR and LF a server never passes on (and urlsplit would drop)
QUERY = st.binary(max_size=12).map(lambda query: query.translate(None, b"\t\r\n"))


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(host=HOSTY, path=PATHY, query=QUERY, scheme=st.sampled_from(["http", "https"]))
def test_a_request_url_reads_back_as_its_parts(
    make_scope: ScopeFactory, host: str, path: str, query: bytes, scheme: str
) -> None:
    scope = make_scope(path, scheme=scheme, query_string=query, headers=[(b"host", host.encode())])
    url = URL(scope=scope)
    parts = urlsplit(str(url))
    # what a reader of str(url) (a proxy, a log, a middleware) sees is what the server saw
    assert (parts.scheme, parts.netloc, parts.path, parts.query) == (
        url.scheme,
        url.netloc,
        url.path,
        url.query,
    )
    assert parts.fragment == ""
    assert url.path.startswith("/") or url.path == path == ""
    # the host is the Host header's when it is a valid authority, else the server's
    authority = split_authority(host)
    expected_host = authority[0].lower() if authority is not None else "testserver"
    assert (url.hostname or "").lower() == expected_host.strip("[]").lower()


@given(
    scheme=st.sampled_from(["http", "https", "ws"]),
    host=st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,5}){0,2}", fullmatch=True),
    port=st.none() | st.integers(1, 65535),
    path=st.lists(st.text(alphabet="abc-_~.%2F", max_size=6), max_size=4),
    query=st.lists(st.tuples(st.text("ab", max_size=3), st.text("xy=", max_size=3)), max_size=3),
)
def test_urls_from_components_round_trip(
    scheme: str, host: str, port: int | None, path: list[str], query: list[tuple[str, str]]
) -> None:
    netloc = host if port is None else f"{host}:{port}"
    text = f"{scheme}://{netloc}/" + "/".join(path)
    if query:
        text += "?" + "&".join(f"{key}={value}" for key, value in query)
    url = URL(text)
    assert str(url) == text
    assert URL(str(url)) == url
    assert (url.hostname, url.port) == (host, port)
    assert url.replace(path="/x").path == "/x"
    assert url.replace(hostname="example.org").hostname == "example.org"
