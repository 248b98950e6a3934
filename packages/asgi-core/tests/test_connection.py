from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import URL, Address, HTTPConnection, State, URLPath, UsageError
from asgi_core.types import Scope

ScopeFactory = Callable[..., Scope]


def test_connection_is_a_mapping_over_the_scope(make_scope: ScopeFactory) -> None:
    scope = make_scope("/x")
    conn = HTTPConnection(scope)
    assert conn["path"] == "/x"
    assert set(conn) == set(scope)
    assert len(conn) == len(scope)
    assert conn.scope is scope


def test_connection_identity_equality(make_scope: ScopeFactory) -> None:
    scope = make_scope()
    first, second = HTTPConnection(scope), HTTPConnection(scope)
    assert first == first
    assert first != second
    assert len({first, second}) == 2


def test_connection_accepts_websocket_scope(make_scope: ScopeFactory) -> None:
    conn = HTTPConnection(make_scope("/ws", type="websocket", scheme="ws"))
    assert conn.url == "ws://testserver/ws"


def test_connection_refuses_other_scopes(make_scope: ScopeFactory) -> None:
    with pytest.raises(
        UsageError, match="needs an 'http' or 'websocket' scope, got a 'lifespan' scope"
    ):
        HTTPConnection(make_scope(type="lifespan"))


def test_connection_url_and_cached_properties(make_scope: ScopeFactory) -> None:
    scope = make_scope(
        "/a/b",
        query_string=b"x=1&x=2&y=",
        headers=[(b"host", b"example.org"), (b"cookie", b"c=1; d=2"), (b"cookie", b"e=3")],
    )
    conn = HTTPConnection(scope)
    assert conn.url == "http://example.org/a/b?x=1&x=2&y="
    assert conn.url is conn.url
    assert conn.headers["host"] == "example.org"
    assert conn.headers is conn.headers
    assert conn.query_params.getlist("x") == ["1", "2"]
    assert conn.query_params is conn.query_params
    assert conn.cookies == {"c": "1", "d": "2", "e": "3"}
    assert conn.cookies is conn.cookies
    assert conn.client == Address("127.0.0.1", 50000)
    assert conn.path_params == {}


def test_connection_without_client(make_scope: ScopeFactory) -> None:
    scope = make_scope()
    del scope["client"]
    assert HTTPConnection(scope).client is None


def test_connection_path_params(make_scope: ScopeFactory) -> None:
    assert HTTPConnection(make_scope(path_params={"id": 3})).path_params == {"id": 3}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "http://example.org/"),
        ({"root_path": "/mounted"}, "http://example.org/mounted/"),
        ({"root_path": "/mounted/"}, "http://example.org/mounted/"),
        ({"root_path": "/inner", "app_root_path": "/app"}, "http://example.org/app/"),
    ],
)
def test_connection_base_url(
    make_scope: ScopeFactory, extra: dict[str, Any], expected: str
) -> None:
    scope = make_scope("/mounted/x", query_string=b"q=1", headers=[(b"host", b"example.org")])
    scope.update(extra)
    assert HTTPConnection(scope).base_url == expected


def test_connection_middleware_keys(make_scope: ScopeFactory) -> None:
    conn = HTTPConnection(make_scope())
    with pytest.raises(
        AssertionError, match="SessionMiddleware must be installed to access request.session"
    ):
        _ = conn.session
    with pytest.raises(
        AssertionError, match="AuthenticationMiddleware must be installed to access request.auth"
    ):
        _ = conn.auth
    with pytest.raises(
        AssertionError, match="AuthenticationMiddleware must be installed to access request.user"
    ):
        _ = conn.user
    with pytest.raises(KeyError):
        _ = conn.app
    scope = make_scope(session={"a": 1}, auth="creds", user="bob", app="the app")
    conn = HTTPConnection(scope)
    assert conn.session == {"a": 1}
    assert conn.auth == "creds"
    assert conn.user == "bob"
    assert conn.app == "the app"


def test_connection_state_is_a_view_of_scope_state(make_scope: ScopeFactory) -> None:
    scope = make_scope()
    conn = HTTPConnection(scope)
    state = conn.state
    assert isinstance(state, State)
    state.user_id = 7
    assert scope["state"] == {"user_id": 7}
    assert conn.state is state
    seeded = HTTPConnection(make_scope(state={"db": "x"}))
    assert seeded.state.db == "x"


class FakeRouter:
    def url_path_for(self, name: str, /, **params: Any) -> URLPath:
        return URLPath(f"/{name}/{params['id']}", protocol="http")


def test_connection_url_for(make_scope: ScopeFactory) -> None:
    scope = make_scope(
        "/", headers=[(b"host", b"example.org")], scheme="https", router=FakeRouter()
    )
    assert HTTPConnection(scope).url_for("user", id=3) == URL("https://example.org/user/3")
    scope = make_scope("/", headers=[(b"host", b"example.org")], app=FakeRouter(), root_path="/r")
    assert HTTPConnection(scope).url_for("user", id=4) == "http://example.org/r/user/4"


def test_connection_url_for_without_router(make_scope: ScopeFactory) -> None:
    with pytest.raises(
        RuntimeError, match="The `url_for` method can only be used inside an application"
    ):
        HTTPConnection(make_scope()).url_for("x")


def test_connection_base_url_is_cached(make_scope: ScopeFactory) -> None:
    conn = HTTPConnection(make_scope())
    assert conn.base_url is conn.base_url


def test_a_session_that_tracks_access_is_marked_accessed(make_scope: ScopeFactory) -> None:
    class TrackingSession(dict):  # type: ignore[type-arg]
        accessed = False

        def mark_accessed(self) -> None:
            self.accessed = True

    session = TrackingSession(a=1)
    scope = make_scope()
    scope["session"] = session
    conn = HTTPConnection(scope)
    assert not session.accessed
    assert conn.session["a"] == 1
    assert session.accessed
