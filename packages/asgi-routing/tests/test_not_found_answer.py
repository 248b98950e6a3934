"""A router right inside an application's exception middleware answers its own 404.

Inside an application (``scope["app"]``) the router raises ``HTTPException(404)`` for the
application's handlers. When the exception layer calls this very router (the scope's
``EXCEPTION_APP``), the router has no middleware of its own, and the handlers would answer
with the default :func:`http_exception_handler`, the router sends that answer itself: the
same response through the same ``send``. In every other case it still raises. The
exception layer here is written out by hand, as the contract says (asgi-framework's
``ExceptionMiddleware`` is one).
"""

from __future__ import annotations

from typing import Any

import pytest

from asgi_core import HTTPException, Middleware
from asgi_core.scope_keys import APP, EXCEPTION_APP, EXCEPTION_HANDLERS
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_routing import Mount, Route, Router, http_exception_handler
from asgi_routing._exception_handling import answered_by_default

pytestmark = pytest.mark.anyio


async def custom(request: Any, exc: Exception) -> None:  # pragma: no cover - never called
    raise AssertionError


DEFAULTS: tuple[dict[Any, Any], dict[int, Any]] = ({HTTPException: http_exception_handler}, {})


async def ok(scope: Scope, receive: Receive, send: Send) -> None:  # pragma: no cover
    raise AssertionError("no route matches in these tests")


class Outcome:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.raised: BaseException | None = None


async def call(
    router: Router,
    handlers: tuple[dict[Any, Any], dict[int, Any]] = DEFAULTS,
    exception_app: Any = None,
    path: str = "/missing",
) -> Outcome:
    """Call ``router`` as an exception layer would that calls ``exception_app`` directly."""
    outcome = Outcome()
    scope: Scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": [],
        APP: object(),
        EXCEPTION_HANDLERS: handlers,
        EXCEPTION_APP: router if exception_app is None else exception_app,
    }

    async def receive() -> Message:  # pragma: no cover - nothing reads the body
        raise AssertionError

    async def send(message: Message) -> None:
        outcome.messages.append(message)

    try:
        await router(scope, receive, send)
    except HTTPException as exc:
        outcome.raised = exc
    return outcome


def answered(outcome: Outcome) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    start, body = outcome.messages
    return start["status"], start["headers"], body["body"]


async def test_the_default_answer_is_sent_without_raising() -> None:
    outcome = await call(Router([Route("/", ok)]))
    assert outcome.raised is None
    assert answered(outcome) == (
        404,
        [(b"content-length", b"9"), (b"content-type", b"text/plain; charset=utf-8")],
        b"Not Found",
    )


async def test_the_same_answer_as_the_raised_exception_gets() -> None:
    router = Router([Route("/", ok)])
    raised = await call(router, exception_app=object())
    assert isinstance(raised.raised, HTTPException)
    response = await http_exception_handler(None, raised.raised)  # type: ignore[arg-type]
    assert response is not None
    direct = await call(router)
    assert answered(direct)[::2] == (response.status_code, response.body)
    assert answered(direct)[1] == response.raw_headers


@pytest.mark.parametrize(
    "handlers",
    [
        pytest.param(({HTTPException: http_exception_handler}, {404: custom}), id="by-status"),
        pytest.param(({HTTPException: custom}, {}), id="by-class"),
        pytest.param(({}, {}), id="no-handler"),  # the error middleware's 500 then
    ],
)
async def test_other_handlers_get_the_exception(handlers: Any) -> None:
    outcome = await call(Router([Route("/", ok)]), handlers=handlers)
    assert isinstance(outcome.raised, HTTPException)
    assert (outcome.raised.status_code, outcome.messages) == (404, [])


async def test_a_default_registered_for_a_base_class_answers_too() -> None:
    # find_exception_handler walks the MRO: Exception's handler is HTTPException's then
    outcome = await call(
        Router([Route("/", ok)]), handlers=({Exception: http_exception_handler}, {})
    )
    assert (outcome.raised, answered(outcome)[0]) == (None, 404)


async def test_a_router_the_exception_layer_does_not_call_directly_raises() -> None:
    inner = Router([Route("/", ok)])
    outer = Router([Mount("/sub", app=inner)])
    outcome = await call(outer, path="/sub/missing")  # the inner router's 404
    assert isinstance(outcome.raised, HTTPException)


class Recorder:
    """Router middleware seeing what passes it."""

    def __init__(self, app: ASGIApp, seen: list[str]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except HTTPException as exc:
            self.seen.append(f"raised {exc.status_code}")
            raise


async def test_a_router_with_middleware_of_its_own_raises_through_it() -> None:
    seen: list[str] = []
    router = Router([Route("/", ok)], middleware=[Middleware(Recorder, seen=seen)])
    outcome = await call(router)
    assert isinstance(outcome.raised, HTTPException)
    assert seen == ["raised 404"]


def test_answered_by_default() -> None:
    assert answered_by_default(DEFAULTS, 404)
    assert answered_by_default(DEFAULTS, 405)
    assert not answered_by_default((DEFAULTS[0], {405: custom}), 405)
    assert answered_by_default((DEFAULTS[0], {405: custom}), 404)
    assert not answered_by_default(
        ({HTTPException: custom, Exception: http_exception_handler}, {}), 404
    )
    assert not answered_by_default(({ValueError: http_exception_handler}, {}), 404)
