from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from asgi_core import HTTPException
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_bodylimit import (
    MAX_BODY_SIZE_SCOPE_KEY,
    InvalidContentLength,
    RequestBodyLimitMiddleware,
    RequestBodyTooLarge,
)
from asgi_responses import PlainTextResponse
from asgi_testing import TestClient

Run = Callable[..., Awaitable[list[Message]]]
ScopeFactory = Callable[..., Scope]

TOO_LARGE: list[Message] = [
    {
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-length", b"17"), (b"content-type", b"text/plain; charset=utf-8")],
    },
    {"type": "http.response.body", "body": b"Content Too Large"},
]


def reader(seen: list[Any] | None = None, *, catch: bool = False, respond: bool = True) -> ASGIApp:
    """An app that reads the whole body (noting what it got) and answers ``got N``."""
    log: list[Any] = [] if seen is None else seen

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        log.append(("limit", scope.get(MAX_BODY_SIZE_SCOPE_KEY, "absent")))
        body = b""
        try:
            while True:
                message = await receive()
                log.append(len(message.get("body", b"")))
                body += message.get("body", b"")
                if not message.get("more_body", False):
                    break
        except HTTPException as exc:
            log.append(exc)
            if not catch:
                raise
        if respond:
            await PlainTextResponse(f"got {len(body)}")(scope, receive, send)

    return app


def ok(size: int) -> list[Message]:
    text = f"got {size}".encode()
    return [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-length", str(len(text)).encode()),
                (b"content-type", b"text/plain; charset=utf-8"),
            ],
        },
        {"type": "http.response.body", "body": text},
    ]


def declared(size: int) -> list[tuple[bytes, bytes]]:
    return [(b"content-length", str(size).encode())]


@pytest.mark.anyio
async def test_declared_length_at_the_limit_passes(run: Run, http_scope: ScopeFactory) -> None:
    app = RequestBodyLimitMiddleware(reader(), 10)
    assert await run(app, http_scope(declared(10)), [b"x" * 10]) == ok(10)


@pytest.mark.anyio
async def test_declared_length_one_over_is_refused_before_reading(
    run: Run, http_scope: ScopeFactory
) -> None:
    seen: list[Any] = []
    reads = 0

    async def counting(scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            nonlocal reads
            reads += 1
            return await receive()

        await RequestBodyLimitMiddleware(reader(seen), 10)(scope, counted, send)

    assert await run(counting, http_scope(declared(11)), [b"x" * 11]) == TOO_LARGE
    assert reads == 0  # nothing was read from the server
    assert seen[0] == ("limit", 10)
    assert isinstance(seen[1], RequestBodyTooLarge)


@pytest.mark.anyio
async def test_streamed_body_at_the_limit_passes(run: Run, http_scope: ScopeFactory) -> None:
    app = RequestBodyLimitMiddleware(reader(), 10)
    assert await run(app, http_scope(), [b"x" * 4, b"x" * 6, b""]) == ok(10)


@pytest.mark.anyio
async def test_streamed_body_is_refused_at_the_chunk_crossing_the_limit(
    run: Run, http_scope: ScopeFactory
) -> None:
    seen: list[Any] = []
    app = RequestBodyLimitMiddleware(reader(seen), 10)
    assert await run(app, http_scope(), [b"x" * 4, b"x" * 6, b"x", b"x" * 5]) == TOO_LARGE
    assert seen[1:3] == [4, 6]
    assert isinstance(seen[3], RequestBodyTooLarge)


@pytest.mark.anyio
async def test_a_body_longer_than_declared_is_counted(run: Run, http_scope: ScopeFactory) -> None:
    app = RequestBodyLimitMiddleware(reader(), 10)
    assert await run(app, http_scope(declared(5)), [b"x" * 5, b"x" * 6]) == TOO_LARGE


@pytest.mark.anyio
async def test_limit_zero_takes_only_an_empty_body(run: Run, http_scope: ScopeFactory) -> None:
    app = RequestBodyLimitMiddleware(reader(), 0)
    assert await run(app, http_scope(declared(0)), [b""]) == ok(0)
    assert await run(app, http_scope(), [b"x"]) == TOO_LARGE


@pytest.mark.anyio
async def test_none_is_no_limit(run: Run, http_scope: ScopeFactory) -> None:
    seen: list[Any] = []
    app = RequestBodyLimitMiddleware(reader(seen), None)
    assert app.max_body_size is None
    assert await run(app, http_scope(declared(100_000)), [b"x" * 100_000]) == ok(100_000)
    assert seen[0] == ("limit", None)


@pytest.mark.anyio
@pytest.mark.parametrize("limit", [10, None])
@pytest.mark.parametrize("value", [b"-1", b"abc", b"5, 6"])
async def test_an_invalid_content_length_is_a_400(
    run: Run, value: bytes, limit: int | None, http_scope: ScopeFactory
) -> None:
    seen: list[Any] = []
    app = RequestBodyLimitMiddleware(reader(seen), limit)
    start, body = await run(app, http_scope([(b"content-length", value)]), [b"x"])
    assert start["status"] == 400
    assert start["headers"][1] == (b"content-type", b"text/plain; charset=utf-8")
    assert body["body"].startswith(
        b"Invalid Content-Length header: " if b"," not in value else b"Conflicting"
    )
    assert isinstance(seen[1], InvalidContentLength)
    assert seen[1].detail.encode() == body["body"]


def test_an_invalid_content_length_is_a_400_through_a_client(
    client: Callable[..., TestClient],
) -> None:
    response = client(RequestBodyLimitMiddleware(reader(), 10)).post(
        "/", content=b"x", headers={"content-length": "-1"}
    )
    assert response.status_code == 400
    assert response.text == (
        "Invalid Content-Length header: '-1'. It must be the body size in bytes, written "
        "with the digits 0-9 only (no sign, no spaces inside)."
    )


def test_declared_and_streamed_bodies_through_a_client(
    client: Callable[..., TestClient],
) -> None:
    test_client = client(RequestBodyLimitMiddleware(reader(), 10))
    assert test_client.post("/", content=b"x" * 10).text == "got 10"
    response = test_client.post("/", content=b"x" * 11)
    assert (response.status_code, response.text) == (413, "Content Too Large")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"

    def chunks(sizes: list[int]) -> Any:
        for size in sizes:
            yield b"x" * size

    assert test_client.post("/", content=chunks([5, 5])).text == "got 10"
    response = test_client.post("/", content=chunks([5, 5, 1]))
    assert (response.status_code, response.text) == (413, "Content Too Large")


def start_only(sent_after: list[Any]) -> ASGIApp:
    """An app that answers without reading the body, and tries to go on after a refusal."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        except Exception as exc:
            sent_after.append(type(exc).__name__)
        try:
            await send({"type": "http.response.body", "body": b"more"})
        except Exception as exc:
            sent_after.append(type(exc).__name__)
            raise

    return app


@pytest.mark.anyio
async def test_an_app_that_does_not_read_still_gets_the_413_for_a_declared_length(
    run: Run, http_scope: ScopeFactory
) -> None:
    seen: list[Any] = []
    app = RequestBodyLimitMiddleware(start_only(seen), 10)
    assert await run(app, http_scope(declared(11), method="GET"), [b""]) == TOO_LARGE
    assert seen == ["_ResponseSent", "_ResponseSent"]  # every later send is refused


@pytest.mark.anyio
async def test_an_app_that_does_not_read_a_streamed_body_answers_itself(
    run: Run, http_scope: ScopeFactory
) -> None:
    seen: list[Any] = []
    app = RequestBodyLimitMiddleware(start_only(seen), 10)
    sent = await run(app, http_scope(), [b"x" * 50])
    assert sent == [
        {"type": "http.response.start", "status": 200, "headers": []},
        {"type": "http.response.body", "body": b"more"},
    ]
    assert seen == []


@pytest.mark.anyio
async def test_an_app_answering_the_413_itself_is_replaced_for_a_declared_length(
    run: Run, http_scope: ScopeFactory
) -> None:
    """As Starlette: the start is checked against the declared length, whoever sends it."""
    app = RequestBodyLimitMiddleware(reader(catch=True), 10)
    assert await run(app, http_scope(declared(11)), [b"x" * 11]) == TOO_LARGE


@pytest.mark.anyio
async def test_an_app_catching_a_streamed_413_answers_itself(
    run: Run, http_scope: ScopeFactory
) -> None:
    app = RequestBodyLimitMiddleware(reader(catch=True), 10)
    assert await run(app, http_scope(), [b"x" * 5, b"x" * 6]) == ok(5)
    silent = RequestBodyLimitMiddleware(reader(catch=True, respond=False), 10)
    assert await run(silent, http_scope(), [b"x" * 5, b"x" * 6]) == []


@pytest.mark.anyio
async def test_crossing_the_limit_after_the_start_raises(
    run: Run, http_scope: ScopeFactory
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        while (await receive()).get("more_body", False):
            pass

    sent: list[Message] = []
    with pytest.raises(RequestBodyTooLarge):
        sent = await run(RequestBodyLimitMiddleware(app, 10), http_scope(), [b"x" * 6] * 2)
    assert sent == []  # run() did not return; the start went out, nothing else


@pytest.mark.anyio
async def test_receive_keeps_refusing_after_the_limit(run: Run, http_scope: ScopeFactory) -> None:
    errors: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert (await receive())["more_body"] is True
        for _ in range(2):
            try:
                await receive()
            except RequestBodyTooLarge as exc:
                errors.append(exc)
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        await run(RequestBodyLimitMiddleware(app, 10), http_scope(), [b"x" * 6] * 3)
    assert len(errors) == 2
    assert errors[0] is not errors[1]


@pytest.mark.anyio
async def test_other_errors_and_the_apps_own_413_pass_through(
    run: Run, http_scope: ScopeFactory
) -> None:
    async def own(scope: Scope, receive: Receive, send: Send) -> None:
        raise HTTPException(413, "mine")

    with pytest.raises(HTTPException, match="mine"):
        await run(RequestBodyLimitMiddleware(own, 10), http_scope())

    async def imitation(scope: Scope, receive: Receive, send: Send) -> None:
        raise RequestBodyTooLarge()

    with pytest.raises(RequestBodyTooLarge):
        await run(RequestBodyLimitMiddleware(imitation, 10), http_scope())


def handled(app: ASGIApp) -> ASGIApp:
    """A stand-in for an exception middleware with a 413 handler."""

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        except HTTPException as exc:
            await PlainTextResponse(f"handled {exc.status_code}", exc.status_code)(
                scope, receive, send
            )

    return handler


@pytest.mark.anyio
async def test_an_exception_handler_answers_a_streamed_413(
    run: Run, http_scope: ScopeFactory
) -> None:
    app = RequestBodyLimitMiddleware(handled(reader()), 10)
    sent = await run(app, http_scope(), [b"x" * 11])
    assert sent[1]["body"] == b"handled 413"
    sent = await run(app, http_scope(declared(11)), [b"x" * 11])
    assert sent == TOO_LARGE  # as Starlette: a declared length over the limit is always 413


@pytest.mark.anyio
async def test_the_scope_key_is_set_while_the_app_runs_and_restored_after(
    run: Run, http_scope: ScopeFactory
) -> None:
    seen: list[Any] = []
    app = RequestBodyLimitMiddleware(reader(seen), 10)
    scope = http_scope()
    await run(app, scope, [b"x"])
    assert seen[0] == ("limit", 10)
    assert MAX_BODY_SIZE_SCOPE_KEY not in scope
    assert [key for key in scope if "bodylimit" in key] == []
    scope[MAX_BODY_SIZE_SCOPE_KEY] = 3  # a value of someone else's is put back
    assert await run(app, scope, [b"x" * 5]) == ok(5)
    assert scope[MAX_BODY_SIZE_SCOPE_KEY] == 3


@pytest.mark.anyio
@pytest.mark.parametrize("headers", [(), declared(50)])
async def test_the_innermost_limit_wins(
    run: Run, headers: list[tuple[bytes, bytes]], http_scope: ScopeFactory
) -> None:
    seen: list[Any] = []
    larger = RequestBodyLimitMiddleware(RequestBodyLimitMiddleware(reader(seen), 100), 10)
    assert await run(larger, http_scope(headers), [b"x" * 50]) == ok(50)
    assert seen[0] == ("limit", 100)
    smaller = RequestBodyLimitMiddleware(RequestBodyLimitMiddleware(reader(), 10), 100)
    assert await run(smaller, http_scope(headers), [b"x" * 50]) == TOO_LARGE
    lifted = RequestBodyLimitMiddleware(RequestBodyLimitMiddleware(reader(), None), 10)
    assert await run(lifted, http_scope(headers), [b"x" * 50]) == ok(50)


@pytest.mark.anyio
async def test_an_inner_limit_is_undone_when_its_app_returns(
    run: Run, http_scope: ScopeFactory
) -> None:
    """A limit inside holds only while its app runs; the outer one counts every byte."""
    limits: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        async def inner(scope: Scope, receive: Receive, send: Send) -> None:
            limits.append(scope[MAX_BODY_SIZE_SCOPE_KEY])
            assert len((await receive())["body"]) == 8

        await RequestBodyLimitMiddleware(inner, 100)(scope, receive, send)
        limits.append(scope[MAX_BODY_SIZE_SCOPE_KEY])
        await receive()  # 8 + 3 bytes > 10: the outer limit is back

    sent = await run(RequestBodyLimitMiddleware(app, 10), http_scope(), [b"x" * 8, b"x" * 3])
    assert sent == TOO_LARGE
    assert limits == [100, 10]


def replaying(app: ASGIApp) -> ASGIApp:
    """A middleware that reads the whole body first, then gives ``app`` all of it again."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, send)

    return middleware


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("outer", "middle", "inner", "expected"),
    [
        (10, None, 5, TOO_LARGE),  # the route's limit applies to a body read before
        (10, 5, None, TOO_LARGE),  # a router's limit too
        (10, 5, 10, ok(6)),  # the innermost limit in force when the body is read wins
        (5, None, 10, TOO_LARGE),  # the outer limit refused the first read already
    ],
)
async def test_an_inner_limit_counts_a_body_delivered_again(
    run: Run,
    http_scope: ScopeFactory,
    outer: int,
    middle: int | None,
    inner: int | None,
    expected: list[Message],
) -> None:
    """A middleware inside the outer limit read the body; the inner limits count it again."""
    app = reader()
    if inner is not None:
        app = RequestBodyLimitMiddleware(app, inner)
    if middle is not None:
        app = RequestBodyLimitMiddleware(app, middle)
    app = RequestBodyLimitMiddleware(replaying(app), outer)
    assert await run(app, http_scope(), [b"123", b"456"]) == expected


@pytest.mark.anyio
async def test_the_error_echoing_an_answered_refusal_goes_no_further(
    run: Run, http_scope: ScopeFactory
) -> None:
    """The 413 replaced the app's start; the app then reads the body and gets the error."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        except Exception:
            await receive()

    inner = RequestBodyLimitMiddleware(app, 1)
    assert await run(RequestBodyLimitMiddleware(inner, 100), http_scope(declared(9))) == (TOO_LARGE)


@pytest.mark.anyio
@pytest.mark.parametrize("scope_type", ["websocket", "lifespan"])
async def test_other_scopes_pass_through_untouched(scope_type: str) -> None:
    got: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        got.extend([scope, receive, send])

    async def receive() -> Message:
        raise AssertionError  # pragma: no cover - never called

    async def send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - never called

    scope: Scope = {"type": scope_type}
    await RequestBodyLimitMiddleware(app, 0)(scope, receive, send)
    assert got == [{"type": scope_type}, receive, send]


@pytest.mark.anyio
@pytest.mark.parametrize("nested", [False, True])
async def test_disconnect_and_other_messages_pass_through(
    run: Run, http_scope: ScopeFactory, nested: bool
) -> None:
    received: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        received.append(await receive())
        received.append(await receive())
        await send({"type": "http.response.early_hint", "links": [b"</a>; rel=preload"]})

    limited = RequestBodyLimitMiddleware(app, 10)
    if nested:
        limited = RequestBodyLimitMiddleware(limited, 100)
    sent = await run(limited, http_scope(), [b"abc"])
    assert received == [
        {"type": "http.request", "body": b"abc", "more_body": False},
        {"type": "http.disconnect"},
    ]
    assert sent == [{"type": "http.response.early_hint", "links": [b"</a>; rel=preload"]}]


def test_max_body_size_is_checked_at_configuration_time() -> None:
    with pytest.raises(TypeError, match=r"received '10' \(str\)"):
        RequestBodyLimitMiddleware(reader(), "10")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="received -1"):
        RequestBodyLimitMiddleware(reader(), -1)
