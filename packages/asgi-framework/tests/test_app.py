from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from asgi_core import AsgiDeprecationWarning, HTTPException, Middleware, Request, WebSocketException
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_framework import App
from asgi_responses import JSONResponse, PlainTextResponse, Response
from asgi_routing import Mount, Route, Router, WebSocketRoute
from asgi_testing import TestClient, WebSocketDisconnect
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]


async def home(request: Request) -> PlainTextResponse:
    return PlainTextResponse("home")


async def boom(request: Request) -> Response:
    raise RuntimeError("boom <script>")


class Tag:
    """A user middleware that records calls and adds a header (like CORS)."""

    def __init__(self, app: ASGIApp, name: str, log: list[str]) -> None:
        self.app = app
        self.name = name
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.log.append(self.name)

        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-tag-" + self.name.encode(), b"1")]
            await send(message)

        await self.app(scope, receive, tagging_send)


def test_routes_and_state(client: Client) -> None:
    app = App(routes=[Route("/", home, name="home")])
    app.state.db = "connected"
    assert client(app).get("/").text == "home"
    assert app.url_path_for("home") == "/"
    assert app.routes[0].name == "home"  # type: ignore[attr-defined]
    assert app.state.db == "connected"


def test_adding_routes_mounts_and_hosts(client: Client) -> None:
    app = App()
    app.add_route("/r", home, methods=["GET"], name="r")
    app.mount("/sub", Router([Route("/", home)]), name="sub")
    app.host("api.example.org", Router([Route("/", home)]), name="api")

    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("ws")
        await websocket.close()

    app.router.add_websocket_route("/ws", ws, name="ws")
    with pytest.warns(AsgiDeprecationWarning, match=r"App.add_websocket_route is deprecated"):
        app.add_websocket_route("/ws2", ws)
    c = client(app)
    assert c.get("/r").text == "home"
    assert c.get("/sub/").text == "home"
    assert client(app, base_url="http://api.example.org").get("/").text == "home"
    with c.websocket_connect("/ws") as session:
        assert session.receive_text() == "ws"
    with c.websocket_connect("/ws2") as session:
        assert session.receive_text() == "ws"


def test_middleware_order(client: Client) -> None:
    log: list[str] = []
    app = App(
        routes=[Route("/", home)],
        middleware=[Middleware(Tag, "first", log), Middleware(Tag, "second", log)],
    )
    app.add_middleware(Tag, "added", log)
    response = client(app).get("/")
    assert log == ["added", "first", "second"]
    assert response.headers["x-tag-first"] == "1"
    with pytest.raises(
        RuntimeError, match="Cannot add middleware after an application has started"
    ):
        app.add_middleware(Tag, "late", log)


def test_scope_has_the_app(client: Client) -> None:
    async def whoami(request: Request) -> PlainTextResponse:
        return PlainTextResponse(type(request.app).__name__)

    assert client(App(routes=[Route("/", whoami)])).get("/").text == "App"


def test_404_and_405_pass_through_handlers(client: Client) -> None:
    async def not_found(request: Request, exc: Exception) -> Response:
        return JSONResponse({"missing": request.url.path}, status_code=404)

    def method_not_allowed(request: Request, exc: Exception) -> Response:  # sync handler
        assert isinstance(exc, HTTPException)
        return PlainTextResponse(f"use {exc.headers['Allow']}", status_code=405)  # type: ignore[index]

    app = App(
        routes=[Route("/", home)], exception_handlers={404: not_found, 405: method_not_allowed}
    )
    c = client(app)
    assert c.get("/nope").json() == {"missing": "/nope"}
    assert c.post("/").text == "use GET, HEAD"
    plain = client(App(routes=[Route("/", home)]))
    assert (plain.get("/nope").status_code, plain.get("/nope").text) == (404, "Not Found")


def test_handlers_by_class_most_specific_wins(client: Client) -> None:
    class AppError(Exception):
        pass

    class NotAllowed(AppError):
        pass

    async def app_error(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"app error {exc}", status_code=400)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"not allowed {exc}", status_code=403)

    async def raise_app_error(request: Request) -> Response:
        raise AppError("a")

    async def raise_not_allowed(request: Request) -> Response:
        raise NotAllowed("b")

    app = App(
        routes=[Route("/a", raise_app_error), Route("/b", raise_not_allowed)],
        exception_handlers={AppError: app_error, NotAllowed: not_allowed},
    )
    c = client(app)
    assert (c.get("/a").status_code, c.get("/a").text) == (400, "app error a")
    assert (c.get("/b").status_code, c.get("/b").text) == (403, "not allowed b")


def test_http_exception_default_rendering(client: Client) -> None:
    async def teapot(request: Request) -> Response:
        raise HTTPException(418, headers={"x-a": "b"})

    async def no_content(request: Request) -> Response:
        raise HTTPException(204)

    app = App(routes=[Route("/tea", teapot), Route("/empty", no_content)])
    c = client(app)
    response = c.get("/tea")
    assert (response.status_code, response.text, response.headers["x-a"]) == (
        418,
        "I'm a Teapot",
        "b",
    )
    empty = c.get("/empty")
    assert (empty.status_code, empty.content) == (204, b"")


def test_json_and_form_errors_are_400(client: Client) -> None:
    async def echo(request: Request) -> Response:
        return JSONResponse(await request.json())

    response = client(App(routes=[Route("/", echo, methods=["POST"])])).post(
        "/", content=b"{broken"
    )
    assert response.status_code == 400
    assert response.text.startswith("Invalid JSON in request body: Expecting property name")


def test_unhandled_errors_in_production(client: Client) -> None:
    app = App(routes=[Route("/", boom)])
    with pytest.raises(RuntimeError, match="boom"):
        client(app).get("/")
    response = client(app, raise_server_exceptions=False).get("/")
    assert (response.status_code, response.text) == (500, "Internal Server Error")


def test_500_passes_through_user_middleware(client: Client) -> None:
    log: list[str] = []
    app = App(routes=[Route("/", boom)], middleware=[Middleware(Tag, "cors", log)])
    response = client(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500
    assert response.headers["x-tag-cors"] == "1"


def test_the_500_handlers_response_passes_through_user_middleware(client: Client) -> None:
    async def on_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"sorry: {exc}", status_code=500)

    log: list[str] = []
    app = App(
        routes=[Route("/", boom)],
        middleware=[Middleware(Tag, "cors", log)],
        exception_handlers={500: on_500},
    )
    response = client(app, raise_server_exceptions=False).get("/")
    assert (response.status_code, response.text) == (500, "sorry: boom <script>")
    assert response.headers["x-tag-cors"] == "1"


def test_500_and_exception_handlers(client: Client) -> None:
    async def on_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"sorry: {exc}", status_code=500)

    def on_exception(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("sync sorry", status_code=503)

    for handlers, expected in (
        ({500: on_500}, "sorry: boom <script>"),
        ({Exception: on_exception}, "sync sorry"),
    ):
        app = App(routes=[Route("/", boom)], exception_handlers=handlers)
        response = client(app, raise_server_exceptions=False).get("/")
        assert response.text == expected
        with pytest.raises(RuntimeError, match="boom"):  # still raised, for the server's log
            client(app).get("/")


def test_debug_pages(client: Client) -> None:
    app = App(debug=True, routes=[Route("/", boom)])
    c = client(app, raise_server_exceptions=False)
    text = c.get("/")
    assert text.status_code == 500
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Traceback" in text.text
    assert "RuntimeError: boom <script>" in text.text
    page = c.get("/", headers={"accept": "text/html"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "boom &lt;script&gt;" in page.text
    assert "<script>" not in page.text
    app.debug = False
    assert c.get("/", headers={"accept": "text/html"}).text == "Internal Server Error"


def test_errors_raised_by_user_middleware(client: Client) -> None:
    class Broken:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                raise ValueError("middleware broke")
            await self.app(scope, receive, send)  # pragma: no cover - only http is used

    app = App(routes=[Route("/", home)], middleware=[Middleware(Broken)])
    response = client(app, raise_server_exceptions=False).get("/")
    assert (response.status_code, response.text) == (500, "Internal Server Error")


def test_error_after_the_response_started(client: Client) -> None:
    async def half(request: Request) -> Response:
        class Half(Response):
            async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
                await send({"type": "http.response.start", "status": 200, "headers": []})
                await send({"type": "http.response.body", "body": b"partial", "more_body": True})
                raise RuntimeError("after the start")

        return Half()

    app = App(routes=[Route("/", half)])
    with pytest.raises(RuntimeError, match="after the start"):
        client(app).get("/")
    response = client(app, raise_server_exceptions=False).get("/")
    assert (response.status_code, response.content) == (200, b"partial")  # no second start


def test_websocket_exception_closes(client: Client) -> None:
    async def reject(websocket: WebSocket) -> None:
        raise WebSocketException(4001, "no")

    class RawReject:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise WebSocketException(4002, "raw")

    app = App(routes=[WebSocketRoute("/ws", reject), Mount("/raw", app=RawReject())])
    for path, code in (("/ws", 4001), ("/raw/x", 4002)):
        with pytest.raises(WebSocketDisconnect) as info:
            with client(app).websocket_connect(path):
                pass  # pragma: no cover - rejected
        assert info.value.code == code


def test_websocket_errors_propagate(client: Client) -> None:
    class Broken:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise KeyError("websocket broke")

    with pytest.raises(KeyError):
        with client(App(routes=[Mount("/", app=Broken())])).websocket_connect("/x"):
            pass  # pragma: no cover - raised


def test_handler_returning_none(client: Client) -> None:
    class Custom(Exception):
        pass

    async def raise_custom(request: Request) -> Response:
        raise Custom()

    async def quiet(request: Request, exc: Exception) -> None:
        await PlainTextResponse("sent by the handler itself")(
            request.scope, request.receive, request._send
        )

    class RawRaiser:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise Custom()

    app = App(
        routes=[Route("/", raise_custom), Mount("/raw", app=RawRaiser())],
        exception_handlers={Custom: quiet},
    )
    assert client(app).get("/").text == "sent by the handler itself"
    assert client(app).get("/raw/x").text == "sent by the handler itself"


def test_lifespan_and_state(client: Client) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: App) -> AsyncIterator[dict[str, Any]]:
        app.state.started = True
        events.append("up")
        yield {"db": "pool"}
        events.append("down")

    async def show(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{request.state.db} {request.app.state.started}")

    app = App(routes=[Route("/", show)], lifespan=lifespan)
    with client(app) as c:
        assert c.get("/").text == "pool True"
    assert events == ["up", "down"]


def test_deprecated_event_handlers(client: Client) -> None:
    events: list[str] = []
    with pytest.warns(
        AsgiDeprecationWarning, match="on_startup and on_shutdown parameters are deprecated"
    ):
        app = App(on_startup=[lambda: events.append("param")])
    with pytest.warns(AsgiDeprecationWarning, match="on_event is deprecated"):

        @app.on_event("startup")
        def decorated() -> None:
            events.append("decorated")

    with pytest.warns(AsgiDeprecationWarning, match="add_event_handler is deprecated"):
        app.add_event_handler("shutdown", lambda: events.append("down"))
    with client(app):
        pass
    assert events == ["param", "decorated", "down"]


def _sync_lifespan(app: App) -> Iterator[None]:
    yield


async def _async_generator_lifespan(app: App) -> AsyncIterator[None]:
    yield


@pytest.mark.parametrize(
    "make",
    [
        lambda: App(on_startup=[print]),
        lambda: App(on_shutdown=[print]),
        lambda: App(lifespan=_sync_lifespan),  # type: ignore[arg-type]
        lambda: App(lifespan=_async_generator_lifespan),  # type: ignore[arg-type]
        lambda: App().on_event("startup"),
        lambda: App().add_event_handler("startup", print),
        lambda: App().add_websocket_route("/ws", print),
    ],
    ids=[
        "on_startup",
        "on_shutdown",
        "generator",
        "async-generator",
        "on_event",
        "add_event",
        "add_websocket_route",
    ],
)
def test_deprecation_warnings_point_at_the_caller(make: Callable[[], object]) -> None:
    with pytest.warns(AsgiDeprecationWarning) as record:
        make()
    assert [warning.filename for warning in record] == [__file__]


def test_lifespan_and_on_startup_together_is_an_error() -> None:
    @asynccontextmanager
    async def lifespan(app: App) -> AsyncIterator[None]:
        yield  # pragma: no cover - never entered

    with pytest.raises(ValueError, match="either 'lifespan' or 'on_startup'"):
        App(lifespan=lifespan, on_startup=[print])


class Counted:
    """A user middleware that counts its instances and the requests it saw."""

    instances = 0

    def __init__(self, app: ASGIApp) -> None:
        type(self).instances += 1
        self.app = app
        self.requests = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


def find_counted(app: App) -> Counted:
    layer: Any = app.middleware_stack
    while not isinstance(layer, Counted):
        layer = layer.app
    return layer


def test_handlers_and_debug_reach_the_running_stack(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Counted, "instances", 0)
    app = App(routes=[Route("/", home), Route("/boom", boom)], middleware=[Middleware(Counted)])
    c = client(app, raise_server_exceptions=False)
    assert c.get("/x").status_code == 404
    counted = find_counted(app)

    async def custom_404(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("custom 404", status_code=404)

    app.add_exception_handler(404, custom_404)
    assert c.get("/x").text == "custom 404"

    async def custom_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"custom 500: {exc}", status_code=500)

    app.add_exception_handler(500, custom_500)
    assert c.get("/boom").text == "custom 500: boom <script>"

    app.debug = True
    assert "Traceback" in c.get("/boom").text
    app.debug = False
    assert c.get("/boom").text == "custom 500: boom <script>"

    def on_exception(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("by class", status_code=500)

    app.add_exception_handler(Exception, on_exception)
    assert c.get("/boom").text == "by class"

    assert Counted.instances == 1  # never rebuilt
    assert find_counted(app) is counted
    assert counted.requests == 6  # the state the instance holds is kept
    with pytest.raises(
        RuntimeError, match="Cannot add middleware after an application has started"
    ):
        app.add_middleware(Counted)


def test_the_error_handler_reaches_errors_raised_by_user_middleware(client: Client) -> None:
    class Broken:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise ValueError("middleware broke")

    app = App(middleware=[Middleware(Broken)])
    c = client(app, raise_server_exceptions=False)
    assert c.get("/").text == "Internal Server Error"

    async def custom_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"custom: {exc}", status_code=500)

    app.add_exception_handler(500, custom_500)
    assert c.get("/").text == "custom: middleware broke"
    app.debug = True
    assert "ValueError: middleware broke" in c.get("/").text


def test_handlers_and_debug_before_the_start(client: Client) -> None:
    app = App(routes=[Route("/boom", boom)])

    async def custom_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("early", status_code=500)

    app.add_exception_handler(500, custom_500)
    c = client(app, raise_server_exceptions=False)
    assert c.get("/boom").text == "early"
    app.debug = True
    assert "Traceback" in c.get("/boom").text


# --- max_body_size -------------------------------------------------------------------------


async def body_size(request: Request) -> PlainTextResponse:
    body = await request.body()
    return PlainTextResponse(f"{len(body)} limit={request.scope.get('starlette.max_body_size')}")


class ReadsTheBody:
    """A user middleware that reads the whole body itself before calling the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/read-in-middleware":
            while (await receive()).get("more_body"):
                pass  # pragma: no cover - one chunk is sent
        await self.app(scope, receive, send)


def limited_app(log: list[str], **options: Any) -> App:
    async def on_413(request: Request, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse("handled 413", status_code=413)

    async def on_500(request: Request, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse("handled 500", status_code=500)  # pragma: no cover

    return App(
        routes=[
            Route("/", body_size, methods=["POST"]),
            Route("/big", body_size, methods=["POST"], max_body_size=100),
            Route("/read-in-middleware", home, methods=["POST"]),
        ],
        middleware=[Middleware(Tag, "user", log), Middleware(ReadsTheBody)],
        exception_handlers={413: on_413, 500: on_500},
        **options,
    )


def test_max_body_size(client: Client) -> None:
    log: list[str] = []
    app = limited_app(log, max_body_size=10)
    assert app.max_body_size == 10
    c = client(app)
    ok = c.post("/", content=b"x" * 10)
    assert (ok.text, ok.headers["x-tag-user"]) == ("10 limit=10", "1")
    # a declared size over the limit: the plain 413, from outside the user middleware
    declared = c.post("/", content=b"x" * 11)
    assert (declared.status_code, declared.text) == (413, "Content Too Large")
    assert "x-tag-user" not in declared.headers
    # a streamed body crossing the limit: the exception reaches the 413 handler
    streamed = c.post("/", content=iter([b"x" * 6, b"x" * 6]))
    assert (streamed.status_code, streamed.text) == (413, "handled 413")
    assert streamed.headers["x-tag-user"] == "1"
    # a route's own limit replaces the application's
    assert c.post("/big", content=b"x" * 50).text == "50 limit=100"
    assert c.post("/big", content=b"x" * 101).status_code == 413
    # user middleware are inside the limit: reading too much there is a 413, not a 500
    inside = c.post("/read-in-middleware", content=iter([b"x" * 20]))
    assert (inside.status_code, inside.text) == (413, "Content Too Large")
    assert c.post("/missing", content=b"x" * 20).status_code == 413


def test_no_body_limit_by_default(client: Client) -> None:
    app = limited_app([])
    assert app.max_body_size is None
    assert client(app).post("/", content=b"x" * 100_000).text == "100000 limit=None"


def test_an_invalid_max_body_size_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="max_body_size"):
        App(max_body_size=-1)
    with pytest.raises(TypeError, match="max_body_size"):
        App(max_body_size="10")  # type: ignore[arg-type]
