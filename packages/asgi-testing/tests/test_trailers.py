"""Response trailers (the ``http.response.trailers`` extension), as Starlette exposes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_testing import ASGIProtocolError, AsyncTestClient, TestClient
from asgi_testing._httpx import httpx

MakeClient = Callable[..., TestClient]
TRAILERS = "http.response.trailers"


def start(trailers: bool = True) -> Message:
    return {"type": "http.response.start", "status": 200, "headers": [], "trailers": trailers}


def body(content: bytes = b"x", more: bool = False) -> Message:
    return {"type": "http.response.body", "body": content, "more_body": more}


def trailers(headers: list[Any], more: bool = False) -> Message:
    return {"type": TRAILERS, "headers": headers, "more_trailers": more}


def sending(*messages: Message) -> Callable[[Scope, Receive, Send], Any]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in messages:
            await send(message)

    return app


def test_the_scope_offers_trailers(make_client: MakeClient) -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)
        await sending(start(False), body())(scope, receive, send)

    response = make_client(app).get("/")
    assert seen[0]["extensions"][TRAILERS] == {}
    assert TRAILERS not in response.extensions  # none declared, none exposed


def test_trailers_are_exposed_in_the_response_extensions(make_client: MakeClient) -> None:
    app = sending(
        start(),
        body(b"a", more=True),
        body(b"b"),
        trailers([(b"x-checksum", b"abc"), (b"X-Other", b"1")], more=True),
        trailers([[b"x-last", b"2"]]),
    )
    response = make_client(app).get("/")
    assert response.content == b"ab"
    # as sent and in order, several messages joined (Starlette's shape)
    assert response.extensions[TRAILERS] == [
        (b"x-checksum", b"abc"),
        (b"X-Other", b"1"),
        [b"x-last", b"2"],
    ]
    head = make_client(app).head("/")
    assert head.content == b""
    assert head.extensions[TRAILERS] == [
        (b"x-checksum", b"abc"),
        (b"X-Other", b"1"),
        [b"x-last", b"2"],
    ]


def test_trailers_arrive_after_the_body_when_streaming(make_client: MakeClient) -> None:
    app = sending(start(), body(b"a", more=True), body(b"b"), trailers([(b"t", b"1")]))
    with make_client(app).stream("GET", "/") as response:
        assert response.extensions[TRAILERS] == []
        chunks = response.iter_raw()
        assert next(chunks) == b"a"
        assert next(chunks) == b"b"
        assert response.extensions[TRAILERS] == []
        assert list(chunks) == []
        assert response.extensions[TRAILERS] == [(b"t", b"1")]


def test_incomplete_trailer_sequences_are_accepted(make_client: MakeClient) -> None:
    # declared but never sent, or the last one still announcing more: what arrived counts
    assert make_client(sending(start(), body())).get("/").extensions[TRAILERS] == []
    app = sending(start(), body(), trailers([(b"a", b"1")], more=True))
    assert make_client(app).get("/").extensions[TRAILERS] == [(b"a", b"1")]
    app = sending(start(), body(), {"type": TRAILERS})
    assert make_client(app).get("/").extensions[TRAILERS] == []


def test_disconnect_comes_after_the_last_trailers(make_client: MakeClient) -> None:
    import anyio

    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send(start())
        await send(body())
        with anyio.move_on_after(0.05):
            seen.append((await receive())["type"])
        await send(trailers([(b"a", b"1")]))
        seen.append((await receive())["type"])

    make_client(app).get("/")
    assert seen == ["http.disconnect"]  # only once the trailers completed the response


@pytest.mark.parametrize(
    ("messages", "error"),
    [
        ((start(False), body(), trailers([])), "without declaring trailers"),
        ((trailers([]),), "without declaring trailers"),
        ((start(), trailers([])), "before the body was complete"),
        ((start(), body(more=True), trailers([])), "before the body was complete"),
        ((start(), body(), trailers([]), trailers([])), "after the response was complete"),
        ((start(), body(), trailers([]), body()), "after the response was complete"),
        ((start(), body(), trailers([], more=True), body()), "after the body was complete"),
        ((start(), body(), body()), "after the body was complete"),
    ],
)
def test_invalid_trailer_sequences(
    make_client: MakeClient, messages: tuple[Message, ...], error: str
) -> None:
    with pytest.raises(ASGIProtocolError, match=error):
        make_client(sending(*messages)).get("/")
    # like any app error after the response started: the response as far as it got
    response = make_client(sending(*messages), raise_server_exceptions=False).get("/")
    assert response.status_code in (200, 500)


def test_stalled_trailers_are_explained(make_client: MakeClient) -> None:
    import anyio

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(start())
        await send(body(b"abc"))
        await anyio.sleep_forever()

    with pytest.raises(httpx.ReadTimeout) as info:
        make_client(app, timeout=0.1).get("/")
    assert str(info.value).startswith(
        'The app did not send the response trailers ("http.response.trailers") within 0.1 '
        'seconds: it sent the whole body (3 bytes) but not the last "http.response.trailers"'
    )


@pytest.mark.anyio
async def test_async_client_exposes_trailers() -> None:
    app = sending(start(), body(b"a"), trailers([(b"t", b"1")]))
    response = await AsyncTestClient(app).get("/")
    assert response.extensions[TRAILERS] == [(b"t", b"1")]
    async with AsyncTestClient(app) as client, client.stream("GET", "/") as streamed:
        assert await streamed.aread() == b"a"
        assert streamed.extensions[TRAILERS] == [(b"t", b"1")]
