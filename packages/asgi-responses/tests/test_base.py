from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

import asgi_responses._base as base_module
from asgi_core import BackgroundTask
from asgi_core.types import Message, Scope
from asgi_responses import Response
from asgi_testing import TestClient, WebSocketDenialResponse

pytestmark = pytest.mark.anyio

HTTP: Scope = {"type": "http", "method": "GET", "headers": []}


async def call(response: Response, scope: Scope = HTTP) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}  # pragma: no cover - never called

    async def send(message: Message) -> None:
        sent.append(message)

    await response(scope, receive, send)
    return sent


async def test_plain_bytes_response() -> None:
    messages = await call(Response(b"hello", media_type="application/octet-stream"))
    assert messages == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", b"5"), (b"content-type", b"application/octet-stream")],
        },
        {"type": "http.response.body", "body": b"hello"},
    ]


@pytest.mark.parametrize(
    ("content", "body"),
    [(None, b""), ("héllo", "héllo".encode()), (b"raw", b"raw"), (memoryview(b"mv"), b"mv")],
)
def test_render(content: Any, body: bytes) -> None:
    assert bytes(Response(content).body) == body


@pytest.mark.parametrize(
    "view",
    [
        memoryview(array("i", [1, 2, 3])),
        memoryview(bytes(range(12))).cast("i", [3, 1]),
        memoryview(array("i", [1, 2, 3, 4]))[::2],
    ],
)
def test_content_length_of_wide_memoryviews_counts_bytes(view: memoryview) -> None:
    response = Response(view)
    assert bytes(response.body) == view.tobytes()
    assert response.raw_headers == [(b"content-length", b"%d" % view.nbytes)]


@pytest.mark.parametrize(
    "view",
    [
        memoryview(b"abcdef")[::2],
        memoryview(b"abcdef")[::-1],
        memoryview(array("i", [1, 2, 3, 4]))[::2],  # typed and strided
    ],
)
def test_non_contiguous_memoryviews_become_bytes(view: memoryview) -> None:
    # servers write only contiguous buffers: a strided view is copied, not sent as it is
    response = Response(view)
    assert type(response.body) is bytes
    assert response.body == view.tobytes()
    assert response.raw_headers == [(b"content-length", b"%d" % view.nbytes)]


def test_contiguous_byte_memoryviews_are_sent_as_they_are() -> None:
    view = memoryview(bytearray(b"abcdef"))[1:4]
    assert Response(view).body is view
    typed = memoryview(array("b", [1, 2]))  # signed bytes: one byte each
    assert Response(typed).body is typed


def test_str_subclasses_are_encoded() -> None:
    class Name(str):
        pass

    assert Response(Name("zoë")).body == "zoë".encode()


def test_no_media_type_no_content_type() -> None:
    assert Response("x").raw_headers == [(b"content-length", b"1")]


def test_text_media_types_get_a_charset() -> None:
    assert (b"content-type", b"text/csv; charset=utf-8") in Response(
        "x", media_type="text/csv"
    ).raw_headers
    given = Response("x", media_type="text/csv; Charset=latin-1").raw_headers
    assert (b"content-type", b"text/csv; Charset=latin-1") in given


def test_custom_charset() -> None:
    class Latin1(Response):
        media_type = "text/plain"
        charset = "latin-1"

    response = Latin1("é")
    assert response.body == b"\xe9"
    assert (b"content-type", b"text/plain; charset=latin-1") in response.raw_headers


@pytest.mark.parametrize("status", [100, 101, 199, 204, 304])
def test_no_content_length_for_bodyless_statuses(status: int) -> None:
    names = [name for name, _ in Response(status_code=status).raw_headers]
    assert b"content-length" not in names


def test_given_headers_win() -> None:
    response = Response(
        "body",
        headers={"Content-Length": "99", "Content-Type": "x/y", "X-A": "1"},
        media_type="text/plain",
    )
    assert response.raw_headers == [
        (b"content-length", b"99"),
        (b"content-type", b"x/y"),
        (b"x-a", b"1"),
    ]


def test_headers_view_writes_through() -> None:
    response = Response("x")
    response.headers["x-extra"] = "1"
    assert (b"x-extra", b"1") in response.raw_headers
    assert response.headers is response.headers


def test_subclass_overriding_render_and_init_headers() -> None:
    class Upper(Response):
        media_type = "text/plain"

        def render(self, content: Any) -> bytes:
            return str(content).upper().encode()

    assert Upper("abc").body == b"ABC"

    class Tagged(Response):
        def init_headers(self, headers: Any = None) -> None:
            super().init_headers(headers)
            self.raw_headers.append((b"x-tag", b"yes"))

    assert (b"x-tag", b"yes") in Tagged("x").raw_headers


def test_set_cookie_and_delete_cookie() -> None:
    response = Response()
    response.set_cookie(
        "session",
        "abc",
        max_age=10,
        domain="example.org",
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie("old")
    cookies = [value.decode() for name, value in response.raw_headers if name == b"set-cookie"]
    assert (
        cookies[0]
        == "session=abc; Domain=example.org; HttpOnly; Max-Age=10; Path=/; SameSite=strict; Secure"
    )
    assert cookies[1].startswith('old=""; expires=')
    assert cookies[1].endswith("; Max-Age=0; Path=/; SameSite=lax")


def test_delete_a_partitioned_cookie() -> None:
    # a Partitioned cookie is only removed by a Set-Cookie that is Partitioned too
    response = Response()
    response.delete_cookie("chip", secure=True, samesite="none", partitioned=True)
    [value] = [v for k, v in response.raw_headers if k == b"set-cookie"]
    assert value.startswith(b'chip=""; expires=')
    assert value.endswith(b"; Max-Age=0; Partitioned; Path=/; SameSite=none; Secure")


async def test_background_runs_after_the_body() -> None:
    order: list[str] = []

    async def send_marker() -> None:
        order.append("background")

    sent = await call(Response("x", background=BackgroundTask(send_marker)))
    order.insert(0, f"{len(sent)} messages sent")
    assert order == ["2 messages sent", "background"]


async def test_websocket_scope_sends_a_denial() -> None:
    messages = await call(Response("nope", status_code=403), {"type": "websocket", "headers": []})
    assert [m["type"] for m in messages] == [
        "websocket.http.response.start",
        "websocket.http.response.body",
    ]
    assert messages[1]["body"] == b"nope"


def test_denial_through_the_test_client(client_for: Callable[..., TestClient]) -> None:
    client = client_for(lambda scope: Response("go away", status_code=401, media_type="text/plain"))
    with pytest.raises(WebSocketDenialResponse) as info:
        with client.websocket_connect("/ws"):
            pass  # pragma: no cover - denied
    assert info.value.status_code == 401
    assert info.value.text == "go away"


def test_content_type_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # media types may come from requests: the cache must stop growing at its bound
    cache: dict[Any, Any] = {}
    monkeypatch.setattr(base_module, "_CONTENT_TYPES", cache)
    bound = base_module._CONTENT_TYPES_MAX
    for number in range(bound + 50):
        response = Response("x", media_type=f"text/x-{number}")
        assert response.raw_headers[1] == (
            b"content-type",
            f"text/x-{number}; charset=utf-8".encode(),
        )
    assert len(cache) == bound
    assert ("text/x-0", "utf-8") in cache
    assert (f"text/x-{bound}", "utf-8") not in cache


def test_class_attributes_may_change_after_the_class_is_made() -> None:
    class Text(Response):
        media_type: ClassVar[str | None] = "text/plain"

    assert Text("x").raw_headers[1] == (b"content-type", b"text/plain; charset=utf-8")
    Text.charset = "latin-1"
    assert Text("é").raw_headers == [
        (b"content-length", b"1"),
        (b"content-type", b"text/plain; charset=latin-1"),
    ]
    Text.media_type = "text/markdown"
    assert Text("x").raw_headers[1] == (b"content-type", b"text/markdown; charset=latin-1")
    Text.media_type = None
    assert Text("x").raw_headers == [(b"content-length", b"1")]
