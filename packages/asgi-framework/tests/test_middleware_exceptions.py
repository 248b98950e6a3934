"""ExceptionMiddleware and ServerErrorMiddleware on their own, around raw ASGI apps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import HTTPException, Middleware, Request, WebSocketException
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import Message, Receive, Scope, Send
from asgi_framework import App
from asgi_framework.middleware.errors import ServerErrorMiddleware
from asgi_framework.middleware.exceptions import ExceptionMiddleware
from asgi_responses import PlainTextResponse, Response
from asgi_routing import Mount, Route, Router, WebSocketRoute
from asgi_testing import TestClient
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]


async def raises_404(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope[EXCEPTION_HANDLERS][0][HTTPException]  # the handlers are published
    raise HTTPException(404, "nothing here")


def test_exception_middleware_alone(client: Client) -> None:
    response = client(ExceptionMiddleware(raises_404)).get("/")
    assert (response.status_code, response.text) == (404, "nothing here")

    middleware = ExceptionMiddleware(raises_404)

    async def custom(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("custom", status_code=404)

    middleware.add_exception_handler(404, custom)
    assert client(middleware).get("/").text == "custom"


def test_exception_middleware_passes_lifespan_through(client: Client) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            events.append("lifespan")
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})

    with client(ExceptionMiddleware(app)):
        pass
    assert events == ["lifespan"]


def test_server_error_middleware_alone(client: Client) -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise KeyError("x")

    response = client(ServerErrorMiddleware(broken), raise_server_exceptions=False).get("/")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    debug = client(ServerErrorMiddleware(broken, debug=True), raise_server_exceptions=False).get(
        "/"
    )
    assert "KeyError: 'x'" in debug.text


def test_server_error_middleware_ignores_other_scopes(client: Client) -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise KeyError("websocket")

    with pytest.raises(KeyError):
        with client(ServerErrorMiddleware(broken)).websocket_connect("/"):
            pass  # pragma: no cover - raised


# --- WebSockets: the same default handling as asgi-routing's, whoever catches it -------------


async def _run_websocket(app: Any, extensions: dict[str, Any]) -> list[Message]:
    sent: list[Message] = []
    incoming: list[Message] = [{"type": "websocket.connect"}]

    async def receive() -> Message:
        return incoming.pop(0)  # pragma: no cover - the apps here do not receive

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "path": "/",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "extensions": extensions,
    }
    await app(scope, receive, send)
    return sent


def _raising(exc: Exception, *before: Message) -> Any:
    """A raw ASGI app that sends ``before`` and raises ``exc``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in before:
            await send(message)
        raise exc

    return app


def _endpoint_raising(exc: Exception, *before: Message) -> Any:
    """A Router with a WebSocket function endpoint that sends ``before`` and raises ``exc``."""

    async def endpoint(websocket: WebSocket) -> None:
        for message in before:
            await websocket.send(message)
        raise exc

    return Router([WebSocketRoute("/", endpoint)])


DENIAL: dict[str, Any] = {"websocket.http.response": {}}
ACCEPT: Message = {"type": "websocket.accept"}
CLOSE: Message = {"type": "websocket.close", "code": 1000, "reason": ""}


DENIED: tuple[Message, ...] = (
    {"type": "websocket.http.response.start", "status": 403, "headers": []},
    {"type": "websocket.http.response.body", "body": b"no"},
)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("exc", "before", "extensions", "expected"),
    [
        # not accepted yet: a WebSocketException refuses with its code and reason (Starlette)
        pytest.param(
            WebSocketException(4401, "login first"), (), {}, [(4401, "login first")], id="ws"
        ),
        pytest.param(
            WebSocketException(4401, "login first"),
            (),
            DENIAL,
            [(4401, "login first")],
            id="ws-denial-ext",
        ),
        # an HTTPException becomes a denial response where the server supports one ...
        pytest.param(
            HTTPException(403, "go away"), (), DENIAL, [403, b"go away"], id="http-denial"
        ),
        # ... and a close otherwise: the ASGI spec forbids the denial messages then
        pytest.param(HTTPException(403, "go away"), (), {}, [(1008, "go away")], id="http-4xx"),
        pytest.param(HTTPException(503, "later"), (), {}, [(1011, "later")], id="http-5xx"),
        # accepted: a close, never an HTTP response after the handshake
        pytest.param(
            HTTPException(403, "after"),
            (ACCEPT,),
            DENIAL,
            ["accept", (1008, "after")],
            id="http-accepted",
        ),
        pytest.param(
            WebSocketException(4000, "bye"),
            (ACCEPT,),
            {},
            ["accept", (4000, "bye")],
            id="ws-accepted",
        ),
        # closed or denied already: nothing more is sent
        pytest.param(
            WebSocketException(4000), (ACCEPT, CLOSE), {}, ["accept", (1000, "")], id="ws-closed"
        ),
        pytest.param(
            HTTPException(400), (ACCEPT, CLOSE), DENIAL, ["accept", (1000, "")], id="http-closed"
        ),
        pytest.param(HTTPException(400), DENIED, DENIAL, [403, b"no"], id="http-denied"),
    ],
)
async def test_websocket_exceptions_answered_as_a_router_alone_answers_them(
    exc: Exception, before: tuple[Message, ...], extensions: dict[str, Any], expected: list[Any]
) -> None:
    def summary(sent: list[Message]) -> list[Any]:
        out: list[Any] = []
        for message in sent:
            kind = message["type"]
            if kind == "websocket.accept":
                out.append("accept")
            elif kind == "websocket.close":
                out.append((message["code"], message.get("reason", "")))
            elif kind == "websocket.http.response.start":
                out.append(message["status"])
            else:
                out.append(message["body"])
        return out

    # raised by a raw app: ExceptionMiddleware catches it, in the state the app left
    caught = await _run_websocket(ExceptionMiddleware(_raising(exc, *before)), extensions)
    assert summary(caught) == expected
    # raised in a function endpoint: handled in place, with the middleware's defaults, or
    # the router's own ones when there is no middleware: all the same
    for app in (
        ExceptionMiddleware(_endpoint_raising(exc, *before)),
        _endpoint_raising(exc, *before),
    ):
        assert summary(await _run_websocket(app, extensions)) == expected


# --- HTTP: what no handler takes goes up; handled exceptions are done with -------------------


async def _run_http(
    app: Any, scope_extra: dict[str, Any] | None = None
) -> tuple[list[Message], BaseException | None]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}  # pragma: no cover

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}
    scope.update(scope_extra or {})
    try:
        await app(scope, receive, send)
    except Exception as exc:
        return sent, exc
    return sent, None


START: Message = {"type": "http.response.start", "status": 200, "headers": []}
PARTIAL: Message = {"type": "http.response.body", "body": b"partial", "more_body": True}


@pytest.mark.anyio
async def test_unhandled_exceptions_go_up_unanswered() -> None:
    # ServerErrorMiddleware answers them, above the user middleware (as in Starlette)
    exc = RuntimeError("boom")
    sent, raised = await _run_http(ExceptionMiddleware(_raising(exc)))
    assert sent == []
    assert raised is exc
    sent, raised = await _run_http(ExceptionMiddleware(_raising(exc, START, PARTIAL)))
    assert len(sent) == 2
    assert raised is exc


@pytest.mark.anyio
@pytest.mark.parametrize("exc", [HTTPException(409), ValueError("handled")])
async def test_a_handled_exception_after_the_start_cannot_be_answered(exc: Exception) -> None:
    async def on_value_error(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("never sent")  # pragma: no cover - not called

    app = ExceptionMiddleware(_raising(exc, START, PARTIAL), handlers={ValueError: on_value_error})
    sent, raised = await _run_http(app)
    assert sent == [START, PARTIAL]  # no second start
    assert isinstance(raised, RuntimeError)
    assert str(raised) == "Caught handled exception, but response already started."
    assert raised.__cause__ is exc


@pytest.mark.anyio
async def test_a_handled_exception_has_its_traceback_cleared_once_answered() -> None:
    seen: list[bool] = []

    async def on_value_error(request: Request, exc: Exception) -> Response:
        seen.append(exc.__traceback__ is not None)  # the handler still sees it
        return PlainTextResponse("handled", status_code=400)

    exc = ValueError("v")
    sent, raised = await _run_http(ExceptionMiddleware(_raising(exc), {ValueError: on_value_error}))
    assert raised is None
    assert sent[0]["status"] == 400
    assert seen == [True]
    assert exc.__traceback__ is None  # its frames are freed, as in Starlette


@pytest.mark.anyio
async def test_a_failing_handler_keeps_the_traceback() -> None:
    async def on_value_error(request: Request, exc: Exception) -> Response:
        raise KeyError("handler broke")

    exc = ValueError("v")
    _, raised = await _run_http(ExceptionMiddleware(_raising(exc), {ValueError: on_value_error}))
    assert isinstance(raised, KeyError)
    assert raised.__context__ is exc
    assert exc.__traceback__ is not None  # still part of the report


@pytest.mark.anyio
async def test_a_handled_websocket_exception_has_its_traceback_cleared() -> None:
    exc = WebSocketException(4000, "bye")
    await _run_websocket(ExceptionMiddleware(_raising(exc)), {})
    assert exc.__traceback__ is None


@pytest.mark.anyio
async def test_the_innermost_exception_middleware_leaves_its_send_for_the_error_middleware() -> (
    None
):
    from asgi_framework._errors import ERROR_SEND, SendSlot

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        pass

    def tagging(app: Any) -> Any:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            async def tagging_send(message: Message) -> None:
                await send({**message, "headers": [(b"x-tag", b"1")]})

            await app(scope, receive, tagging_send)

        return middleware

    async def server_send(message: Message) -> None:
        raise AssertionError("not called here")

    slot = SendSlot(server_send)
    sent, _ = await _run_http(
        ExceptionMiddleware(tagging(ExceptionMiddleware(app))), {ERROR_SEND: slot}
    )
    assert sent == []
    assert slot.send is not None
    await slot.send(START)  # what the error middleware does with it
    assert sent == [{**START, "headers": [(b"x-tag", b"1")]}]  # through the middleware between
    # something else under the key is left alone
    await _run_http(ExceptionMiddleware(app), {ERROR_SEND: "not a slot"})


# --- a router's 404 right inside the exception middleware ------------------------------------
# Routers answer their own 404 without raising it when the exception middleware calls them
# directly and would answer with the default handler; everything else still gets the
# exception (asgi-routing/tests/test_not_found_answer.py has the router's side).


async def gone(request: Request) -> Response:
    raise HTTPException(404, "nothing here")


class Shouting(ExceptionMiddleware):
    async def http_exception(self, request: Request, exc: Exception) -> Response | None:
        assert isinstance(exc, HTTPException)
        return PlainTextResponse(exc.detail.upper(), status_code=exc.status_code)


def test_a_subclass_answering_http_exceptions_its_way_gets_the_404s(client: Client) -> None:
    app = App(routes=[Route("/", gone)])
    app.build_middleware_stack = lambda: ServerErrorMiddleware(Shouting(app.router))  # type: ignore[method-assign]
    assert client(app).get("/missing").text == "NOT FOUND"
    assert client(app).get("/").text == "NOTHING HERE"


@pytest.mark.anyio
async def test_the_default_answer_method_stays() -> None:
    response = await ExceptionMiddleware(raises_404).http_exception(
        Request({"type": "http"}), HTTPException(418, "tea", headers={"x-pot": "1"})
    )
    assert response is not None
    assert (response.status_code, response.body, response.headers["x-pot"]) == (418, b"tea", "1")


def test_a_mounts_middleware_sees_the_inner_routers_404(client: Client) -> None:
    seen: list[str] = []

    class Recorder:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            try:
                await self.app(scope, receive, send)
            except HTTPException as exc:
                seen.append(f"raised {exc.status_code}")
                raise

    inner = Mount("/sub", routes=[Route("/", gone)], middleware=[Middleware(Recorder)])
    app = App(routes=[inner], exception_handlers={404: custom_404})
    response = client(app).get("/sub/missing")
    assert (response.status_code, response.text, seen) == (404, "custom 404", ["raised 404"])
    seen.clear()
    assert client(App(routes=[inner])).get("/sub/missing").text == "Not Found"
    assert seen == ["raised 404"]


async def custom_404(request: Request, exc: Exception) -> Response:
    return PlainTextResponse("custom 404", status_code=404)


def test_handlers_registered_later_get_the_404s(client: Client) -> None:
    app = App(routes=[Route("/", gone)])
    assert client(app).get("/missing").text == "Not Found"
    app.add_exception_handler(404, custom_404)
    assert client(app).get("/missing").text == "custom 404"
    other = App(routes=[Route("/", gone)])
    other.add_exception_handler(HTTPException, custom_404)
    assert client(other).get("/missing").text == "custom 404"
