from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_middleware_bodylimit import (
    MAX_BODY_SIZE_SCOPE_KEY,
    RequestBodyLimitResponder,
)

Run = Callable[..., Awaitable[list[Message]]]
ScopeFactory = Callable[..., Scope]


@pytest.mark.anyio
async def test_a_responder_limits_one_request(run: Run, http_scope: ScopeFactory) -> None:
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope[MAX_BODY_SIZE_SCOPE_KEY])
        await receive()

    responder = RequestBodyLimitResponder(app, 3)
    sent = await run(responder, http_scope(), [b"abcd"])
    assert sent[0]["status"] == 413
    assert (responder.max_body_size, responder.received, responder.started) == (3, 4, False)
    assert seen == [3]


@pytest.mark.anyio
async def test_a_responder_counts_and_forwards(run: Run, http_scope: ScopeFactory) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    responder = RequestBodyLimitResponder(app, 3)
    assert await run(responder, http_scope(), [b"abc"]) == [
        {"type": "http.response.start", "status": 204, "headers": []},
        {"type": "http.response.body", "body": b""},
    ]
    assert (responder.received, responder.started) == (3, True)


@pytest.mark.anyio
async def test_a_responder_passes_other_scopes_on() -> None:
    got: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        got.append(scope["type"])

    async def receive() -> Message:
        raise AssertionError  # pragma: no cover - never called

    async def send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - never called

    await RequestBodyLimitResponder(app, 0)({"type": "websocket"}, receive, send)
    assert got == ["websocket"]


def test_a_responder_checks_its_limit() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError  # pragma: no cover - never called

    assert RequestBodyLimitResponder(app, None).max_body_size is None
    with pytest.raises(ValueError, match="received -5"):
        RequestBodyLimitResponder(app, -5)
    with pytest.raises(TypeError, match=r"received 2\.5 \(float\)"):
        RequestBodyLimitResponder(app, 2.5)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_a_refusal_the_server_cannot_take_reaches_the_app(
    run: Run, http_scope: ScopeFactory
) -> None:
    """A 413 replacing the start goes through the server's send; its error is the app's."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def receive() -> Message:
        raise AssertionError  # pragma: no cover - never called

    async def send(message: Message) -> None:
        raise OSError("client gone")

    scope = http_scope([(b"content-length", b"9")])
    with pytest.raises(OSError, match="client gone"):
        await RequestBodyLimitResponder(app, 1)(scope, receive, send)
    assert MAX_BODY_SIZE_SCOPE_KEY not in scope


@pytest.mark.anyio
async def test_an_error_after_the_refusal_was_sent_goes_no_further(
    run: Run, http_scope: ScopeFactory
) -> None:
    """The 413 went out in the app's place; the error the app then gets is its echo."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        except Exception:
            await receive()

    sent = await run(RequestBodyLimitResponder(app, 1), http_scope([(b"content-length", b"9")]))
    assert [message.get("status") for message in sent] == [413, None]
    assert sent[1]["body"] == b"Content Too Large"
