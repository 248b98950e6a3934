from __future__ import annotations

from typing import Any

import pytest

from asgi_core import Secret
from asgi_core.types import Receive, Scope, Send
from asgi_middleware_sessions import MemorySessionStore, SessionMiddleware


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Never called: these tests only build the middleware."""


def build(**options: Any) -> SessionMiddleware:
    return SessionMiddleware(app, **{"secret_key": "secret", **options})


class StarletteLikeSecret:
    """A stand-in for starlette.datastructures.Secret: accepted by its class name."""

    def __str__(self) -> str:
        return "from-starlette"


Secret_ = type("Secret", (StarletteLikeSecret,), {})


@pytest.mark.parametrize(
    ("secret_key", "keys"),
    [
        ("secret", [b"secret"]),
        (b"raw", [b"raw"]),
        (Secret("hidden"), [b"hidden"]),
        (Secret_(), [b"from-starlette"]),
        (["new", Secret("old"), b"older"], [b"older", b"old", b"new"]),
        (("new",), [b"new"]),
    ],
)
def test_secret_keys(secret_key: Any, keys: list[bytes]) -> None:
    """itsdangerous signs with the last key of its list: the first one given here."""
    assert build(secret_key=secret_key).signer.secret_keys == keys


@pytest.mark.parametrize(
    ("secret_key", "error", "message"),
    [
        (None, TypeError, r"the key must be a str or a Secret, got NoneType None"),
        (42, TypeError, r"the key must be a str or a Secret, got int 42"),
        ("", ValueError, r"the key is empty, and anyone could forge"),
        (Secret(""), ValueError, r"the key is empty"),
        ([], ValueError, r"the list of keys is empty"),
        (["ok", ""], ValueError, r"key 1 is empty"),
        (["ok", None], TypeError, r"key 1 must be a str or a Secret, got NoneType"),
    ],
)
def test_bad_secret_keys(secret_key: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build(secret_key=secret_key)


@pytest.mark.parametrize("name", ["", "a b", "a=b", "a;b", "sessión", 5, None])
def test_bad_cookie_names(name: Any) -> None:
    with pytest.raises(ValueError, match=r"a cookie name must be a non-empty string"):
        build(session_cookie=name)


@pytest.mark.parametrize("name", ["session", "__Host-session", "a.b_c!#$%&'*+^`|~"])
def test_good_cookie_names(name: str) -> None:
    assert build(session_cookie=name).session_cookie == name


@pytest.mark.parametrize("max_age", [0, -1, 1.5, "60", True])
def test_bad_max_age(max_age: Any) -> None:
    with pytest.raises(ValueError, match=r"pass a whole number of seconds > 0 .* or None"):
        build(max_age=max_age)


@pytest.mark.parametrize("max_age", [1, 3600, None])
def test_good_max_age(max_age: int | None) -> None:
    assert build(max_age=max_age).max_age == max_age


@pytest.mark.parametrize("path", ["/a;b", "/\n", "/é", None, 1])
def test_bad_paths(path: Any) -> None:
    with pytest.raises(ValueError, match=r"path=.*: pass a string of printable ASCII"):
        build(path=path)


@pytest.mark.parametrize("domain", ["", "a;b.org", "exämple.org", 5])
def test_bad_domains(domain: Any) -> None:
    with pytest.raises(ValueError, match=r"domain=.*: pass None or a non-empty string"):
        build(domain=domain)


@pytest.mark.parametrize("same_site", ["", "foo", None, "lax;"])
def test_bad_same_site(same_site: Any) -> None:
    with pytest.raises(ValueError, match=r"same_site=.*: pass 'lax' \(the default\)"):
        build(same_site=same_site)


@pytest.mark.parametrize("same_site", ["lax", "Strict", "NONE"])
def test_same_site_in_any_case_is_written_as_given(same_site: Any) -> None:
    middleware = build(same_site=same_site, https_only=True)
    assert middleware.security_flags == f"httponly; samesite={same_site}; secure"


@pytest.mark.parametrize("name", ["https_only", "partitioned"])
def test_flags_must_be_bools(name: str) -> None:
    with pytest.raises(TypeError, match=rf"SessionMiddleware\({name}=1\): pass True or False"):
        build(**{name: 1})


def test_same_site_none_needs_https_only() -> None:
    with pytest.raises(ValueError, match=r"browsers refuse a SameSite=None cookie without"):
        build(same_site="none")


def test_partitioned_needs_https_only() -> None:
    with pytest.raises(ValueError, match=r"browsers refuse a Partitioned cookie without"):
        build(partitioned=True)


def test_a_store_needs_the_three_methods() -> None:
    class Half:
        async def load(self, session_id: str) -> None: ...

    with pytest.raises(TypeError, match=r"missing: save, delete\. Use MemorySessionStore"):
        build(store=Half())
    store = MemorySessionStore()
    assert build(store=store).store is store


def test_public_attributes_are_starlettes() -> None:
    middleware = build(
        session_cookie="sid",
        max_age=60,
        path="/app",
        same_site="strict",
        https_only=True,
        domain="example.org",
        partitioned=True,
    )
    assert middleware.app is app
    assert (middleware.session_cookie, middleware.max_age, middleware.path) == ("sid", 60, "/app")
    assert middleware.security_flags == (
        "httponly; samesite=strict; secure; domain=example.org; partitioned"
    )
    assert middleware.store is None
