"""The application runs as a task of its own, stepped inline on asyncio (``_inline``).

The behaviour tests run on asyncio (the inline driver) and trio (a task group): both must
give the same results. The unit tests at the end are asyncio's only.
"""

from __future__ import annotations

import asyncio  # noqa: TID251 - the inline driver is asyncio's
import contextvars
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar, cast

import anyio
import pytest

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_base import BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_middleware_base._downstream import Downstream
from asgi_middleware_base._inline import Inline, inline_loop
from asgi_responses import PlainTextResponse, Response

START: Message = {"type": "http.response.start", "status": 200, "headers": []}
END: Message = {"type": "http.response.body", "body": b"", "more_body": False}
var: contextvars.ContextVar[str] = contextvars.ContextVar("inline_var", default="unset")


def chunk(body: bytes, more: bool = True) -> Message:
    return {"type": "http.response.body", "body": body, "more_body": more}


async def passthrough(request: Request, call_next: RequestResponseEndpoint) -> Response:
    return await call_next(request)


def bodies(sent: list[Message]) -> list[bytes]:
    return [message["body"] for message in sent if message["type"] == "http.response.body"]


async def nothing() -> Message:
    raise AssertionError  # pragma: no cover - never called


# ------------------------------------------------------------------ on asyncio and trio


@pytest.mark.anyio
async def test_the_app_is_one_task_of_its_own_whether_it_waits_or_not(server: Any) -> None:
    app_tasks: list[int] = []
    dispatch_tasks: list[int] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        app_tasks.append(anyio.get_current_task().id)
        await send(START)  # paused: taken by call_next
        app_tasks.append(anyio.get_current_task().id)
        await anyio.sleep(0)  # waits: its task goes on with it
        app_tasks.append(anyio.get_current_task().id)
        await send(chunk(b"x", more=False))
        app_tasks.append(anyio.get_current_task().id)

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        dispatch_tasks.append(anyio.get_current_task().id)
        response = await call_next(request)
        dispatch_tasks.append(anyio.get_current_task().id)
        return response

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, dispatch))
    assert bodies(srv.sent) == [b"x", b""]
    assert len(set(app_tasks)) == 1
    assert len(set(dispatch_tasks)) == 1
    assert app_tasks[0] != dispatch_tasks[0]


@pytest.mark.anyio
async def test_cancel_scopes_of_dispatch_and_of_the_app_interleave(server: Any) -> None:
    """dispatch holds a scope across call_next while the app holds one across its send:
    each belongs to its own task, so neither is exited out of order."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        with anyio.CancelScope():
            await send(START)
        async with anyio.create_task_group():
            with anyio.fail_after(10):
                await send(chunk(b"in scopes"))
        await send(END)

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        with anyio.move_on_after(10):
            response = await call_next(request)
        with anyio.CancelScope():
            response.headers["x-dispatch"] = "done"
        return response

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, dispatch))
    assert (b"x-dispatch", b"done") in srv.sent[0]["headers"]
    assert bodies(srv.sent) == [b"in scopes", b""]


@pytest.mark.anyio
async def test_a_timeout_of_the_app_expires_while_it_is_paused_in_send(server: Any) -> None:
    """The app's own deadline cancels its send, not dispatch nor the server's send."""
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            with anyio.fail_after(0.05):
                await send(START)
                await send(chunk(b"never"))  # pragma: no cover - timed out before
        except TimeoutError:
            events.append("app timed out")
        await send(chunk(b"after", more=False))

    async def slow_send(message: Message) -> None:
        await anyio.sleep(0.2)  # the start takes long to reach the client
        events.append(f"sent {message['type']}")
        srv.sent.append(message)

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, passthrough), send=slow_send)
    assert events[0] == "app timed out"
    assert bodies(srv.sent) == [b"after", b""]


@pytest.mark.anyio
async def test_the_app_waits_before_between_and_after_its_messages(server: Any) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep(0)
        var.set("set after a wait")
        await send(START)
        await anyio.sleep(0)
        await send(chunk(b"a"))
        await anyio.sleep(0.01)
        await send(chunk(b"b", more=False))
        events.append("app goes on")  # only once the whole body was sent
        await anyio.sleep(0.01)
        events.append("app done")

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        events.append(f"dispatch sees {var.get()}")
        return response

    async def send(message: Message) -> None:
        events.append(f"sent {message.get('body', b'start')!r}")

    await server().run(BaseHTTPMiddleware(app, dispatch), send=send)
    assert events == [
        "dispatch sees set after a wait",
        "sent b'start'",
        "sent b'a'",
        "sent b'b'",
        "sent b''",
        "app goes on",
        "app done",  # the middleware returned only after the app did
    ]


@pytest.mark.anyio
async def test_async_with_and_async_for_inside_the_app(server: Any) -> None:
    events: list[str] = []

    class Resource:
        async def __aenter__(self) -> Resource:
            await anyio.sleep(0)
            events.append("entered")
            return self

        async def __aexit__(self, *exc_info: object) -> None:
            await anyio.sleep(0)
            events.append("exited")

    async def parts() -> AsyncIterator[bytes]:
        try:
            for part in (b"1", b"2", b"3"):
                await anyio.sleep(0)
                yield part
        finally:
            events.append("generator closed")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        async with Resource():
            await send(START)
            async for part in parts():
                await send(chunk(part))
        await send(END)

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, passthrough))
    assert bodies(srv.sent) == [b"1", b"2", b"3", b""]
    assert events == ["entered", "generator closed", "exited"]


@pytest.mark.anyio
async def test_child_tasks_of_the_app_send_in_turn(server: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)

        async def send_part(part: bytes) -> None:
            await send(chunk(part))

        async with anyio.create_task_group() as task_group:
            for part in (b"1", b"2", b"3"):
                task_group.start_soon(send_part, part)
        await send(END)

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, passthrough))
    assert sorted(bodies(srv.sent)) == [b"", b"1", b"2", b"3"]
    assert bodies(srv.sent)[-1] == b""


@pytest.mark.anyio
async def test_an_error_after_the_app_waited_is_raised_as_itself(server: Any) -> None:
    error = ValueError("after a wait")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep(0)
        raise error

    with pytest.raises(ValueError, match="after a wait") as info:
        await server().run(BaseHTTPMiddleware(app, passthrough))
    assert info.value is error


@pytest.mark.anyio
@pytest.mark.parametrize("waits", [False, True])
async def test_the_middleware_cancelled_cancels_the_app(server: Any, waits: bool) -> None:
    """Cancelled from outside while the app is paused in send, or waits in its task."""
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if waits:
                await anyio.sleep(10)
            await send(START)
            await send(END)  # pragma: no cover - cancelled before
        except anyio.get_cancelled_exc_class():
            events.append("app cancelled")
            raise
        finally:
            events.append("app finally")

    async def send(message: Message) -> None:
        await anyio.sleep(10)  # a client that never reads

    with anyio.move_on_after(0.05) as scope:
        await BaseHTTPMiddleware(app, passthrough)(
            {"type": "http", "method": "GET", "path": "/", "headers": []}, nothing, send
        )
    assert scope.cancelled_caught
    assert events == ["app cancelled", "app finally"]


@pytest.mark.anyio
async def test_the_sends_of_a_cancelled_app_are_dropped(server: Any) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send(START)
        except anyio.get_cancelled_exc_class():
            events.append("app cancelled")
            try:  # on asyncio it was cancelled once; trio's scope cancels it again
                await send({"type": "http.response.body", "body": b"late"})
            finally:
                events.append("late send done")
            raise

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        await call_next(request)
        raise LookupError("dispatch failed")

    srv = server()
    with pytest.raises(LookupError, match="dispatch failed"):
        await srv.run(BaseHTTPMiddleware(app, dispatch))
    assert events == ["app cancelled", "late send done"]
    assert srv.sent == []


@pytest.mark.anyio
async def test_dispatch_failing_while_the_app_waits_cancels_it(server: Any) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await anyio.sleep(10)
        except anyio.get_cancelled_exc_class():
            events.append("app cancelled")
            raise

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        with anyio.move_on_after(0.01):
            await call_next(request)
        raise LookupError("the app took too long")

    with pytest.raises(LookupError):
        await server().run(BaseHTTPMiddleware(app, dispatch))
    assert events == ["app cancelled"]


@pytest.mark.anyio
async def test_an_app_calling_an_outer_middlewares_send_directly(server: Any) -> None:
    """The inner middleware is stepping the app when the outer one's send pauses it: the
    pause is passed up to the outer middleware, and the app resumed once passed on."""
    kept: list[Send] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)
        await kept[0](chunk(b"direct"))
        await send(chunk(b"end", more=False))

    inner = BaseHTTPMiddleware(app, passthrough)

    async def keeping(scope: Scope, receive: Receive, send: Send) -> None:
        kept.append(send)
        await inner(scope, receive, send)

    srv = server()
    await srv.run(BaseHTTPMiddleware(keeping, passthrough))
    assert srv.sent[0]["type"] == "http.response.start"
    assert srv.sent[1:] == [chunk(b"direct"), chunk(b"end"), END]


@pytest.mark.anyio
async def test_an_app_cancelled_while_paused_in_an_outer_send(server: Any) -> None:
    """The app's deadline expires while the outer middleware passes its message on: the
    app's task raises it in the app, and the inner middleware does not resume it again."""
    kept: list[Send] = []
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)
        try:
            with anyio.fail_after(0.05):
                await kept[0](chunk(b"direct"))
        except TimeoutError:
            events.append("timed out in the outer send")
        await send(chunk(b"end", more=False))

    inner = BaseHTTPMiddleware(app, passthrough)

    async def keeping(scope: Scope, receive: Receive, send: Send) -> None:
        kept.append(send)
        await inner(scope, receive, send)

    async def slow_send(message: Message) -> None:
        if message.get("body") == b"direct":
            await anyio.sleep(0.2)
        srv.sent.append(message)

    srv = server()
    await srv.run(BaseHTTPMiddleware(keeping, passthrough), send=slow_send)
    assert events == ["timed out in the outer send"]
    assert bodies(srv.sent) == [b"direct", b"end", b""]


@pytest.mark.anyio
async def test_three_middlewares_around_an_app_that_waits(server: Any) -> None:
    seen: list[str] = []

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep(0)
        var.set("endpoint")
        await PlainTextResponse("ok")(scope, receive, send)

    app: ASGIApp = endpoint
    for name in ("inner", "middle", "outer"):

        async def dispatch(
            request: Request, call_next: RequestResponseEndpoint, name: str = name
        ) -> Response:
            response = await call_next(request)
            seen.append(f"{name}: {var.get()}")
            return response

        app = BaseHTTPMiddleware(app, dispatch)
    srv = server()
    await srv.run(app)
    assert bodies(srv.sent) == [b"ok", b""]
    assert seen == ["inner: endpoint", "middle: endpoint", "outer: endpoint"]


# ------------------------------------------------------------------ asyncio only


asyncio_only = pytest.mark.parametrize("anyio_backend", ["asyncio"])
F = TypeVar("F", bound=Callable[..., Any])


def defined_from(version: tuple[int, int]) -> Callable[[F], F]:
    """Define the test only on Python ``version`` and later (the outermost decorator).

    What it tests does not exist on older Pythons (there is nothing to skip or to install),
    so the test is not defined there, instead of being reported as skipped.
    """

    def keep(test: F) -> F:
        if sys.version_info >= version:
            return test
        return cast(F, None)

    return keep


inline_only = defined_from((3, 11))  # Python 3.10 runs the app in a task group


@inline_only
@pytest.mark.anyio
@asyncio_only
async def test_a_fast_app_needs_no_turn_of_the_event_loop(server: Any) -> None:
    turned: list[bool] = []
    asyncio.get_running_loop().call_soon(turned.append, True)
    srv = server()
    await srv.run(BaseHTTPMiddleware(PlainTextResponse("fast"), passthrough))
    assert bodies(srv.sent) == [b"fast", b""]
    assert turned == []  # no task switch happened: the app ran in dispatch's turn


@inline_only
@pytest.mark.anyio
@asyncio_only
async def test_the_app_is_stepped_as_its_own_asyncio_task(server: Any) -> None:
    tasks: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        tasks.append(asyncio.current_task())
        await PlainTextResponse("ok")(scope, receive, send)

    srv = server()
    await srv.run(BaseHTTPMiddleware(app, passthrough))
    assert tasks[0] is not asyncio.current_task()
    assert "coro=<BaseHTTPMiddleware.app()" in repr(tasks[0])
    await asyncio.sleep(0)  # its task ends at the next turn of the loop
    assert tasks[0].done()
    assert tasks[0].result() is None


@inline_only
@pytest.mark.anyio
@asyncio_only
async def test_an_asyncio_timeout_of_the_app_belongs_to_its_task(server: Any) -> None:
    events: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with asyncio.timeout(0.05):  # type: ignore[attr-defined,unused-ignore]
                await send(START)
        except TimeoutError:
            task: Any = asyncio.current_task()
            events.append(("timed out", task.cancelling()))
        await send(END)

    async def slow_send(message: Message) -> None:
        await asyncio.sleep(0.2)

    await server().run(BaseHTTPMiddleware(app, passthrough), send=slow_send)
    assert events == [("timed out", 0)]


@inline_only
@pytest.mark.anyio
@asyncio_only
async def test_a_task_factory_wrapping_coroutines_applies_to_the_apps_task(server: Any) -> None:
    """As instrumentation libraries do: the factory's wrapper awaits the task's coroutine."""
    loop = asyncio.get_running_loop()
    wrapped: list[str] = []

    def factory(loop: asyncio.AbstractEventLoop, coro: Any, **options: Any) -> Any:
        async def wrapper() -> Any:
            wrapped.append("start")
            try:
                return await coro
            finally:
                wrapped.append("end")

        return asyncio.Task(wrapper(), loop=loop, **options)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep(0)  # in its task, through the wrapper
        await PlainTextResponse("ok")(scope, receive, send)
        await anyio.sleep(0)

    srv = server()
    previous = loop.get_task_factory()
    loop.set_task_factory(factory)
    try:
        await srv.run(BaseHTTPMiddleware(app, passthrough))
    finally:
        loop.set_task_factory(previous)
    assert bodies(srv.sent) == [b"ok", b""]
    assert wrapped == ["start", "end"]


@defined_from((3, 12))  # eager task factories are Python 3.12's
@pytest.mark.anyio
@asyncio_only
@pytest.mark.parametrize("waits", [False, True])
async def test_an_eager_task_factory_starts_the_apps_task_at_once(
    server: Any, waits: bool
) -> None:  # pragma: no cover - coverage is measured on Python 3.11
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if waits:
            await anyio.sleep(0)
        await PlainTextResponse("ok")(scope, receive, send)

    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    loop.set_task_factory(asyncio.eager_task_factory)  # type: ignore[attr-defined,unused-ignore]
    try:
        srv = server()
        await srv.run(BaseHTTPMiddleware(app, passthrough))
    finally:
        loop.set_task_factory(previous)
    assert bodies(srv.sent) == [b"ok", b""]


def inline_downstream(app: ASGIApp) -> tuple[Downstream, Inline]:
    async def server_send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - nothing goes to the server directly

    loop = inline_loop()
    assert loop is not None
    downstream = Downstream(app, {"type": "http"}, nothing, server_send)
    return downstream, Inline(downstream, loop)


@inline_only
@pytest.mark.anyio
@asyncio_only
@pytest.mark.parametrize("wait_on", ["future", "bare yield"])
async def test_a_cancellation_racing_the_consumer_reaches_what_the_app_waits_on(
    wait_on: str,
) -> None:
    """The app's task is cancelled while the app is paused, but the consumer resumes the
    app before the task runs: the cancellation reaches what the app waits on next."""
    events: list[str] = []
    futures: list[asyncio.Future[None]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)
        try:
            if wait_on == "future":
                futures.append(asyncio.get_running_loop().create_future())
                await futures[0]
            else:
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            events.append("cancelled where it waits")
            raise

    downstream, inline = inline_downstream(app)
    assert await downstream.next_message() == START
    await asyncio.sleep(0)  # the app's task parks on its gate
    inline.task.cancel()  # the gate is cancelled: the task will raise it in the app
    assert await downstream.next_message() is None  # resumed by the consumer first
    assert events == ["cancelled where it waits"]
    assert all(future.cancelled() for future in futures)
    assert downstream.failure is None
    await asyncio.sleep(0)
    assert inline.task.cancelled()


@inline_only
@pytest.mark.anyio
@asyncio_only
async def test_the_apps_task_cancelled_before_its_first_step() -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send(START)
        except asyncio.CancelledError:
            events.append("cancelled in send")
            raise

    downstream, inline = inline_downstream(app)
    assert await downstream.next_message() == START
    downstream.cancel()  # before its task ever ran
    downstream.cancel()  # once is enough
    await downstream.join()
    assert events == ["cancelled in send"]
    await asyncio.sleep(0)
    assert inline.task.cancelled()


@inline_only
@pytest.mark.anyio
@asyncio_only
async def test_the_apps_task_after_the_app_returned() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)

    downstream, inline = inline_downstream(app)
    assert await downstream.next_message() == START
    await asyncio.sleep(0)  # parked on its gate while the app is paused
    assert await downstream.next_message() is None  # the app returned: its task ends
    carrier: Any = inline.task.get_coro()  # a coroutine (and its own iterator): it is over
    assert carrier.__await__() is carrier
    with pytest.raises(StopIteration):
        carrier.send(None)
    await asyncio.sleep(0)
    assert inline.task.done()
    downstream.cancel()  # too late: nothing happens
    assert not inline.task.cancelled()
