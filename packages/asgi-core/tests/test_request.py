from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from asgi_core import ClientDisconnect, HTTPException, InvalidJSONError, Request, UsageError
from asgi_core.requests import empty_receive, empty_send
from asgi_core.types import Message, Receive, Scope

pytestmark = pytest.mark.anyio

ScopeFactory = Callable[..., Scope]
ReceiveFactory = Callable[..., Receive]


def test_request_needs_http_scope(make_scope: ScopeFactory) -> None:
    with pytest.raises(UsageError, match="Request needs an 'http' scope, got a 'websocket' scope"):
        Request(make_scope(type="websocket"))


def test_request_method_and_receive(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    receive = body_receiver(b"x")
    request = Request(make_scope(method="PATCH"), receive)
    assert request.method == "PATCH"
    assert request.receive is receive


async def test_body_joins_chunks(make_scope: ScopeFactory, body_receiver: ReceiveFactory) -> None:
    request = Request(make_scope(), body_receiver(b"hello ", b"", b"world"))
    assert await request.body() == b"hello world"
    assert await request.body() == b"hello world"  # kept, not received again


async def test_body_single_chunk_and_empty(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    assert await Request(make_scope(), body_receiver(b"one")).body() == b"one"
    assert await Request(make_scope(), body_receiver()).body() == b""


async def test_stream_yields_chunks_then_empty(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    request = Request(make_scope(), body_receiver(b"a", b"b"))
    assert [chunk async for chunk in request.stream()] == [b"a", b"b", b""]
    with pytest.raises(RuntimeError, match=r"^Stream consumed$"):  # Starlette's message
        async for _ in request.stream():
            pass
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()


async def test_stream_after_body_replays_it(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    request = Request(make_scope(), body_receiver(b"a", b"b"))
    await request.body()
    assert [chunk async for chunk in request.stream()] == [b"ab", b""]


async def test_stream_ignores_unknown_messages(make_scope: ScopeFactory) -> None:
    messages: list[Message] = [
        {"type": "http.unknown"},
        {"type": "http.request", "body": b"x", "more_body": False},
    ]

    async def receive() -> Message:
        return messages.pop(0)

    assert await Request(make_scope(), receive).body() == b"x"


async def test_client_disconnect_while_reading(make_scope: ScopeFactory) -> None:
    messages: list[Message] = [
        {"type": "http.request", "body": b"partial", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Message:
        return messages.pop(0)

    request = Request(make_scope(), receive)
    with pytest.raises(ClientDisconnect):
        await request.body()
    assert await request.is_disconnected()


async def test_json(make_scope: ScopeFactory, body_receiver: ReceiveFactory) -> None:
    request = Request(make_scope(), body_receiver(b'{"a": [1, 2', b", 3]}"))
    assert await request.json() == {"a": [1, 2, 3]}
    assert await request.json() == {"a": [1, 2, 3]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "Expecting value"),
        (b"{not json}", "Expecting property name enclosed in double quotes"),
        (b'{"a": 1', "Expecting ',' delimiter"),
        (b"\xff\xfe\xfa", "Body is not valid UTF-8"),
        (b'{"n": ' + b"1" * 5000 + b"}", "Number with too many digits"),
        (b"[" * 100_000, "Arrays or objects nested too deeply"),
        (b'{"a":' * 100_000, "Arrays or objects nested too deeply"),
    ],
)
async def test_invalid_json_is_a_json_error_and_a_400(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory, body: bytes, message: str
) -> None:
    request = Request(make_scope(), body_receiver(body))
    with pytest.raises(json.JSONDecodeError) as info:
        await request.json()
    error = info.value
    assert isinstance(error, InvalidJSONError)
    assert isinstance(error, ValueError)
    assert isinstance(error, HTTPException)
    assert error.status_code == 400
    assert error.headers is None
    assert error.detail.startswith("Invalid JSON in request body: " + message)
    assert "line 1 column" in error.detail
    assert str(error) == f"400: {error.detail}"
    assert error.msg.startswith(message)


async def test_empty_channels(make_scope: ScopeFactory) -> None:
    request = Request(make_scope())
    with pytest.raises(RuntimeError, match="Receive channel has not been made available"):
        await request.body()
    with pytest.raises(RuntimeError, match="Send channel has not been made available"):
        await empty_send({})
    with pytest.raises(RuntimeError, match="Receive channel has not been made available"):
        await empty_receive()


async def test_is_disconnected_does_not_wait(make_scope: ScopeFactory) -> None:
    event = anyio.Event()

    async def receive() -> Message:
        await event.wait()
        raise AssertionError("never reached")

    request = Request(make_scope(), receive)
    with anyio.fail_after(1):
        assert not await request.is_disconnected()


async def test_is_disconnected_keeps_a_body_message(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    request = Request(make_scope(), body_receiver(b"first", b"second"))
    assert not await request.is_disconnected()
    assert not await request.is_disconnected()  # pending message still kept, nothing received
    assert await request.body() == b"firstsecond"
    assert await request.is_disconnected()
    assert await request.is_disconnected()


async def test_send_push_promise(make_scope: ScopeFactory) -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"accept", b"text/html"), (b"user-agent", b"ua"), (b"cookie", b"secret")]
    await Request(make_scope(headers=headers), send=send).send_push_promise("/style.css")
    assert sent == []  # the server does not offer the extension
    scope = make_scope(headers=headers, extensions={"http.response.push": {}})
    await Request(scope, send=send).send_push_promise("/style.css")
    assert sent == [
        {
            "type": "http.response.push",
            "path": "/style.css",
            "headers": [(b"accept", b"text/html"), (b"user-agent", b"ua")],
        }
    ]


async def test_send_early_hints(make_scope: ScopeFactory) -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await Request(make_scope(), send=send).send_early_hints("</a.css>; rel=preload")
    assert sent == []
    scope = make_scope(extensions={"http.response.early_hint": {}})
    await Request(scope, send=send).send_early_hints(
        "</a.css>; rel=preload", "</b.js>; rel=preload"
    )
    assert sent == [
        {
            "type": "http.response.early_hint",
            "links": [b"</a.css>; rel=preload", b"</b.js>; rel=preload"],
        }
    ]


async def test_form_without_form_content_type(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    request = Request(
        make_scope(headers=[(b"content-type", b"application/json")]), body_receiver(b"{}")
    )
    form = await request.form()
    assert form.multi_items() == []
    assert await request.form() is form
    await request.close()


async def test_form_urlencoded(make_scope: ScopeFactory, body_receiver: ReceiveFactory) -> None:
    scope = make_scope(
        method="POST",
        headers=[(b"content-type", b"application/x-www-form-urlencoded; charset=utf-8")],
    )
    request = Request(scope, body_receiver(b"a=1&b=hello+w", b"orld&a=%C3%A9"))
    async with request.form() as form:
        assert form.multi_items() == [("a", "1"), ("b", "hello world"), ("a", "é")]


async def test_form_multipart_as_context_manager_closes_files(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    body = (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="f"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"content\r\n"
        b"--B\r\n"
        b'Content-Disposition: form-data; name="t"\r\n\r\n'
        b"text\r\n"
        b"--B--\r\n"
    )
    scope = make_scope(
        method="POST", headers=[(b"content-type", b"multipart/form-data; boundary=B")]
    )
    request = Request(scope, body_receiver(body))
    async with request.form() as form:
        upload: Any = form["f"]
        assert await upload.read() == b"content"
        assert upload.content_type == "text/plain"
        assert form["t"] == "text"
    assert upload.file.closed


async def test_form_limits_are_passed_on(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    scope = make_scope(
        method="POST", headers=[(b"content-type", b"application/x-www-form-urlencoded")]
    )
    with pytest.raises(HTTPException) as info:
        await Request(scope, body_receiver(b"a=1&b=2&c=3")).form(max_fields=2)
    assert info.value.status_code == 400
    assert info.value.detail == "Too many fields. Maximum number of fields is 2."

    body = (
        b'--B\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\n'
        + b"x" * 100
        + b"\r\n--B--\r\n"
    )
    scope = make_scope(
        method="POST", headers=[(b"content-type", b"multipart/form-data; boundary=B")]
    )
    with pytest.raises(HTTPException) as info:
        await Request(scope, body_receiver(body)).form(max_file_size=10)
    assert info.value.detail == "File 'x' exceeded maximum size of 10 bytes."


async def test_stream_skips_empty_chunks(
    make_scope: ScopeFactory, body_receiver: ReceiveFactory
) -> None:
    request = Request(make_scope(), body_receiver(b"a", b"", b"b"))
    assert [chunk async for chunk in request.stream()] == [b"a", b"b", b""]
    await request.close()  # no form: nothing to close
