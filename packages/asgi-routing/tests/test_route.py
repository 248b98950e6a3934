from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import Middleware, Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_responses import JSONResponse, PlainTextResponse
from asgi_routing import (
    Match,
    Mount,
    NoMatchFound,
    Route,
    Router,
    WebSocketRoute,
    compile_path,
)
from asgi_testing import TestClient, WebSocketDisconnect
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]


async def homepage(request: Request) -> PlainTextResponse:
    return PlainTextResponse("home")


def http_scope(path: str, method: str = "GET", **extra: Any) -> Scope:
    return {"type": "http", "path": path, "method": method, "root_path": "", "headers": [], **extra}


def test_defaults() -> None:
    route = Route("/", homepage)
    assert route.name == "homepage"
    assert route.methods == {"GET", "HEAD"}
    assert route.include_in_schema
    assert repr(route) == "Route(path='/', name='homepage', methods=['GET', 'HEAD'])"


def test_path_must_start_with_slash() -> None:
    with pytest.raises(AssertionError, match="Routed paths must start with '/'"):
        Route("users", homepage)
    with pytest.raises(AssertionError, match="Routed paths must start with '/'"):
        WebSocketRoute("ws", homepage)


def test_matches() -> None:
    route = Route("/users/{id:int}", homepage, methods=["POST"])
    assert route.methods == {"POST"}
    match, child = route.matches(http_scope("/users/7", "POST", path_params={"tenant": "a"}))
    assert match is Match.FULL
    assert child == {"endpoint": homepage, "path_params": {"tenant": "a", "id": 7}}
    assert route.matches(http_scope("/users/7", "GET"))[0] is Match.PARTIAL
    assert route.matches(http_scope("/users/x", "POST")) == (Match.NONE, {})
    assert route.matches({"type": "websocket", "path": "/users/7"}) == (Match.NONE, {})
    assert (
        route.matches(http_scope("/users/7\n", "POST"))[0] is Match.NONE
    )  # the whole path must match


class OwnRegexRoute(Route):
    """A subclass compiling its path itself, as FastAPI's ``APIRoute`` does."""

    def __init__(self, path: str, regex: str | None = None) -> None:
        self.path = path
        self.endpoint = homepage
        self.methods = {"GET"}
        self.path_regex, self.path_format, self.param_convertors = compile_path(
            path if regex is None else "/x"
        )
        if regex is not None:
            self.path_regex = re.compile(regex)


@pytest.mark.parametrize(
    ("route", "request_path", "expected"),
    [
        (OwnRegexRoute("/users/{id:int}"), "/users/7", Match.FULL),
        (OwnRegexRoute("/users/{id:int}"), "/items/7", Match.NONE),
        (OwnRegexRoute("/users/{id:int}"), "/users/x", Match.NONE),
        (OwnRegexRoute("/users"), "/users", Match.FULL),
        (OwnRegexRoute("/users"), "/users/", Match.NONE),
        # a regex of its own: matched by that regex, whatever the path says
        (OwnRegexRoute("/users/{id:int}", "^/other/(?P<id>[0-9]+)$"), "/other/7", Match.FULL),
        (OwnRegexRoute("/users", "^/other$"), "/other", Match.FULL),
        (OwnRegexRoute("/users", "^/other$"), "/users", Match.NONE),
        # a path compile_path refuses (an unknown convertor): the regex decides
        (OwnRegexRoute("/{x:nope}", "^/anything$"), "/anything", Match.FULL),
    ],
)
def test_a_subclass_compiling_its_own_path(
    route: Route, request_path: str, expected: Match
) -> None:
    assert route.matches(http_scope(request_path))[0] is expected


def test_url_path_for() -> None:
    route = Route("/users/{id:int}", homepage, name="user")
    assert route.url_path_for("user", id=3) == "/users/3"
    assert route.url_path_for("user", id=3).protocol == "http"
    with pytest.raises(NoMatchFound, match='No route exists for name "user" and params "id, x".'):
        route.url_path_for("user", id=3, x=1)
    with pytest.raises(NoMatchFound):
        route.url_path_for("other", id=3)


def test_equality() -> None:
    assert Route("/", homepage) == Route("/", homepage)
    assert Route("/", homepage) != Route("/", homepage, methods=["POST"])
    assert Route("/", homepage) != "not a route"
    assert len({Route("/", homepage), Route("/", homepage)}) == 2  # hashable, by identity
    assert WebSocketRoute("/ws", homepage) == WebSocketRoute("/ws", homepage)
    assert WebSocketRoute("/ws", homepage) != Route("/ws", homepage)


def test_function_endpoints(client: Client) -> None:
    def sync_endpoint(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"sync in thread {threading.get_ident() != main_thread}")

    async def with_args(request: Request, suffix: str) -> PlainTextResponse:
        return PlainTextResponse(f"partial {suffix}")

    main_thread = threading.get_ident()
    assert client(Route("/", sync_endpoint)).get("/").text == "sync in thread True"
    partial = functools.partial(with_args, suffix="ok")
    route = Route("/", partial)
    assert route.methods == {"GET", "HEAD"}
    assert client(route).get("/").text == "partial ok"


class EchoMethod:
    """An ASGI app that is not a function: routes call it as an app."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse(scope["method"])(scope, receive, send)


def test_asgi_app_endpoints_accept_every_method(client: Client) -> None:
    route = Route("/", EchoMethod())
    assert route.methods is None
    assert route.name == "EchoMethod"
    assert client(route).delete("/").text == "DELETE"


def test_functions_are_always_request_endpoints() -> None:
    async def looks_like_asgi(scope: Scope, receive: Receive, send: Send) -> None:
        pass  # pragma: no cover - never called

    assert Route("/", looks_like_asgi).methods == {"GET", "HEAD"}  # as in Starlette


def test_method_not_allowed_on_its_own(client: Client) -> None:
    response = client(Route("/", homepage, methods=["POST", "put"])).get("/")
    assert response.status_code == 405
    assert response.text == "Method Not Allowed"
    assert response.headers["allow"] == "POST, PUT"


def test_head_is_allowed_with_get(client: Client) -> None:
    response = client(Route("/", homepage)).head("/")
    assert response.status_code == 200
    assert response.content == b""


def test_route_alone_gives_404(client: Client) -> None:
    assert client(Route("/", homepage)).get("/missing").status_code == 404


def test_route_middleware(client: Client) -> None:
    calls: list[str] = []

    class Tag:
        def __init__(self, app: ASGIApp, tag: str) -> None:
            self.app = app
            self.tag = tag

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            calls.append(self.tag)
            await self.app(scope, receive, send)

    route = Route(
        "/", homepage, middleware=[Middleware(Tag, "outer"), Middleware(Tag, tag="inner")]
    )
    assert client(route).get("/").text == "home"
    assert calls == ["outer", "inner"]


def test_path_params_reach_the_request(client: Client) -> None:
    async def show(request: Request) -> JSONResponse:
        return JSONResponse(request.path_params)

    assert client(Route("/items/{id:int}/{name}", show)).get("/items/5/pen").json() == {
        "id": 5,
        "name": "pen",
    }


def test_websocket_route(client: Client) -> None:
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json(websocket.path_params)
        await websocket.close()

    route = WebSocketRoute("/ws/{room}", echo, name="chat")
    assert repr(route) == "WebSocketRoute(path='/ws/{room}', name='chat')"
    assert route.url_path_for("chat", room="a") == "/ws/a"
    assert route.url_path_for("chat", room="a").protocol == "websocket"
    with pytest.raises(NoMatchFound):
        route.url_path_for("chat")
    with client(route).websocket_connect("/ws/lobby") as session:
        assert session.receive_json() == {"room": "lobby"}
    assert route.matches(http_scope("/ws/lobby")) == (Match.NONE, {})
    assert route.matches({"type": "websocket", "path": "/other"}) == (Match.NONE, {})
    with pytest.raises(WebSocketDisconnect):
        with client(route).websocket_connect("/nope"):
            pass  # pragma: no cover - closed


def test_websocket_route_with_an_asgi_app_and_message_limit(client: Client) -> None:
    class Refuse:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await receive()
            await send({"type": "websocket.close", "code": 4000})

    with pytest.raises(WebSocketDisconnect) as info:
        with client(WebSocketRoute("/", Refuse())).websocket_connect("/"):
            pass  # pragma: no cover - closed
    assert info.value.code == 4000

    async def limited(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.receive_text()

    with client(WebSocketRoute("/", limited, max_message_size=2)).websocket_connect("/") as session:
        session.send_text("too long")
        with pytest.raises(WebSocketDisconnect) as info:
            session.receive_text()
        assert info.value.code == 1009


def test_route_on_other_scope_types_does_nothing() -> None:
    import anyio

    async def main() -> None:
        async def receive() -> Message:
            raise AssertionError  # pragma: no cover

        async def send(message: Message) -> None:
            raise AssertionError  # pragma: no cover

        await Route("/", homepage)({"type": "lifespan"}, receive, send)

    anyio.run(main)


# --- max_body_size (asgi-middleware-bodylimit) ---------------------------------------------

LIMIT_KEY = "starlette.max_body_size"


async def body_size(request: Request) -> PlainTextResponse:
    body = await request.body()
    return PlainTextResponse(f"{len(body)} limit={request.scope.get(LIMIT_KEY, 'absent')}")


class SeesLimit:
    """A middleware recording the limit in force when it runs."""

    def __init__(self, app: ASGIApp, seen: list[Any]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.seen.append(scope.get(LIMIT_KEY, "absent"))
        await self.app(scope, receive, send)


def test_a_route_limits_the_body(client: Client) -> None:
    seen: list[Any] = []
    route = Route(
        "/", body_size, methods=["POST"], middleware=[Middleware(SeesLimit, seen)], max_body_size=5
    )
    c = client(route)
    assert c.post("/", content=b"x" * 5).text == "5 limit=5"
    too_large = c.post("/", content=b"x" * 6)
    assert (too_large.status_code, too_large.text) == (413, "Content Too Large")
    streamed = c.post("/", content=iter([b"xxx", b"xxx"]))  # no Content-Length
    assert streamed.status_code == 413
    assert seen[0] == 5  # the route's middleware run inside the limit
    # another method is answered 405 before the limit is looked at
    assert c.put("/", content=b"x" * 6).status_code == 405


def test_no_limit_by_default(client: Client) -> None:
    c = client(Route("/", body_size, methods=["POST"]))
    assert c.post("/", content=b"x" * 100_000).text == "100000 limit=absent"


def test_a_router_mount_and_route_the_innermost_limit_wins(client: Client) -> None:
    seen: list[Any] = []
    router = Router(
        [
            Route("/", body_size, methods=["POST"]),
            Route("/big", body_size, methods=["POST"], max_body_size=100),
            Route("/small", body_size, methods=["POST"], max_body_size=3),
            Mount(
                "/m",
                routes=[Route("/", body_size, methods=["POST"])],
                middleware=[Middleware(SeesLimit, seen)],
                max_body_size=20,
            ),
        ],
        max_body_size=10,
    )
    c = client(router)
    assert c.post("/", content=b"x" * 10).text == "10 limit=10"
    assert c.post("/", content=b"x" * 11).status_code == 413
    assert c.post("/big", content=b"x" * 50).text == "50 limit=100"
    assert c.post("/small", content=b"x" * 4).status_code == 413
    assert c.post("/m/", content=b"x" * 15).text == "15 limit=20"
    assert c.post("/m/", content=b"x" * 21).status_code == 413
    assert seen == [20, 20]
    # a response started without reading a declared oversized body is replaced by the 413
    missing = c.post("/missing", content=b"x" * 11)
    assert (missing.status_code, missing.text) == (413, "Content Too Large")


def test_an_invalid_limit_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="max_body_size"):
        Route("/", body_size, max_body_size=-1)
    with pytest.raises(TypeError, match="max_body_size"):
        Mount("/m", routes=[], max_body_size="10")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_body_size"):
        Router(max_body_size=1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_websocket_disconnect_escaping_the_endpoint_reaches_the_server(backend: str) -> None:
    """As in Starlette: the session's WebSocketDisconnect goes up to the server."""
    import anyio

    from asgi_core import WebSocketDisconnect as CoreWebSocketDisconnect

    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.receive_text()  # the client left: WebSocketDisconnect

    route = WebSocketRoute("/", endpoint)
    messages: list[Message] = [
        {"type": "websocket.connect"},
        {"type": "websocket.disconnect", "code": 1001},
    ]

    async def receive() -> Message:
        return messages.pop(0)

    async def send(message: Message) -> None:
        pass

    async def main() -> None:
        scope = {"type": "websocket", "path": "/", "headers": [], "query_string": b""}
        with pytest.raises(CoreWebSocketDisconnect) as info:
            await route.handle(scope, receive, send)
        assert info.value.code == 1001

    anyio.run(main, backend=backend)
