from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import Request
from asgi_core.types import Receive, Scope, Send
from asgi_responses import JSONResponse, PlainTextResponse
from asgi_routing import Host, Match, Mount, NoMatchFound, Route, Router, WebSocketRoute
from asgi_testing import TestClient
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]


class Report:
    """An ASGI app reporting the path and root_path it sees."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await JSONResponse({"path": scope["path"], "root_path": scope["root_path"]})(
            scope, receive, send
        )

    def __repr__(self) -> str:
        return "<report>"


report = Report()


async def user(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"user {request.path_params} {request.url_for('api:user', id=1)}")


def test_mounted_app_sees_full_path_and_root_path(client: Client) -> None:
    app = Router([Mount("/static", app=report), Mount("/api/{version}", app=report)])
    response = client(app).get("/static/css/site.css")
    assert response.json() == {"path": "/static/css/site.css", "root_path": "/static"}
    assert client(app).get("/api/v2/x").json() == {"path": "/api/v2/x", "root_path": "/api/v2"}
    assert client(app, root_path="/outer").get("/outer/static/a").json() == {
        "path": "/outer/static/a",
        "root_path": "/outer/static",
    }


def test_mount_without_trailing_path_redirects(client: Client) -> None:
    app = Router([Mount("/static", app=report)])
    response = client(app).get("/static", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/static/"


def test_nested_routes_and_url_for(client: Client) -> None:
    app = Router([Mount("/api", name="api", routes=[Route("/users/{id:int}", user, name="user")])])
    assert client(app).get("/api/users/5").text == "user {'id': 5} http://testserver/api/users/1"
    mount = app.routes[0]
    assert isinstance(mount, Mount)
    assert mount.routes[0].path == "/users/{id:int}"  # type: ignore[attr-defined]
    assert app.url_path_for("api:user", id=9) == "/api/users/9"
    assert app.url_path_for("api", path="/anything/here") == "/api/anything/here"
    with pytest.raises(NoMatchFound):
        app.url_path_for("api:missing")
    with pytest.raises(NoMatchFound):
        app.url_path_for("other:user", id=1)


def test_unnamed_mount_url_path_for() -> None:
    app = Router(
        [
            Mount(
                "/v1",
                routes=[Route("/ping", user, name="ping"), WebSocketRoute("/ws", user, name="ws")],
            )
        ]
    )
    assert app.url_path_for("ping") == "/v1/ping"
    websocket_path = app.url_path_for("ws")
    assert websocket_path == "/v1/ws"
    assert websocket_path.protocol == "websocket"


def test_mount_url_path_for_passes_path_on() -> None:
    inner = Router([Mount("/files", name="files", app=report)])
    app = Router([Mount("/outer", name="outer", app=inner)])
    assert app.url_path_for("outer:files", path="a/b") == "/outer/files/a/b"
    assert Mount("/x", app=report, name="x").url_path_for("x", path="/y") == "/x/y"
    with pytest.raises(NoMatchFound):
        Mount("/x", app=report, name="x").url_path_for("x", path="/y", extra=1)


def test_mount_errors_and_repr() -> None:
    with pytest.raises(AssertionError, match="Routed paths must start with '/'"):
        Mount("static", app=report)
    with pytest.raises(AssertionError, match="Either 'app=...', or 'routes=' must be specified"):
        Mount("/static")
    mount = Mount("/static/", app=report, name="static")
    assert mount.path == "/static"
    assert repr(mount) == "Mount(path='/static', name='static', app=<report>)"
    assert Mount("/s", app=report) == Mount("/s", app=report)
    assert Mount("/s", app=report) != Mount("/t", app=report)
    assert Mount("", app=report).matches({"type": "lifespan"}) == (Match.NONE, {})
    assert Mount("/s", app=report).routes == []


def test_mount_with_middleware(client: Client) -> None:
    from asgi_core import Middleware

    seen: list[str] = []

    class Record:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.append(scope["path"])
            await self.app(scope, receive, send)

    app = Router([Mount("/m", app=report, middleware=[Middleware(Record)])])
    client(app).get("/m/x")
    assert seen == ["/m/x"]


def test_mounted_websocket(client: Client) -> None:
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(f"{websocket.scope['root_path']} {websocket.url.path}")
        await websocket.close()

    app = Router([Mount("/live", routes=[WebSocketRoute("/ws", echo)])])
    with client(app).websocket_connect("/live/ws") as session:
        assert session.receive_text() == "/live /live/ws"


def test_host_routing(client: Client) -> None:
    async def tenant(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"tenant {request.path_params['tenant']}")

    tenants = Router([Route("/", tenant, name="home")])
    app = Router([Host("{tenant}.example.org", app=tenants, name="tenants"), Route("/", user)])
    assert client(app, base_url="http://acme.example.org").get("/").text == "tenant acme"
    assert client(app, base_url="http://acme.example.org:8000").get("/").text == "tenant acme"
    url = app.url_path_for("tenants:home", tenant="acme")
    assert (url, url.host) == ("/", "acme.example.org")
    named = app.url_path_for("tenants", tenant="beta", path="/x")
    assert (named, named.host) == ("/x", "beta.example.org")
    with pytest.raises(NoMatchFound):
        app.url_path_for("tenants:missing", tenant="x")
    # as in Starlette (and as a Mount does), a host parameter not given stays a placeholder
    missing = app.url_path_for("tenants", path="/x")
    assert (missing, missing.host) == ("/x", "{tenant}.example.org")


def test_host_details() -> None:
    with pytest.raises(AssertionError, match="Host must not start with '/'"):
        Host("/example.org", app=report)
    host = Host("api.example.org", app=report, name="api")
    assert repr(host) == "Host(host='api.example.org', name='api', app=<report>)"
    assert host.routes == []
    assert Host("a.org", app=report) == Host("a.org", app=report)
    assert Host("a.org", app=report) != Host("b.org", app=report)
    assert host.matches({"type": "lifespan"}) == (Match.NONE, {})
    assert host.matches({"type": "http", "headers": [(b"host", b"other.org")]}) == (Match.NONE, {})
    unnamed = Host("x.org", app=Router([Route("/", user, name="home")]))
    assert unnamed.url_path_for("home").host == "x.org"


def test_host_url_path_for_other_names() -> None:
    host = Host("a.org", app=Router([Route("/", user, name="home")]), name="a")
    with pytest.raises(NoMatchFound):
        host.url_path_for("b:home")


def test_no_match_found_names_the_params_left_over() -> None:
    # as in Starlette: the parameters a mount or host used itself are no longer named
    tenants = Mount("/{tenant}", name="t", routes=[Route("/users/{id:int}", user, name="user")])
    with pytest.raises(NoMatchFound, match='^No route exists for name "t:nope" and params "id".$'):
        tenants.url_path_for("t:nope", tenant="acme", id=1)
    with pytest.raises(
        NoMatchFound, match='^No route exists for name "t:nope" and params "id, path".$'
    ):
        tenants.url_path_for("t:nope", tenant="acme", path="p", id=1)
    with pytest.raises(
        NoMatchFound, match='^No route exists for name "other" and params "tenant, path".$'
    ):
        tenants.url_path_for("other", tenant="acme", path="p")
    with pytest.raises(NoMatchFound, match='^No route exists for name "t" and params "".$'):
        tenants.url_path_for("t")
    static = Mount("/static", app=report, name="static")
    with pytest.raises(NoMatchFound, match='^No route exists for name "static" and params "v".$'):
        static.url_path_for("static", path="/a.css", v=2)
    hosts = Host("{sub}.example.org", app=Router([Route("/", user, name="home")]), name="h")
    with pytest.raises(NoMatchFound, match='^No route exists for name "h:nope" and params "x".$'):
        hosts.url_path_for("h:nope", sub="a", x=1)
    with pytest.raises(NoMatchFound, match='^No route exists for name "h" and params "x".$'):
        hosts.url_path_for("h", sub="a", path="/", x=1)
    with pytest.raises(NoMatchFound, match='^No route exists for name "h" and params "sub".$'):
        hosts.url_path_for("h", sub="a")  # no path=
    assert hosts.url_path_for("h:home", sub="a") == "/"
    # through a router, the parameters received are named
    with pytest.raises(
        NoMatchFound, match='^No route exists for name "static" and params "path, v".$'
    ):
        Router([static]).url_path_for("static", path="/a.css", v=2)


def test_placeholder_like_values_are_put_in_as_they_are() -> None:
    inner = Router([Route("/i/{x}", user, name="i")])
    mount = Mount("/m/{t}", routes=inner.routes, name="m")
    assert mount.url_path_for("m:i", t="{x}", x="1") == "/m/{x}/i/1"
    assert mount.url_path_for("m:i", x="1") == "/m/{t}/i/1"  # not given: stays, as Starlette
    assert mount.url_path_for("m", t="{path}", path="/x") == "/m/{path}/x"
    assert mount.url_path_for("m", t="q", path="/{t}") == "/m/q/{t}"
    host = Host("{sub}.{tld}", app=inner, name="h")
    url = host.url_path_for("h:i", sub="{x}", tld="org", x="1")
    assert (url, url.host) == ("/i/1", "{x}.org")
    url = host.url_path_for("h", tld="1", sub="{tld}", path="/")
    assert (url, url.host) == ("/", "{tld}.1")
    with pytest.raises(AssertionError, match="May not contain path separators"):
        mount.url_path_for("m:i", t="a/b", x="1")


def test_host_url_keeps_the_port_of_the_pattern() -> None:
    host = Host("{sub}.example.org:8000", app=Router([Route("/", user, name="home")]), name="h")
    url = host.url_path_for("h:home", sub="api")
    assert (url, url.host) == ("/", "api.example.org:8000")


def host_match(pattern: str, header: bytes | None) -> tuple[Match, dict[str, Any]]:
    headers = [] if header is None else [(b"host", header)]
    match, child = Host(pattern, app=report).matches({"type": "http", "headers": headers})
    return match, child.get("path_params", {})


@pytest.mark.parametrize(
    ("pattern", "header", "params"),
    [
        ("api.example.org", b"API.Example.org", {}),
        ("api.example.org", b"API.EXAMPLE.ORG:8000", {}),
        ("API.Example.ORG", b"api.example.org", {}),
        ("{sub}.example.org", b"Foo.EXAMPLE.org", {"sub": "foo"}),  # parameters in lower case
        ("{sub}.example.org", b"a%2Fb.example.org", {"sub": "a%2fb"}),
        ("{sub}.example.org", b"a;b.example.org", {"sub": "a;b"}),
        ("x{n:int}.test", b"X12.TEST:99999", {"n": 12}),  # any number of port digits
        ("{any:path}", b"[::1]", {"any": "[::1]"}),
        ("{any:path}", b"[::1]:8000", {"any": "[::1]"}),
        ("{any:path}", b"[::FFFF:1.2.3.4]", {"any": "[::ffff:1.2.3.4]"}),
        ("{any:path}", b"[v1.a:B]", {"any": "[v1.a:b]"}),
        ("{any:path}", b"api.example.org.", {"any": "api.example.org."}),
    ],
)
def test_host_matches_without_case_or_port(
    pattern: str, header: bytes, params: dict[str, Any]
) -> None:
    assert host_match(pattern, header) == (Match.FULL, params)


@pytest.mark.parametrize(
    "header",
    [
        None,
        b"",
        b":80",
        b"api.example.org:",
        b"api.example.org:abc",
        b"api.example.org:+80",
        b"api.example.org:8000:9",
        b"evil.com/api.example.org",
        b"evil@api.example.org",
        b"a b.example.org",
        b" api.example.org",
        b"a\tb.example.org",
        b"a.example.org?x",
        b"a.example.org#x",
        b"a\\b.example.org",
        b"a\xc3\x84.example.org",
        b"a\x00.example.org",
        b"[::1",
        b"::1",
        b"[::g]",
        b"[1::2::3]",
        b"[::1]x",
        b"[fe80::1%25eth0]",
        b"[V1.x]",  # Starlette takes the "v" of an IPvFuture literal in lower case only
        b"[v1.a/b]",
    ],
)
def test_invalid_host_headers_match_no_host(header: bytes | None) -> None:
    assert host_match("{any:path}", header) == (Match.NONE, {})


def test_invalid_host_header_falls_through_to_the_other_routes(client: Client) -> None:
    async def home(request: Request) -> PlainTextResponse:
        return PlainTextResponse("home")

    app = Router([Host("{any:path}", app=report), Route("/", home)])
    assert client(app).get("/", headers={"host": "evil.com/x"}).text == "home"
    assert client(app).get("/", headers={"host": "Evil.com"}).json()["path"] == "/"
