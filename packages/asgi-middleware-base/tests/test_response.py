"""The response call_next returns: attributes, body iterator, what it sends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_base import AsyncContentStream, BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_middleware_base._response import BodyIterator
from asgi_responses import Response

START: Message = {"type": "http.response.start", "status": 200, "headers": [(b"a", b"1")]}
END: Message = {"type": "http.response.body", "body": b"", "more_body": False}


def sends(*messages: Message) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in messages:
            copy = dict(message)
            if "headers" in copy:
                copy["headers"] = list(copy["headers"])
            await send(copy)

    return app


async def passthrough(request: Request, call_next: RequestResponseEndpoint) -> Response:
    return await call_next(request)


def changing(change: Callable[[Any], None]) -> Any:
    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        change(response)
        return response

    return dispatch


@pytest.mark.anyio
async def test_the_response_has_starlettes_attributes(server: Any) -> None:
    seen: dict[str, Any] = {}

    def look(response: Any) -> None:
        seen.update(
            kind=isinstance(response, Response),
            status=response.status_code,
            headers=list(response.raw_headers),
            media_type=response.media_type,
            info=response.info,
            background=response.background,
            iterator=isinstance(response.body_iterator, BodyIterator),
        )
        response.status_code = 202
        response.set_cookie("session", "abc")
        response.headers["content-type"] = "text/x"

    srv = server()
    await srv.run(BaseHTTPMiddleware(sends(START, END), changing(look)))
    assert seen == {
        "kind": True,
        "status": 200,
        "headers": [(b"a", b"1")],
        "media_type": None,
        "info": None,
        "background": None,
        "iterator": True,
    }
    assert srv.sent[0] == {
        "type": "http.response.start",
        "status": 202,
        "headers": [
            (b"a", b"1"),
            (b"set-cookie", b"session=abc; Path=/; SameSite=lax"),
            (b"content-type", b"text/x"),
        ],
    }


@pytest.mark.anyio
async def test_the_apps_headers_list_is_not_changed(server: Any) -> None:
    """Starlette adds the middleware's headers to the list the app sent (a list the app
    may reuse for every response); here the response has a copy."""
    shared = [(b"a", b"1")]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": shared})
        await send(END)

    await server().run(BaseHTTPMiddleware(app, changing(lambda r: r.headers.append("b", "2"))))
    assert shared == [(b"a", b"1")]


@pytest.mark.anyio
async def test_debug_information_is_kept_and_sent_first(server: Any, http_scope: Any) -> None:
    debug: Message = {"type": "http.response.debug", "info": {"template": "t.html"}}
    infos: list[Any] = []
    srv = server()
    scope = http_scope(extensions={"http.response.debug": {}})
    await srv.run(
        BaseHTTPMiddleware(sends(debug, START, END), changing(lambda r: infos.append(r.info))),
        scope,
    )
    assert infos == [{"template": "t.html"}]
    assert srv.sent[0] == debug
    assert srv.sent[1]["type"] == "http.response.start"


@pytest.mark.anyio
async def test_other_messages_of_the_body_are_passed_on(server: Any) -> None:
    zerocopy: Message = {"type": "http.response.zerocopy", "file": None, "more_body": True}
    srv = server()
    await srv.run(BaseHTTPMiddleware(sends(START, zerocopy, END), passthrough))
    assert srv.sent == [START, zerocopy, END]


@pytest.mark.anyio
async def test_pathsend_is_passed_on_and_ends_the_response(server: Any) -> None:
    pathsend: Message = {"type": "http.response.pathsend", "path": "/srv/file.txt"}
    srv = server()
    await srv.run(BaseHTTPMiddleware(sends(START, pathsend), passthrough))
    assert srv.sent == [START, pathsend]


@pytest.mark.anyio
async def test_trailers_are_left_out_as_starlettes(server: Any) -> None:
    trailers: Message = {"type": "http.response.trailers", "headers": [], "more_trailers": False}
    srv = server()
    await srv.run(
        BaseHTTPMiddleware(sends({**START, "trailers": True}, END, trailers), passthrough)
    )
    assert srv.sent == [START, END]


@pytest.mark.anyio
async def test_a_last_body_with_data_is_sent_then_an_empty_end(server: Any) -> None:
    srv = server()
    await srv.run(
        BaseHTTPMiddleware(sends(START, {"type": "http.response.body", "body": b"z"}), passthrough)
    )
    assert srv.sent == [START, {"type": "http.response.body", "body": b"z", "more_body": True}, END]


@pytest.mark.anyio
async def test_a_replaced_body_iterator_may_yield_str_memoryview_and_messages(server: Any) -> None:
    zerocopy: Message = {"type": "http.response.zerocopy", "file": None, "more_body": True}

    class Chunks:  # an async iterable without aclose()
        def __aiter__(self) -> AsyncIterator[Any]:
            return self.chunks()

        async def chunks(self) -> AsyncIterator[Any]:
            for chunk in ("é", memoryview(b"mv"), zerocopy):
                yield chunk

    def replace(response: Any) -> None:
        response.body_iterator = Chunks()

    srv = server()
    await srv.run(BaseHTTPMiddleware(sends(START, END), changing(replace)))
    assert srv.sent[1:] == [
        {"type": "http.response.body", "body": "é".encode(), "more_body": True},
        {"type": "http.response.body", "body": memoryview(b"mv"), "more_body": True},
        zerocopy,
        END,
    ]


@pytest.mark.anyio
async def test_a_wrapping_generator_changes_the_body(server: Any) -> None:
    def upper(response: Any) -> None:
        original: AsyncContentStream = response.body_iterator

        async def body() -> AsyncIterator[bytes]:
            async for chunk in original:
                assert isinstance(chunk, bytes)
                yield chunk.upper()

        response.body_iterator = body()

    srv = server()
    app = sends(START, {"type": "http.response.body", "body": b"ab", "more_body": True}, END)
    await srv.run(BaseHTTPMiddleware(app, changing(upper)))
    assert [message.get("body") for message in srv.sent[1:]] == [b"AB", b""]


@pytest.mark.anyio
async def test_the_body_iterator_can_be_closed_and_stays_closed(server: Any) -> None:
    iterators: list[BodyIterator] = []

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response: Any = await call_next(request)
        iterator = response.body_iterator
        assert isinstance(iterator, BodyIterator)
        assert iterator.__aiter__() is iterator
        assert await iterator.__anext__() == b"a"
        await iterator.aclose()
        iterators.append(iterator)
        return Response("after close")

    srv = server()
    app = sends(START, {"type": "http.response.body", "body": b"a", "more_body": True}, END)
    await srv.run(BaseHTTPMiddleware(app, dispatch))
    with pytest.raises(StopAsyncIteration):
        await iterators[0].__anext__()
    assert srv.sent[1]["body"] == b"after close"


@pytest.mark.anyio
async def test_a_client_gone_at_the_start_reaches_the_app(server: Any) -> None:
    raised: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in (START, END):
            try:
                await send(message)
            except OSError as exc:
                raised.append(str(exc))

    async def send(message: Message) -> None:
        raise OSError("gone at the start")

    await server().run(BaseHTTPMiddleware(app, passthrough), send=send)
    assert raised == ["gone at the start", "gone at the start"]
