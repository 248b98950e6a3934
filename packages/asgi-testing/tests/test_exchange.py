"""Applications that break the HTTP protocol get a clear error, never a hang."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_testing import ASGIProtocolError, TestClient
from asgi_testing._httpx import httpx

MakeClient = Callable[..., TestClient]


def test_no_response_at_all(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    with pytest.raises(ASGIProtocolError, match='returned without sending "http.response.start"'):
        make_client(app).get("/")


def test_two_response_starts(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.start", "status": 500, "headers": []})

    with pytest.raises(
        ASGIProtocolError, match=r'sent "http.response.start" twice.*first status 200, then 500'
    ):
        make_client(app).get("/")


def test_body_before_start(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.body", "body": b"x"})

    with pytest.raises(
        ASGIProtocolError, match='"http.response.body" before "http.response.start"'
    ):
        make_client(app).get("/")


def test_body_after_the_end(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})
        await send({"type": "http.response.body", "body": b"more"})

    with pytest.raises(ASGIProtocolError, match="after the response was complete"):
        make_client(app).get("/")


def test_unknown_message(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "websocket.accept"})

    with pytest.raises(
        ASGIProtocolError, match="'websocket.accept' message, which an HTTP connection"
    ):
        make_client(app).get("/")


def test_a_body_that_is_not_bytes(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": "text"})

    with pytest.raises(ASGIProtocolError, match="with a body of type str; it must be bytes"):
        make_client(app).get("/")


def test_debug_without_info(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.debug"})

    with pytest.raises(ASGIProtocolError, match='"http.response.debug" without "info"'):
        make_client(app).get("/")


def test_returning_in_the_middle_of_the_body(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x", "more_body": True})

    with pytest.raises(ASGIProtocolError, match="returned before finishing the response body"):
        make_client(app).get("/")


def test_an_app_that_never_answers_times_out_with_an_explanation(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await anyio.sleep_forever()

    with pytest.raises(httpx.ReadTimeout) as info:
        make_client(app, timeout=0.1).get("/")
    assert str(info.value) == (
        'The app did not send the response start ("http.response.start") within 0.1 seconds: '
        "it neither called receive() nor sent anything. The app was cancelled. Pass a larger "
        "timeout= (or timeout=None) if it is just slow."
    )


def test_waiting_for_disconnect_before_answering_is_explained(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await receive()

    with pytest.raises(
        httpx.ReadTimeout, match="read the whole request body and is waiting in receive"
    ):
        make_client(app, timeout=0.1).get("/")


def test_reading_part_of_the_body_then_stalling_is_explained(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await anyio.sleep_forever()

    with pytest.raises(httpx.ReadTimeout, match="received 1 request message"):
        make_client(app, timeout=0.1).post("/", content=iter([b"a", b"b"]))


def test_a_stalled_body_is_explained(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"abc", "more_body": True})
        await anyio.sleep_forever()

    with pytest.raises(
        httpx.ReadTimeout, match=r"sent the response start \(status 201\) and 3 body bytes"
    ):
        make_client(app, timeout=0.1).get("/")


def test_endless_background_work_times_out(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        await anyio.sleep_forever()

    with pytest.raises(httpx.ReadTimeout, match="did not return within 0.1 seconds"):
        make_client(app, timeout=0.1).get("/")


def test_protocol_errors_become_500_when_exceptions_are_not_raised(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.body", "body": b"x"})

    assert make_client(app, raise_server_exceptions=False).get("/").status_code == 500


def test_cancelled_before_it_starts() -> None:
    from asgi_testing._exchange import HTTPExchange

    ran: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        ran.append("started")
        await anyio.sleep(10)
        ran.append("finished")

    async def body() -> Any:
        yield b""

    async def main() -> None:
        exchange = HTTPExchange(
            app,
            {"type": "http"},
            body(),
            httpx.Request("GET", "http://x"),
            raise_server_exceptions=True,
        )
        exchange.cancel()
        await exchange.run()
        assert exchange.ended is False
        assert await exchange.wait_for_end(1)

    anyio.run(main)
    assert ran == ["started"]
