from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from asgi_core import AsgiDeprecationWarning, HTTPException, Middleware, Request, WebSocketException
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_responses import JSONResponse, PlainTextResponse, Response
from asgi_routing import (
    BaseRoute,
    Host,
    Match,
    Mount,
    NoMatchFound,
    Route,
    Router,
    WebSocketRoute,
    compile_path,
    request_response,
)
from asgi_testing import TestClient, WebSocketDenialResponse, WebSocketDisconnect
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]


def text(value: str) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> PlainTextResponse:
        return PlainTextResponse(value)

    return endpoint


def test_first_full_match_wins_even_over_later_static(client: Client) -> None:
    app = Router(
        [
            Route("/users/{name}", text("param")),
            Route("/users/me", text("static")),
        ]
    )
    assert client(app).get("/users/me").text == "param"
    app = Router([Route("/users/me", text("static")), Route("/users/{name}", text("param"))])
    assert client(app).get("/users/me").text == "static"
    assert client(app).get("/users/ann").text == "param"


def test_404_and_405_with_union_of_methods(client: Client) -> None:
    app = Router(
        [
            Route("/items", text("list"), methods=["GET"]),
            Route("/items", text("create"), methods=["POST"]),
            Route("/items/{id:int}", text("delete"), methods=["DELETE"]),
        ]
    )
    c = client(app)
    assert c.post("/items").text == "create"
    response = c.put("/items")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert c.get("/items/3").headers["allow"] == "DELETE"
    missing = c.get("/nothing")
    assert (missing.status_code, missing.text) == (404, "Not Found")


def test_partial_match_of_a_custom_route_uses_its_handle(client: Client) -> None:
    class Picky(BaseRoute):
        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            return (
                (Match.PARTIAL, {"endpoint": None}) if scope["type"] == "http" else (Match.NONE, {})
            )

        async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
            await PlainTextResponse("picky says no", status_code=405)(scope, receive, send)

    response = client(Router([Picky(), Picky()])).get("/")
    assert (response.status_code, response.text) == (405, "picky says no")


def test_inside_an_app_404_and_405_are_raised() -> None:
    import anyio

    router = Router([Route("/", text("home"), methods=["POST"])])

    async def call(path: str, method: str) -> None:
        scope = {
            "type": "http",
            "path": path,
            "method": method,
            "headers": [],
            "app": object(),
            "root_path": "",
        }

        async def receive() -> Message:
            return {"type": "http.request"}  # pragma: no cover

        async def send(message: Message) -> None:
            raise AssertionError("must raise, not send")  # pragma: no cover

        await router(scope, receive, send)

    with pytest.raises(HTTPException) as info:
        anyio.run(call, "/missing", "GET")
    assert info.value.status_code == 404
    with pytest.raises(HTTPException) as info:
        anyio.run(call, "/", "GET")
    assert (info.value.status_code, info.value.headers) == (405, {"Allow": "POST"})


def test_redirect_slashes(client: Client) -> None:
    app = Router([Route("/with/", text("with")), Route("/without", text("without"))])
    c = client(app, follow_redirects=False)
    response = c.get("/with?x=1")
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/with/?x=1"
    assert c.get("/without/").headers["location"] == "http://testserver/without"
    assert c.get("/neither").status_code == 404
    assert client(app).get("/with").text == "with"
    assert (
        client(Router([Route("/a/", text("a"))], redirect_slashes=False)).get("/a").status_code
        == 404
    )


def test_redirect_never_uses_a_forged_host(client: Client) -> None:
    app = Router([Route("/login/", text("login"))])
    response = client(app, follow_redirects=False).get("/login", headers={"host": "evil.com/phish"})
    assert response.headers["location"] == "http://testserver/login/"


def test_default_app_and_websocket_not_found(client: Client) -> None:
    async def fallback(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("fallback", status_code=418)(scope, receive, send)

    assert client(Router([], default=fallback)).get("/x").status_code == 418
    with pytest.raises(WebSocketDisconnect) as info:
        with client(Router([])).websocket_connect("/ws"):
            pass  # pragma: no cover - closed
    assert info.value.code == 1000


def test_routes_added_after_construction_are_seen(client: Client) -> None:
    app = Router([])
    c = client(app)
    assert c.get("/late").status_code == 404
    app.add_route("/late", text("late"), methods=["GET"], name="late")
    assert c.get("/late").text == "late"
    app.add_route("/set", text("set"), methods={"POST"})  # any collection, as Starlette
    assert c.post("/set").text == "set"
    app.routes.insert(0, Route("/late", text("first")))
    assert c.get("/late").text == "first"
    app.routes = [Route("/replaced", text("replaced"))]
    assert c.get("/replaced").text == "replaced"
    assert c.get("/late").status_code == 404

    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("ws")
        await websocket.close()

    app.add_websocket_route("/ws", ws, name="ws")
    with c.websocket_connect("/ws") as session:
        assert session.receive_text() == "ws"
    app.mount("/m", app=text_app("mounted"), name="m")
    assert c.get("/m/x").text == "mounted"
    app.host("api.example.org", app=text_app("api"), name="api")
    assert client(app, base_url="http://api.example.org").get("/nowhere").text == "api"


def text_app(value: str) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse(value)(scope, receive, send)

    return app


def test_route_list_tracks_every_change() -> None:
    router = Router([])
    routes = router.routes
    versions = [routes.version]
    first, second = Route("/a", text("a")), Route("/b", text("b"))
    for change in (
        lambda: routes.append(first),
        lambda: routes.extend([second]),
        lambda: routes.sort(key=repr),
        routes.reverse,
        lambda: routes.__setitem__(0, first),
        lambda: routes.__delitem__(0),
        lambda: routes.remove(first),
        lambda: routes.insert(0, first),
        routes.pop,
        lambda: routes.__iadd__([second]),
        lambda: routes.__imul__(2),
        routes.clear,
    ):
        change()
        versions.append(routes.version)
    assert versions == list(range(len(versions)))
    table = router.table
    assert router.table is table
    routes.append(first)
    assert router.table is not table


def test_router_middleware_and_equality(client: Client) -> None:
    seen: list[str] = []

    class Record:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.append(scope["type"])
            await self.app(scope, receive, send)

    app = Router([Route("/", text("home"))], middleware=[Middleware(Record)])
    client(app).get("/")
    assert seen == ["http"]
    assert Router([Route("/", text("x"))]) != Router([])
    same = Route("/", text("x"))
    assert Router([same]) == Router([same])
    assert Router([]) != "router"


def test_url_path_for_and_request_url_for(client: Client) -> None:
    async def links(request: Request) -> JSONResponse:
        return JSONResponse(
            {"user": str(request.url_for("user", id=4)), "ws": str(request.url_for("live"))}
        )

    app = Router(
        [
            Route("/links", links),
            Route("/users/{id:int}", text("u"), name="user"),
            WebSocketRoute("/live", text("l"), name="live"),
        ]
    )
    assert client(app, base_url="https://example.org").get("/links").json() == {
        "user": "https://example.org/users/4",
        "ws": "wss://example.org/live",
    }
    with pytest.raises(NoMatchFound, match='No route exists for name "nope" and params "a".'):
        app.url_path_for("nope", a=1)


def test_unsupported_scope_type() -> None:
    import anyio

    async def main() -> None:
        async def receive() -> Message:
            raise AssertionError  # pragma: no cover

        async def send(message: Message) -> None:
            raise AssertionError  # pragma: no cover

        await Router([])({"type": "webtransport"}, receive, send)

    with pytest.raises(ValueError, match="Router cannot handle a 'webtransport' scope."):
        anyio.run(main)


def test_paths_outside_the_root_path_are_scanned(client: Client) -> None:
    inner = Router([Mount("", app=text_app("root mount"))])
    app = Router([Mount("/inner", app=inner)])
    assert client(app).get("/inner").text == "root mount"  # redirected to "/inner/"
    assert client(app).get("/inner/anything").text == "root mount"


def test_http_exceptions_become_responses(client: Client) -> None:
    async def teapot(request: Request) -> Response:
        raise HTTPException(418, "short and stout", headers={"x-kettle": "1"})

    async def not_modified(request: Request) -> Response:
        raise HTTPException(304)

    app = Router([Route("/tea", teapot), Route("/cache", not_modified)])
    response = client(app).get("/tea")
    assert (response.status_code, response.text, response.headers["x-kettle"]) == (
        418,
        "short and stout",
        "1",
    )
    cached = client(app).get("/cache")
    assert (cached.status_code, cached.content) == (304, b"")


def test_other_exceptions_propagate(client: Client) -> None:
    async def broken(request: Request) -> Response:
        raise KeyError("broken")

    with pytest.raises(KeyError):
        client(Router([Route("/", broken)])).get("/")


def test_registered_handlers_from_the_scope(client: Client) -> None:
    async def broken(request: Request) -> Response:
        raise KeyError("missing key")

    async def conflict(request: Request) -> Response:
        raise HTTPException(409)

    def sync_key_error(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"handled {exc!r}", status_code=500)

    async def on_409(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("custom conflict", status_code=409)

    router = Router([Route("/broken", broken), Route("/conflict", conflict)])

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope[EXCEPTION_HANDLERS] = ({LookupError: sync_key_error}, {409: on_409})
        await router(scope, receive, send)

    assert client(app).get("/broken").text == "handled KeyError('missing key')"
    assert client(app).get("/conflict").text == "custom conflict"


def test_handler_returning_none_and_started_responses(client: Client) -> None:
    async def partial_then_fail(request: Request) -> Response:
        class Broken(Response):
            async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
                await send({"type": "http.response.start", "status": 200, "headers": []})
                raise HTTPException(500)

        return Broken()

    async def quiet(request: Request) -> Response:
        raise ValueError("quiet")

    async def none_handler(request: Request, exc: Exception) -> None:
        await PlainTextResponse("sent by the handler")(
            request.scope, request.receive, request._send
        )

    router = Router([Route("/started", partial_then_fail), Route("/quiet", quiet)])

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope[EXCEPTION_HANDLERS] = ({HTTPException: none_handler, ValueError: none_handler}, {})
        await router(scope, receive, send)

    with pytest.raises(
        RuntimeError, match="Caught handled exception, but response already started."
    ):
        client(app).get("/started")
    assert client(app).get("/quiet").text == "sent by the handler"


def test_only_the_response_start_makes_a_response_started(client: Client) -> None:
    """A message before the start (``http.response.debug``) leaves the exception answerable,
    as in Starlette."""

    async def debug_then_fail(request: Request) -> Response:
        class Odd(Response):
            async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
                await send({"type": "http.response.debug", "info": {}})
                raise HTTPException(418, "odd")

        return Odd()

    response = client(Router([Route("/", debug_then_fail)])).get("/")
    assert (response.status_code, response.text) == (418, "odd")


def test_websocket_exceptions(client: Client) -> None:
    async def reject(websocket: WebSocket) -> None:
        raise WebSocketException(4401, "login first")

    async def forbidden(websocket: WebSocket) -> None:
        raise HTTPException(403, "go away")

    async def after_accept(websocket: WebSocket) -> None:
        await websocket.accept()
        raise HTTPException(500, "oops")

    async def closed_then_raise(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close()
        raise WebSocketException(4000)

    app = Router(
        [
            WebSocketRoute("/reject", reject),
            WebSocketRoute("/forbidden", forbidden),
            WebSocketRoute("/after", after_accept),
            WebSocketRoute("/closed", closed_then_raise),
        ]
    )
    c = client(app)
    with pytest.raises(WebSocketDisconnect) as info:
        with c.websocket_connect("/reject"):
            pass  # pragma: no cover - rejected
    assert (info.value.code, info.value.reason) == (4401, "login first")
    with pytest.raises(WebSocketDenialResponse) as denial:
        with c.websocket_connect("/forbidden"):
            pass  # pragma: no cover - denied
    assert (denial.value.status_code, denial.value.text) == (403, "go away")
    with c.websocket_connect("/after") as session:
        with pytest.raises(WebSocketDisconnect) as info:
            session.receive_text()
        assert (info.value.code, info.value.reason) == (1011, "oops")
    with c.websocket_connect("/closed") as session:
        with pytest.raises(WebSocketDisconnect):
            session.receive_text()


def test_http_exception_on_a_websocket_without_the_denial_extension() -> None:
    import anyio

    async def forbidden(websocket: WebSocket) -> None:
        raise HTTPException(403, "go away")

    async def main() -> list[Message]:
        sent: list[Message] = []
        messages: list[Message] = [{"type": "websocket.connect"}]

        async def receive() -> Message:
            return messages.pop(0)

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {"type": "websocket", "path": "/", "root_path": "", "headers": [], "extensions": {}}
        await Router([WebSocketRoute("/", forbidden)])(scope, receive, send)
        return sent

    assert anyio.run(main) == [{"type": "websocket.close", "code": 1008, "reason": "go away"}]


# --- lifespan ----------------------------------------------------------------------------


def test_lifespan_context_with_state(client: Client) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        events.append("startup")
        yield {"db": "connected"}
        events.append("shutdown")

    async def show(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.state.db)

    with client(Router([Route("/", show)], lifespan=lifespan)) as c:
        assert c.get("/").text == "connected"
    assert events == ["startup", "shutdown"]


def test_lifespan_without_state_support(client: Client) -> None:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        yield {"db": "x"}

    router = Router([], lifespan=lifespan)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            del scope["state"]
        await router(scope, receive, send)

    with pytest.raises(
        RuntimeError, match='The server does not support "state" in the lifespan scope.'
    ):
        with client(app):
            pass  # pragma: no cover - startup fails


def test_lifespan_failures(client: Client) -> None:
    @asynccontextmanager
    async def failing_startup(app: Any) -> AsyncIterator[None]:
        if app is None:
            raise ConnectionError("no database")
        yield  # pragma: no cover

    @asynccontextmanager
    async def failing_shutdown(app: Any) -> AsyncIterator[None]:
        yield
        raise ConnectionError("cannot flush")

    with pytest.raises(ConnectionError, match="no database"):
        with client(Router([], lifespan=failing_startup)):
            pass  # pragma: no cover - startup fails
    with pytest.raises(ConnectionError, match="cannot flush"):
        with client(Router([], lifespan=failing_shutdown)):
            pass


def test_deprecated_lifespan_forms(client: Client) -> None:
    events: list[str] = []

    async def async_gen(app: Any) -> AsyncIterator[None]:
        events.append("async gen up")
        yield
        events.append("async gen down")

    def sync_gen(app: Any) -> Iterator[None]:
        events.append("sync gen up")
        yield
        events.append("sync gen down")

    with pytest.warns(
        AsgiDeprecationWarning, match="async generator function lifespans are deprecated"
    ):
        router = Router([], lifespan=async_gen)  # type: ignore[arg-type]
    with client(router):
        pass
    with pytest.warns(AsgiDeprecationWarning, match="generator function lifespans are deprecated"):
        router = Router([], lifespan=sync_gen)  # type: ignore[arg-type]
    with client(router):
        pass
    assert events == ["async gen up", "async gen down", "sync gen up", "sync gen down"]


def test_deprecated_event_handlers(client: Client) -> None:
    events: list[str] = []

    async def async_up() -> None:
        events.append("async up")

    def sync_down() -> None:
        events.append("sync down")

    with pytest.warns(
        AsgiDeprecationWarning, match="on_startup and on_shutdown parameters are deprecated"
    ):
        router = Router([], on_startup=[async_up], on_shutdown=[sync_down])
    with pytest.warns(AsgiDeprecationWarning, match="on_event is deprecated"):
        decorator = router.on_event("startup")

    @decorator
    def another() -> None:
        events.append("decorated up")

    with client(router):
        assert events == ["async up", "decorated up"]
    assert events[-1] == "sync down"
    with pytest.raises(
        ValueError, match="event_type must be 'startup' or 'shutdown', got 'teardown'"
    ):
        router.add_event_handler("teardown", sync_down)
    with (
        pytest.warns(AsgiDeprecationWarning),
        pytest.raises(ValueError, match="Use either 'lifespan' or"),
    ):
        Router([], lifespan=lambda app: None, on_startup=[async_up])  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_startup_and_shutdown_methods() -> None:
    events: list[str] = []
    router = Router([])
    router.add_event_handler("startup", lambda: events.append("up"))
    router.add_event_handler("shutdown", lambda: events.append("down"))
    await router.startup()
    await router.shutdown()
    assert events == ["up", "down"]


def test_redirect_candidates_that_do_not_match(client: Client) -> None:
    app = Router([Route("/items/{id:int}", text("item"))])
    assert client(app, follow_redirects=False).get("/items/abc/").status_code == 404


def test_request_for_the_root_path_itself(client: Client) -> None:
    app = Router([Route("/", text("home"))])
    response = client(app, root_path="/prefix", follow_redirects=False).get("/prefix")
    assert response.status_code == 307  # "" is below no route: redirected to the slash form
    assert response.headers["location"] == "http://testserver/prefix/"


def test_http_exception_after_a_websocket_closed(client: Client) -> None:
    async def closes_then_fails(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close(code=4001)
        raise HTTPException(400)

    with client(Router([WebSocketRoute("/", closes_then_fails)])).websocket_connect("/") as session:
        with pytest.raises(WebSocketDisconnect) as info:
            session.receive_text()
        assert info.value.code == 4001


def test_websocket_requests_skip_http_routes(client: Client) -> None:
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(str(websocket.path_params["n"]))
        await websocket.close()

    app = Router([Route("/ws/{n:int}", text("http")), WebSocketRoute("/ws/{n:int}", ws)])
    with client(app).websocket_connect("/ws/3") as session:
        assert session.receive_text() == "3"
    with pytest.raises(WebSocketDisconnect):
        with client(app).websocket_connect("/ws/abc"):
            pass  # pragma: no cover - no route


def test_background_exception_after_a_plain_response(client: Client) -> None:
    from asgi_core import BackgroundTask

    async def fail() -> None:
        raise HTTPException(500, "in the background")

    async def endpoint(request: Request) -> Response:
        return PlainTextResponse("sent", background=BackgroundTask(fail))

    app = Router([Route("/", endpoint)])
    with pytest.raises(RuntimeError, match="response already started"):
        client(app).get("/")


# --- Route subclasses behave like Route -----------------------------------------------------


class TaggedRoute(Route):
    """Only ``__init__`` differs: routed like any Route."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self.tags = ["tagged"]


class APIRouteLike(Route):
    """FastAPI's APIRoute pattern: its own ``__init__`` without super(), and ``matches``."""

    def __init__(self, path: str, endpoint: Callable[..., Any], methods: list[str]) -> None:
        self.path = path
        self.endpoint = endpoint
        self.name = "api"
        self.include_in_schema = True
        self.methods = set(methods)
        self.app = request_response(endpoint)
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE:
            child_scope["route_name"] = self.name
        return match, child_scope


def test_a_subclass_keeping_matches_and_handle_is_routed_like_route(client: Client) -> None:
    app = Router(
        [
            TaggedRoute("/items", text("list"), methods=["GET"]),
            Route("/items", text("create"), methods=["POST"]),
            TaggedRoute("/items/{id:int}", text("item"), methods=["GET"]),
        ]
    )
    c = client(app)
    assert c.get("/items").text == "list"
    assert c.get("/items/3").text == "item"
    response = c.put("/items")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"  # every route's methods, as for Route
    assert app.table.candidates("/items") == app.routes[:2]  # indexed, not scanned


def test_an_api_route_like_subclass_without_super_init(client: Client) -> None:
    async def show(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{request.scope['route_name']} {request.path_params}")

    app = Router(
        [APIRouteLike("/users/{id:int}", show, ["GET"]), APIRouteLike("/static", show, ["GET"])]
    )
    c = client(app)
    assert c.get("/users/7").text == "api {'id': 7}"
    assert c.get("/static").text == "api {}"
    response = c.post("/users/7")
    assert (response.status_code, response.headers["allow"]) == (405, "GET")


def test_an_overridden_matches_is_asked_in_declaration_order(client: Client) -> None:
    class Everything(Route):
        """Matches any http path, whatever its own path says."""

        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            if scope["type"] == "http":
                return Match.FULL, {"endpoint": self.endpoint, "path_params": {}}
            return Match.NONE, {}

    app = Router(
        [
            Route("/first", text("first")),
            Everything("/declared", text("everything")),
            Route("/later", text("later")),
        ]
    )
    c = client(app)
    assert c.get("/first").text == "first"
    assert c.get("/later").text == "everything"
    assert c.get("/nowhere/at/all").text == "everything"


def test_an_overridden_handle_is_called_also_for_405(client: Client) -> None:
    calls: list[str] = []

    class Logged(Route):
        async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
            calls.append(scope["method"])
            await super().handle(scope, receive, send)

    app = Router(
        [Logged("/a", text("a"), methods=["GET"]), Route("/a", text("a"), methods=["POST"])]
    )
    c = client(app)
    assert c.get("/a").text == "a"
    response = c.put("/a")
    assert (response.status_code, response.headers["allow"]) == (405, "GET, HEAD")
    assert calls == ["GET", "PUT"]


def test_a_partial_match_that_its_handle_does_not_refuse(client: Client) -> None:
    class Hesitant(Route):
        """Matches only partially, although every method is allowed: handle serves it."""

        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            match, child_scope = super().matches(scope)
            return (Match.PARTIAL if match is Match.FULL else match), child_scope

    class Served:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await PlainTextResponse("served")(scope, receive, send)

    app = Router([Hesitant("/a", Served()), Route("/a", text("b"), methods=["POST"])])
    assert client(app).get("/a").text == "served"  # as Starlette: the first partial handles it


def test_a_subclass_with_its_own_regex_or_match_path_is_honoured(client: Client) -> None:
    import re

    class CaseInsensitive(Route):
        def __init__(self, path: str, endpoint: Callable[..., Any]) -> None:
            super().__init__(path, endpoint)
            self.path_regex = re.compile(self.path_regex.pattern, re.IGNORECASE)

    class Prefixed(Route):
        def match_path(self, scope: Scope, path: str) -> dict[str, Any] | None:
            return {} if path.startswith(self.path) else None

    app = Router([CaseInsensitive("/About", text("about")), Prefixed("/files", text("files"))])
    c = client(app)
    assert c.get("/about").text == "about"
    assert c.get("/ABOUT").text == "about"
    assert c.get("/files/a/b").text == "files"
    assert app.table.candidates("/about") == app.routes  # neither can be filed by its path


# --- deprecation warnings point at the caller's line -------------------------------------------


def test_deprecation_warnings_point_at_the_callers_line() -> None:
    async def up() -> None:
        pass  # pragma: no cover - never run

    async def async_gen(app: Any) -> AsyncIterator[None]:
        yield  # pragma: no cover - never run

    def sync_gen(app: Any) -> Iterator[None]:
        yield  # pragma: no cover - never run

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        router = Router([], on_startup=[up])
        Router([], lifespan=async_gen)  # type: ignore[arg-type]
        Router([], lifespan=sync_gen)  # type: ignore[arg-type]
        router.on_event("startup")
    assert [warning.category for warning in caught] == [AsgiDeprecationWarning] * 4
    assert [warning.filename for warning in caught] == [__file__] * 4


# --- the scope keys the router writes ---------------------------------------------------------


class Snapshot:
    """Middleware recording the scope's keys and values before the router sees it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.before: dict[str, Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.before = dict(scope)
        await self.app(scope, receive, send)


def test_every_scope_key_the_router_writes_is_registered(client: Client) -> None:
    from asgi_core.scope_keys import SCOPE_KEYS

    written: list[set[str]] = []

    def record(scope: Scope, before: dict[str, Any]) -> None:
        written.append(
            {key for key, value in scope.items() if before.get(key, object()) is not value}
        )

    class Endpoint:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            record(scope, snapshot.before)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1000})
            else:
                await PlainTextResponse("ok")(scope, receive, send)

    endpoint = Endpoint()
    inner = Router([Route("/{id:int}", endpoint), WebSocketRoute("/ws/{room}", endpoint)])
    router = Router(
        [
            Mount("/m/{tenant}", app=inner),
            Host("api.example.org", app=endpoint),
            Route("/only-post", endpoint, methods=["POST"]),
        ],
        default=endpoint,
    )
    snapshot = Snapshot(router)
    c = client(snapshot)
    c.get("/m/acme/1")
    with pytest.raises(WebSocketDisconnect):
        with c.websocket_connect("/m/acme/ws/lobby"):
            pass  # pragma: no cover - closed at once
    client(snapshot, base_url="http://api.example.org").get("/anything")
    c.get("/nowhere")
    assert len(written) == 4
    assert set().union(*written) <= set(SCOPE_KEYS)
    assert written[0] == {
        "router",
        "route",
        "endpoint",
        "path_params",
        "root_path",
        "app_root_path",
    }


def test_scope_route_is_the_innermost_matched_route_and_router_the_outermost(
    client: Client,
) -> None:
    seen: dict[str, Any] = {}

    async def show(request: Request) -> PlainTextResponse:
        seen.update(route=request.scope.get("route"), router=request.scope.get("router"))
        return PlainTextResponse("ok")

    user = Route("/users/{id:int}", show)
    mount = Mount("/api", routes=[user])
    post = Route("/post", show, methods=["POST"])
    put = Route("/post", show, methods=["PUT"])
    app = Router([mount, post, put])
    c = client(app)
    c.get("/api/users/1")
    assert seen == {"route": user, "router": app}  # as in Starlette 1.10

    async def in_an_app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = app  # the 405 is raised for the application's handlers, which see:
        with pytest.raises(HTTPException):
            await app(scope, receive, send)
        seen.update(route=scope.get("route"))
        await PlainTextResponse("405", status_code=405)(scope, receive, send)

    assert client(in_an_app).get("/post").status_code == 405
    assert seen.pop("route") is post  # a 405: the first route matching the path

    class Probe:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.update(route=scope.get("route"))
            await PlainTextResponse("probe")(scope, receive, send)

    probe = Mount("/probe", app=Probe())
    client(Router([probe])).get("/probe/x")
    assert seen.pop("route") is probe

    client(Router([], default=Probe())).get("/x")
    assert seen.pop("route") is None  # nothing matched: no route
