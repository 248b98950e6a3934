"""ServerErrorMiddleware: the 500 for what nobody handled, sent through the user middleware.

The stacks here are composed by hand, as Starlette and FastAPI compose theirs:
``ServerErrorMiddleware(user middleware(ExceptionMiddleware(app)), handler=...)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from asgi_core import BackgroundTask, HTTPException, Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_framework import App
from asgi_framework.middleware.errors import ServerErrorMiddleware
from asgi_framework.middleware.exceptions import ExceptionMiddleware
from asgi_responses import PlainTextResponse, Response
from asgi_routing import Mount, Route

pytestmark = pytest.mark.anyio


class Sent:
    """What an application sent, and the exception it raised."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.exception: BaseException | None = None

    @property
    def starts(self) -> list[Message]:
        return [m for m in self.messages if m["type"] == "http.response.start"]

    @property
    def status(self) -> int:
        (start,) = self.starts  # never a second start
        return int(start["status"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        (start,) = self.starts
        return dict(start["headers"])

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages if m["type"].endswith("body"))


async def run(
    app: ASGIApp, path: str = "/", headers: list[tuple[bytes, bytes]] | None = None
) -> Sent:
    sent = Sent()

    async def receive() -> Message:
        await anyio.sleep_forever()  # the apps here read no body; the client stays connected
        raise AssertionError  # pragma: no cover - never reached

    async def send(message: Message) -> None:
        sent.messages.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": headers or [],
        "scheme": "http",
        "server": ("testserver", 80),
    }
    try:
        await app(scope, receive, send)
    except Exception as exc:
        sent.exception = exc
    return sent


class Tag:
    """User middleware adding a header to every response start (as CORS does)."""

    def __init__(self, app: ASGIApp, name: str = "tag", log: list[str] | None = None) -> None:
        self.app = app
        self.name = name.encode()
        self.log = log if log is not None else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.log.append(f"{self.name.decode()} saw {message['status']}")
                message["headers"] = [*message.get("headers", []), (b"x-" + self.name, b"1")]
            await send(message)

        try:
            await self.app(scope, receive, tagging_send)
        except Exception as exc:
            self.log.append(f"{self.name.decode()} saw {type(exc).__name__}")
            raise


def raising(exc: Exception, *before: Message) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in before:
            await send(message)
        raise exc

    return app


START: Message = {"type": "http.response.start", "status": 200, "headers": []}
PARTIAL: Message = {"type": "http.response.body", "body": b"partial", "more_body": True}


def stack(app: ASGIApp, handler: Any = None, debug: bool = False, **tag: Any) -> ASGIApp:
    """Starlette's and FastAPI's composition: errors, user middleware, exceptions, app."""
    return ServerErrorMiddleware(Tag(ExceptionMiddleware(app), **tag), handler=handler, debug=debug)


# --- the 500 goes through the user middleware -------------------------------------------------


async def test_the_500_passes_through_user_middleware_after_they_saw_the_exception() -> None:
    log: list[str] = []
    sent = await run(stack(raising(RuntimeError("boom")), log=log))
    assert (sent.status, sent.body) == (500, b"Internal Server Error")
    assert sent.headers[b"x-tag"] == b"1"
    # the exception travels up through the middleware first (Starlette's order), the 500 after
    assert log == ["tag saw RuntimeError", "tag saw 500"]
    assert isinstance(sent.exception, RuntimeError)  # raised again, for the server's log


async def test_the_error_handler_of_the_error_middleware_is_honoured() -> None:
    seen: list[Any] = []

    async def on_500(request: Request, exc: Exception) -> Response:
        seen.append(exc)
        return PlainTextResponse(f"handled: {exc}", status_code=500)

    exc = RuntimeError("boom")
    sent = await run(stack(raising(exc), handler=on_500))
    assert (sent.status, sent.body) == (500, b"handled: boom")
    assert sent.headers[b"x-tag"] == b"1"
    assert seen == [exc]
    assert sent.exception is exc


async def test_the_debug_page_passes_through_user_middleware() -> None:
    sent = await run(stack(raising(KeyError("k")), debug=True))
    assert sent.status == 500
    assert sent.headers[b"x-tag"] == b"1"
    assert sent.body.endswith(b"KeyError: 'k'\n")
    page = await run(stack(raising(KeyError("k")), debug=True), headers=[(b"accept", b"text/html")])
    assert page.headers[b"content-type"] == b"text/html; charset=utf-8"


async def test_the_handler_gets_a_request_without_a_body() -> None:
    # the application may have read the body already: as in Starlette, none to read here
    async def on_500(request: Request, exc: Exception) -> Response:
        with pytest.raises(RuntimeError, match="Receive channel has not been made available"):
            await request.body()
        return PlainTextResponse(request.url.path, status_code=500)

    sent = await run(stack(raising(RuntimeError()), handler=on_500), path="/p")
    assert sent.body == b"/p"


async def test_sync_handlers_run_in_the_thread_pool_and_async_ones_in_the_loop() -> None:
    threads: dict[str, int] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        threads["app"] = threading.get_ident()
        raise RuntimeError()

    async def async_handler(request: Request, exc: Exception) -> Response:
        threads["async"] = threading.get_ident()
        return PlainTextResponse("async", status_code=500)

    def sync_handler(request: Request, exc: Exception) -> Response:
        threads["sync"] = threading.get_ident()
        return PlainTextResponse("sync", status_code=500)

    assert (await run(stack(app, handler=async_handler))).body == b"async"
    assert (await run(stack(app, handler=sync_handler))).body == b"sync"
    assert threads["async"] == threads["app"] != threads["sync"]


async def test_the_handlers_background_task_runs() -> None:
    ran: list[str] = []

    async def on_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("x", status_code=500, background=BackgroundTask(ran.append, "bg"))

    await run(stack(raising(RuntimeError()), handler=on_500))
    assert ran == ["bg"]


async def test_a_handler_returning_none_sends_nothing() -> None:
    async def on_500(request: Request, exc: Exception) -> None:
        return None

    sent = await run(stack(raising(RuntimeError("boom")), handler=on_500))
    assert sent.messages == []
    assert isinstance(sent.exception, RuntimeError)


async def test_a_failing_handler_raises_its_own_exception() -> None:
    async def on_500(request: Request, exc: Exception) -> Response:
        raise KeyError("handler broke")

    sent = await run(stack(raising(RuntimeError("boom")), handler=on_500))
    assert sent.messages == []
    assert isinstance(sent.exception, KeyError)
    assert isinstance(sent.exception.__context__, RuntimeError)


async def test_overriding_the_responses_in_a_subclass() -> None:
    class Custom(ServerErrorMiddleware):
        def error_response(self, request: Request, exc: Exception) -> Response:
            return PlainTextResponse("custom error", status_code=500)

        def debug_response(self, request: Request, exc: Exception) -> Response:
            return PlainTextResponse("custom debug", status_code=500)

    assert (await run(Custom(raising(RuntimeError())))).body == b"custom error"
    assert (await run(Custom(raising(RuntimeError()), debug=True))).body == b"custom debug"


# --- once the response started ----------------------------------------------------------------


async def test_after_the_start_nothing_more_is_sent_and_the_exception_is_raised() -> None:
    for debug in (False, True):
        sent = await run(stack(raising(RuntimeError("late"), START, PARTIAL), debug=debug))
        assert (sent.status, sent.body) == (200, b"partial")
        assert str(sent.exception) == "late"


async def test_after_the_start_the_handler_still_runs_and_its_response_is_dropped() -> None:
    calls: list[str] = []

    async def on_500(request: Request, exc: Exception) -> Response:
        calls.append(str(exc))  # e.g. reporting the error
        background = BackgroundTask(calls.append, "background")
        return PlainTextResponse("dropped", status_code=500, background=background)

    sent = await run(stack(raising(RuntimeError("late"), START, PARTIAL), handler=on_500))
    assert (sent.status, sent.body) == (200, b"partial")
    assert calls == ["late"]  # the response (and its background task) is not run
    assert str(sent.exception) == "late"


async def test_after_the_start_the_handler_is_not_called_in_debug_mode() -> None:
    calls: list[Exception] = []

    def on_500(request: Request, exc: Exception) -> None:
        calls.append(exc)  # pragma: no cover - not called

    await run(stack(raising(RuntimeError(), START, PARTIAL), handler=on_500, debug=True))
    assert calls == []


async def test_after_the_start_a_failing_handler_raises_its_own_exception() -> None:
    async def on_500(request: Request, exc: Exception) -> Response:
        raise KeyError("handler broke")

    sent = await run(stack(raising(RuntimeError("late"), START, PARTIAL), handler=on_500))
    assert sent.body == b"partial"
    assert isinstance(sent.exception, KeyError)


# --- user middleware that cannot carry the 500 ------------------------------------------------


class Copies:
    """User middleware that passes a copy of the scope on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(dict(scope), receive, send)


class ClosesItsSend:
    """User middleware whose ``send`` fails once its own call is over (a task-based one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        open_ = True

        async def guarded_send(message: Message) -> None:
            if not open_:
                raise RuntimeError("this middleware is finished")
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        finally:
            open_ = False


class Swallows:
    """User middleware that drops everything sent after its own call is over."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        done = False

        async def dropping_send(message: Message) -> None:
            if not done:
                await send(message)  # pragma: no cover - the app sends nothing itself

        try:
            await self.app(scope, receive, dropping_send)
        finally:
            done = True


class Buffers:
    """User middleware that holds the response start back until the body is complete."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        held: list[Message] = []

        async def buffering_send(message: Message) -> None:
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                for each in held:
                    await send(each)

        await self.app(scope, receive, buffering_send)


def outer(app: ASGIApp, middleware: Callable[[ASGIApp], ASGIApp], handler: Any = None) -> ASGIApp:
    """errors, Tag (outer user middleware), ``middleware``, exceptions, app."""
    return ServerErrorMiddleware(Tag(middleware(ExceptionMiddleware(app))), handler=handler)


async def test_user_middleware_passing_a_copy_of_the_scope() -> None:
    sent = await run(outer(raising(RuntimeError()), Copies))
    assert sent.status == 500
    assert sent.headers[b"x-tag"] == b"1"


@pytest.mark.parametrize("middleware", [ClosesItsSend, Swallows])
async def test_the_500_goes_straight_to_the_server_when_the_chain_cannot_carry_it(
    middleware: Callable[[ASGIApp], ASGIApp],
) -> None:
    ran: list[str] = []

    async def on_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse(
            "x" * 10, status_code=500, background=BackgroundTask(ran.append, "bg")
        )

    sent = await run(outer(raising(RuntimeError("boom")), middleware, handler=on_500))
    assert (sent.status, sent.body) == (500, b"x" * 10)
    assert b"x-tag" not in sent.headers  # unchanged: straight from the handler
    assert ran == ["bg"]  # the response ran once
    assert str(sent.exception) == "boom"


async def test_streamed_500_through_middleware_that_holds_the_start_back() -> None:
    async def on_500(request: Request, exc: Exception) -> Response:
        from asgi_responses import StreamingResponse

        return StreamingResponse(iter([b"a", b"b"]), status_code=500)

    sent = await run(outer(raising(RuntimeError()), Buffers, handler=on_500))
    assert (sent.status, sent.body) == (500, b"ab")
    assert sent.headers[b"x-tag"] == b"1"


async def test_streamed_500_straight_to_the_server_after_a_failure_midway() -> None:
    async def on_500(request: Request, exc: Exception) -> Response:
        from asgi_responses import StreamingResponse

        return StreamingResponse(iter([b"a", b"b"]), status_code=500)

    sent = await run(
        outer(raising(RuntimeError()), lambda app: ClosesItsSend(Buffers(app)), on_500)
    )
    assert (sent.status, sent.body) == (500, b"ab")
    assert b"x-tag" not in sent.headers


class FailsAfterStart:
    """User middleware whose ``send`` fails for body messages (the client went away)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def failing_send(message: Message) -> None:
            if message["type"] == "http.response.body":
                raise OSError("client went away")
            await send(message)

        await self.app(scope, receive, failing_send)


@pytest.mark.parametrize(
    "middleware",
    [FailsAfterStart, lambda app: FailsAfterStart(Buffers(app))],
    ids=["failing", "buffered-then-failing"],
)
async def test_a_failure_of_the_chain_after_the_start_propagates(
    middleware: Callable[[ASGIApp], ASGIApp],
) -> None:
    sent = await run(outer(raising(RuntimeError("boom")), middleware))
    assert sent.status == 500
    assert sent.body == b""
    assert isinstance(sent.exception, OSError)
    assert isinstance(sent.exception.__context__, RuntimeError)


async def test_without_exception_middleware_the_500_goes_straight_to_the_server() -> None:
    sent = await run(ServerErrorMiddleware(Tag(raising(RuntimeError()))))
    assert sent.status == 500
    assert b"x-tag" not in sent.headers


# ServerErrorMiddleware(ExceptionMiddleware(app)) with nothing in between (an App without
# user middleware, FastAPI's stack without any) is served by the error middleware alone,
# doing the exception middleware's work itself: the same answers as the two layers give.


async def test_errors_right_around_exceptions_answer_handled_exceptions() -> None:
    teapot = HTTPException(418, "short and stout")
    sent = await run(ServerErrorMiddleware(ExceptionMiddleware(raising(teapot))))
    assert (sent.status, sent.body, sent.exception) == (418, b"short and stout", None)
    assert teapot.__traceback__ is None  # cleared once answered, as by the middleware itself


async def test_errors_right_around_exceptions_answer_500_for_the_rest() -> None:
    sent = await run(ServerErrorMiddleware(ExceptionMiddleware(raising(KeyError("k")))))
    assert (sent.status, sent.body) == (500, b"Internal Server Error")
    assert isinstance(sent.exception, KeyError)


async def test_errors_right_around_exceptions_after_the_start() -> None:
    app = ServerErrorMiddleware(ExceptionMiddleware(raising(HTTPException(404), START)))
    sent = await run(app)
    assert sent.status == 200  # one start only: nothing more was sent
    assert isinstance(sent.exception, RuntimeError)
    assert str(sent.exception) == "Caught handled exception, but response already started."
    assert isinstance(sent.exception.__cause__, HTTPException)


async def test_errors_right_around_exceptions_serve_a_plain_app() -> None:
    async def hello(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["starlette.exception_handlers"][0][HTTPException] is not None
        await PlainTextResponse("hello")(scope, receive, send)

    sent = await run(ServerErrorMiddleware(ExceptionMiddleware(hello)))
    assert (sent.status, sent.body, sent.exception) == (200, b"hello", None)


# --- in an application ------------------------------------------------------------------------


async def test_an_app_mounted_in_an_app() -> None:
    log: list[str] = []
    inner = App(routes=[Mount("/", app=raising(RuntimeError("inner")))])
    inner.add_middleware(Tag, name="inner", log=log)
    app = App(routes=[Mount("/sub", app=inner)])
    app.add_middleware(Tag, name="outer", log=log)
    sent = await run(app, path="/sub/x")
    assert sent.status == 500
    assert sent.headers[b"x-inner"] == sent.headers[b"x-outer"] == b"1"
    assert str(sent.exception) == "inner"


async def test_an_http_exception_500_is_not_given_to_the_500_handler() -> None:
    async def on_500(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("500 handler", status_code=500)  # pragma: no cover

    async def endpoint(request: Request) -> Response:
        raise HTTPException(500)

    app = App(routes=[Route("/", endpoint)], exception_handlers={500: on_500})
    sent = await run(app)
    assert (sent.status, sent.body, sent.exception) == (500, b"Internal Server Error", None)


class _ServerRequest:
    """Like a server's state of one request: it holds the scope and gives its own methods
    as ``receive`` and ``send`` (uvicorn's ``RequestResponseCycle`` does)."""

    def __init__(self, path: str) -> None:
        self.scope: Scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "root_path": "",
            "query_string": b"",
            "headers": [],
        }
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}  # pragma: no cover

    async def send(self, message: Message) -> None:
        self.sent.append(message)


@pytest.mark.parametrize("path", ["/", "/inner/", "/missing"])
async def test_a_request_leaves_no_reference_cycle_behind(path: str) -> None:
    """Once answered, the server's request state is freed at once, not by the collector."""
    import gc
    import weakref

    async def hello(request: Request) -> Response:
        return PlainTextResponse("hi")

    inner = App(routes=[Route("/", hello)])
    app = App(routes=[Route("/", hello), Mount("/inner", app=inner)])
    server_request = _ServerRequest(path)
    gc.disable()
    try:
        await app(server_request.scope, server_request.receive, server_request.send)
        assert server_request.sent[0]["type"] == "http.response.start"
        freed = weakref.ref(server_request)
        del server_request
        assert freed() is None
    finally:
        gc.enable()
