"""The demo's login, template pages and static files (examples/demo).

Log in (SessionMiddleware with a server-side store, AuthenticationMiddleware, ``@requires``),
see the session-backed account page, log out; pages rendered from Jinja2 templates; the
stylesheet served by StaticFiles, also as its precompressed ``.br`` and ``.gz`` siblings; the
same login with the session in a real Redis when ``REDIS_URL`` is set.
"""

from __future__ import annotations

import gzip
import importlib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import brotli  # type: ignore[import-untyped,unused-ignore]
import httpx
import pytest
import redis

from asgi_testing import TestClient

STATIC = Path(__file__).resolve().parent.parent / "examples" / "demo" / "static"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    return importlib.import_module("examples.demo.app")


@pytest.fixture(params=["asyncio", "trio"])
def client(request: pytest.FixtureRequest, demo: Any) -> Iterator[TestClient]:
    with TestClient(demo.app, backend=request.param, follow_redirects=False) as client:
        yield client


def log_in(client: TestClient, username: str = "ada", **fields: str) -> httpx.Response:
    data = {"username": username, "password": "demo", **fields}
    return client.post("/login", data=data)


def test_log_in_see_the_account_page_log_out(client: TestClient) -> None:
    # the account page sends visitors to the login page, which sends them back
    refused = client.get("/account")
    assert refused.status_code == 303
    next_url = "http://testserver/account"
    assert refused.headers["location"] == f"http://testserver/login?next={quote(next_url, '')}"
    form = client.get(refused.headers["location"])
    assert form.status_code == 200
    assert f'<input type="hidden" name="next" value="{next_url}">' in form.text
    assert "set-cookie" not in form.headers  # no session for anonymous visitors

    wrong = log_in(client, password="nope", next=next_url)
    assert wrong.status_code == 400
    assert "Unknown name or wrong password" in wrong.text
    assert 'value="ada"' in wrong.text
    assert "set-cookie" not in wrong.headers

    response = log_in(client, next=next_url)
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("session=")
    assert "; httponly; samesite=lax" in cookie
    assert "ada" not in cookie  # a server-side store: only a signed random id

    for visits in (1, 2):
        page = client.get("/account")
        assert page.status_code == 200
        assert "<h1>Hello, ada</h1>" in page.text
        assert f'<strong id="visits">{visits}</strong>' in page.text
    home = client.get("/")
    assert "Logged in as <strong>ada</strong>" in home.text

    out = client.post("/logout")
    assert (out.status_code, out.headers["location"]) == (303, "/")
    assert out.headers["set-cookie"].startswith("session=null; path=/; expires=Thu, 01 Jan 1970")
    assert client.get("/account").status_code == 303
    assert '<a href="http://testserver/login">Log in</a>' in client.get("/").text


def test_a_new_session_id_at_each_login(client: TestClient) -> None:
    log_in(client)
    first = client.cookies["session"]
    log_in(client, "grace")
    second = client.cookies["session"]
    assert first != second
    assert "Hello, grace" in client.get("/account").text
    # the id from before the second login no longer opens a session (no session fixation)
    client.cookies.clear()
    client.cookies.set("session", first)
    assert client.get("/account").status_code == 303


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/account?tab=1", "/account?tab=1"),
        ("http://testserver/?a=b", "/?a=b"),
        ("https://evil.example/", "/account"),
        ("http://evil.example/account", "/account"),
        ("//evil.example/", "/account"),
        ("/\\evil.example/", "/account"),
        ("javascript:alert(1)", "/account"),
        ("", "/account"),
    ],
)
def test_the_login_redirects_only_within_the_site(
    client: TestClient, next_url: str, location: str
) -> None:
    assert log_in(client, next=next_url).headers["location"] == location


def test_the_pages_are_templates(client: TestClient) -> None:
    home = client.get("/")
    assert home.template.name == "index.html"  # type: ignore[attr-defined]
    assert home.context["notes"] == []  # type: ignore[attr-defined]
    assert '<link rel="stylesheet" href="http://testserver/static/demo.css">' in home.text
    assert '<script src="http://testserver/static/demo.js"></script>' in home.text
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.template.name == "error.html"  # type: ignore[attr-defined]
    assert "<h1>404 · Page not found</h1>" in missing.text
    assert client.get("/login").template.name == "login.html"  # type: ignore[attr-defined]
    docs = client.get("/docs")
    assert docs.template.name == "docs.html"  # type: ignore[attr-defined]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_500_page_is_a_template(demo: Any, backend: Literal["asyncio", "trio"]) -> None:
    with TestClient(demo.app, backend=backend, raise_server_exceptions=False) as client:
        log_in(client)
        crash = client.get("/crash")
    assert crash.status_code == 500
    assert "<h1>500 · Something went wrong</h1>" in crash.text
    assert "Logged in as <strong>ada</strong>" in crash.text  # the error page knows the user


def test_the_stylesheet_and_its_precompressed_copies(client: TestClient) -> None:
    css = (STATIC / "demo.css").read_bytes()
    plain = client.get("/static/demo.css", headers={"accept-encoding": "identity"})
    assert plain.status_code == 200
    assert plain.content == css
    assert plain.headers["content-type"] == "text/css; charset=utf-8"
    assert plain.headers["cache-control"] == "public, max-age=3600"
    # static files do not depend on the login: no Vary: Cookie, so caches share them
    assert plain.headers["vary"] == "Accept-Encoding, Origin"  # Origin: from CORS
    assert "set-cookie" not in plain.headers
    for coding, decompress in [("br", brotli.decompress), ("gzip", gzip.decompress)]:
        with client.stream("GET", "/static/demo.css", headers={"accept-encoding": coding}) as raw:
            assert raw.headers["content-encoding"] == coding
            body = b"".join(raw.iter_raw())
        suffix = {"br": ".br", "gzip": ".gz"}[coding]
        assert body == (STATIC / f"demo.css{suffix}").read_bytes()  # the file as it is
        assert decompress(body) == css
    same = client.get(
        "/static/demo.css",
        headers={"accept-encoding": "identity", "if-none-match": plain.headers["etag"]},
    )
    assert same.status_code == 304
    script = client.get("/static/demo.js")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert 'document.getElementById("upload-form")' in script.text
    assert client.get("/static/../app.py").status_code == 404


def test_the_precompressed_copies_are_up_to_date() -> None:
    css = (STATIC / "demo.css").read_bytes()
    hint = "run: hatch run python -m examples.demo.precompress"
    assert gzip.decompress((STATIC / "demo.css.gz").read_bytes()) == css, hint
    assert brotli.decompress((STATIC / "demo.css.br").read_bytes()) == css, hint


def test_log_in_on_a_real_server(demo: Any, serve: Callable[..., Any]) -> None:
    with serve(demo.app) as base, httpx.Client(base_url=base) as client:
        form = client.get("/account", follow_redirects=True)
        assert form.url.path == "/login"
        (next_url,) = re.findall(r'name="next" value="([^"]+)"', form.text)
        page = client.post(
            "/login",
            data={"username": "ada", "password": "demo", "next": next_url},
            follow_redirects=True,
        )
        assert page.url.path == "/account"
        assert "<h1>Hello, ada</h1>" in page.text
        css = client.get("/static/demo.css", headers={"accept-encoding": "br"})
        assert css.headers["content-encoding"] == "br"
        assert css.content == (STATIC / "demo.css").read_bytes()  # httpx decodes brotli


# --------------------------------------------------------------------------- Redis


@pytest.fixture
def redis_url(redis_server: str) -> str:
    return f"redis://{redis_server}/0"


def test_sessions_in_redis_when_redis_url_is_set(
    redis_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    monkeypatch.delitem(sys.modules, "examples.demo.app", raising=False)  # a fresh copy
    demo = importlib.import_module("examples.demo.app")
    server = redis.Redis.from_url(redis_url)
    # redis-py's asyncio client runs on asyncio only
    with TestClient(demo.app, backend="asyncio", follow_redirects=False) as client:
        assert "in Redis" in client.get("/login").text
        log_in(client)
        (key,) = server.keys("asgi-demo:session:*")
        assert b'"user": "ada"' in server.get(key)  # type: ignore[operator]
        assert 0 < server.ttl(key) <= 1209600
        assert "<h1>Hello, ada</h1>" in client.get("/account").text
        client.post("/logout")
        assert server.keys("asgi-demo:session:*") == []
