"""The one-message handoff between the application's task and the consumer."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_middleware_base._downstream import Downstream

START: Message = {"type": "http.response.start", "status": 200, "headers": []}


def body(chunk: bytes, more: bool = True) -> Message:
    return {"type": "http.response.body", "body": chunk, "more_body": more}


async def nothing() -> Message:
    raise AssertionError  # pragma: no cover - never called


@pytest.mark.anyio
async def test_one_message_at_a_time_and_sends_return_once_passed_on() -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in (START, body(b"a"), body(b"b", more=False)):
            await send(message)
            events.append(f"app: sent {message['type']} {message.get('body', b'')!r}")

    async def server_send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - nothing goes to the server directly

    downstream = Downstream(app, {"type": "http"}, nothing, server_send)
    async with anyio.create_task_group() as task_group:
        task_group.start_soon(downstream.run)
        for _ in range(3):
            message = await downstream.next_message()
            assert message is not None
            await anyio.sleep(0.01)  # the app waits meanwhile
            events.append(f"consumer: took {message['type']} {message.get('body', b'')!r}")
        downstream.close()
    assert events == [
        "consumer: took http.response.start b''",
        "app: sent http.response.start b''",
        "consumer: took http.response.body b'a'",
        "app: sent http.response.body b'a'",
        "consumer: took http.response.body b'b'",
        "app: sent http.response.body b'b'",
    ]
    assert downstream.finished
    assert await downstream.next_message() is None
    assert await downstream.next_message() is None  # and again: it stays ended


@pytest.mark.anyio
async def test_two_tasks_of_the_app_sending_take_turns() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_chunk(chunk: bytes) -> None:
            await send(body(chunk))

        await send(START)
        async with anyio.create_task_group() as task_group:
            for chunk in (b"1", b"2", b"3"):
                task_group.start_soon(send_chunk, chunk)

    async def server_send(message: Message) -> None:
        raise AssertionError  # pragma: no cover

    downstream = Downstream(app, {"type": "http"}, nothing, server_send)
    got: list[bytes] = []
    async with anyio.create_task_group() as task_group:
        task_group.start_soon(downstream.run)
        assert await downstream.next_message() == START
        while (message := await downstream.next_message()) is not None:
            got.append(message["body"])
    assert sorted(got) == [b"1", b"2", b"3"]


@pytest.mark.anyio
async def test_hints_before_the_start_go_to_the_server() -> None:
    to_server: list[Message] = []
    hint: Message = {"type": "http.response.early_hint", "links": [b"</a>; rel=preload"]}
    push: Message = {"type": "http.response.push", "path": "/a", "headers": []}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(hint)
        await send(push)
        await send(START)
        await send(hint)  # after the start it is the consumer's

    async def server_send(message: Message) -> None:
        to_server.append(message)

    downstream = Downstream(app, {"type": "http"}, nothing, server_send)
    async with anyio.create_task_group() as task_group:
        task_group.start_soon(downstream.run)
        assert await downstream.next_message() == START
        assert await downstream.next_message() == hint
        assert await downstream.next_message() is None
    assert to_server == [hint, push]


@pytest.mark.anyio
async def test_after_close_sends_return_and_after_client_gone_they_raise() -> None:
    outcomes: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)
        await send(body(b"dropped"))
        outcomes.append("dropped send returned")
        await gone.wait()
        for _ in range(2):
            try:
                await send(body(b"x"))
            except OSError as exc:
                outcomes.append(exc)

    async def server_send(message: Message) -> None:
        raise AssertionError  # pragma: no cover

    gone = anyio.Event()
    error = OSError("client gone")
    downstream = Downstream(app, {"type": "http"}, nothing, server_send)
    async with anyio.create_task_group() as task_group:
        task_group.start_soon(downstream.run)
        assert await downstream.next_message() == START
        downstream.close()
        await anyio.sleep(0.01)
        downstream.client_gone(error)
        gone.set()
    assert outcomes == ["dropped send returned", error, error]


@pytest.mark.anyio
async def test_the_pending_send_raises_when_the_client_is_gone() -> None:
    raised: list[BaseException] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send(START)
        except OSError as exc:
            raised.append(exc)
            raise

    async def server_send(message: Message) -> None:
        raise AssertionError  # pragma: no cover

    error = OSError("client gone")
    downstream = Downstream(app, {"type": "http"}, nothing, server_send)
    async with anyio.create_task_group() as task_group:
        task_group.start_soon(downstream.run)
        assert await downstream.next_message() == START
        downstream.client_gone(error)
    assert raised == [error]
    assert downstream.take_failure() is error
    assert downstream.take_failure() is None  # taken once


@pytest.mark.anyio
async def test_a_cancelled_app_is_not_a_failure() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(START)

    async def server_send(message: Message) -> None:
        raise AssertionError  # pragma: no cover

    downstream = Downstream(app, {"type": "http"}, nothing, server_send)
    async with anyio.create_task_group() as task_group:
        task_group.start_soon(downstream.run)
        assert await downstream.next_message() == START
        task_group.cancel_scope.cancel()
    assert downstream.finished
    assert downstream.failure is None
    assert await downstream.next_message() is None
