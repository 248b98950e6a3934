"""Sessions, authentication, static files and templates from the Starlette-shaped modules.

A login stores the user in the session; an authentication backend reads it back; a
protected page redirects anonymous visitors to the login page (with ``next``) and renders a
template for the others, which links to a stylesheet that ``StaticFiles`` serves.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asgi_framework import App
from asgi_framework.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    SimpleUser,
    requires,
)
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.authentication import AuthenticationMiddleware
from asgi_framework.middleware.sessions import MemorySessionStore, SessionMiddleware
from asgi_framework.requests import HTTPConnection, Request
from asgi_framework.responses import PlainTextResponse, RedirectResponse, Response
from asgi_framework.routing import Mount, Route, WebSocketRoute
from asgi_framework.staticfiles import StaticFiles
from asgi_framework.templating import Jinja2Templates, _TemplateResponse
from asgi_framework.websockets import WebSocket
from asgi_testing import TestClient


class SessionBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, SimpleUser] | None:
        name = conn.session.get("user")
        if name is None:
            return None
        return AuthCredentials(["authenticated"]), SimpleUser(name)


def make_app(tmp_path: Path, store: MemorySessionStore | None = None) -> App:
    (tmp_path / "home.html").write_text(
        "<p>{{ greeting }}, {{ request.user.display_name }}</p>"
        "<a href=\"{{ url_for('logout') }}\">out</a>"
        "<link href=\"{{ url_for('static', path='/site.css') }}\">"
    )
    static = tmp_path / "static"
    static.mkdir()
    (static / "site.css").write_text("body { color: red }")
    (static / "site.css.gz").write_bytes(gzip.compress(b"body { color: red }"))
    templates = Jinja2Templates(
        directory=tmp_path, context_processors=[lambda request: {"greeting": "Hello"}]
    )

    async def login(request: Request) -> Response:
        request.session["user"] = request.query_params["name"]
        return RedirectResponse(request.query_params.get("next", "/"), status_code=303)

    async def logout(request: Request) -> Response:
        request.session.clear()
        return PlainTextResponse("bye")

    @requires("authenticated", redirect="login")
    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "home.html")

    @requires("authenticated")
    async def private(request: Request) -> Response:
        return PlainTextResponse("private")

    @requires("authenticated")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(websocket.user.display_name)
        await websocket.close()

    return App(
        routes=[
            Route("/", home),
            Route("/private", private),
            Route("/login", login, name="login"),
            Route("/logout", logout, name="logout"),
            WebSocketRoute("/ws", socket),
            Mount("/static", StaticFiles(directory=static, precompressed=True), name="static"),
        ],
        middleware=[
            Middleware(SessionMiddleware, secret_key="test secret", store=store),
            Middleware(AuthenticationMiddleware, backend=SessionBackend()),
        ],
    )


def test_log_in_see_the_page_log_out(tmp_path: Path, client: Callable[..., TestClient]) -> None:
    http = client(make_app(tmp_path), follow_redirects=False)
    response = http.get("/?page=2")
    assert response.status_code == 303
    assert response.headers["location"] == (
        "http://testserver/login?next=http%3A%2F%2Ftestserver%2F%3Fpage%3D2"
    )
    assert http.get("/private").status_code == 403

    response = http.get("/login", params={"name": "ada", "next": "/"})
    assert response.status_code == 303
    assert "session=" in response.headers["set-cookie"]

    page = http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text == (
        '<p>Hello, ada</p><a href="http://testserver/logout">out</a>'
        '<link href="http://testserver/static/site.css">'
    )
    assert page.headers["vary"] == "Cookie"
    assert page.template.name == "home.html"  # type: ignore[attr-defined]
    assert http.get("/private").text == "private"
    with http.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "ada"

    assert http.get("/logout").text == "bye"
    assert http.get("/").status_code == 303


def test_with_a_server_side_store(tmp_path: Path, client: Callable[..., TestClient]) -> None:
    store = MemorySessionStore()
    http = client(make_app(tmp_path, store=store))
    assert http.get("/login", params={"name": "grace"}).text.startswith("<p>Hello, grace</p>")
    assert "grace" not in http.cookies["session"]  # only a signed id leaves the server


def test_template_responses_are_starlette_s_class(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("{{ x }}")
    templates = Jinja2Templates(directory=tmp_path)

    async def endpoint(request: Request) -> Any:
        response = templates.TemplateResponse(request, "t.txt", {"x": "<&>"})
        assert isinstance(response, _TemplateResponse)
        return response

    response = TestClient(App(routes=[Route("/", endpoint)])).get("/")
    assert response.text == "<&>"  # not autoescaped: not an HTML template


def test_static_files_beside_the_session(tmp_path: Path, client: Callable[..., TestClient]) -> None:
    http = client(make_app(tmp_path))
    css = http.get("/static/site.css", headers={"accept-encoding": "identity"})
    assert (css.status_code, css.text) == (200, "body { color: red }")
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    # the session is not changed (no cookie), but the authentication backend read it
    assert "set-cookie" not in css.headers
    assert css.headers["vary"] == "Accept-Encoding, Cookie"
    with http.stream("GET", "/static/site.css", headers={"accept-encoding": "gzip"}) as raw:
        assert raw.headers["content-encoding"] == "gzip"
        assert gzip.decompress(b"".join(raw.iter_raw())) == b"body { color: red }"
    identity = {"accept-encoding": "identity", "if-none-match": css.headers["etag"]}
    again = http.get("/static/site.css", headers=identity)
    assert again.status_code == 304
    assert http.get("/static/../home.html").status_code == 404
    assert http.post("/static/site.css").status_code == 405
