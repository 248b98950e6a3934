"""CompressMiddleware: zstd, br or gzip by the client's preference, streamed or whole."""

from __future__ import annotations

import sys
from typing import Any, Literal

import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_compress import CompressMiddleware
from asgi_testing import TestClient

pytestmark = pytest.mark.anyio

TEXT = [(b"content-type", b"application/json")]
DATA = b'{"items": [' + b", ".join(b'{"id": %d, "name": "item"}' % i for i in range(200)) + b"]}"


async def noop(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that never runs."""


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("gzip, deflate, br, zstd", b"zstd"),
        ("gzip, deflate, br", b"br"),
        ("gzip", b"gzip"),
        ("x-gzip", b"gzip"),
        ("br;q=0.5, gzip;q=0.9", b"gzip"),
        ("zstd;q=0.1, br;q=0.2, gzip;q=0.1", b"br"),
        ("*", b"zstd"),
        ("*;q=0.5, br", b"br"),
        ("zstd;q=0, *", b"br"),
        ("ZSTD;Q=1", b"zstd"),
        ("gzip;q=1.000, br;q=1", b"br"),
    ],
)
async def test_negotiation(kit: Any, accept: str, expected: bytes) -> None:
    app = kit.sender(kit.start(headers=TEXT), kit.body(DATA))
    first, second = await kit.drive(CompressMiddleware(app), accept)
    assert first["headers"] == [
        *TEXT,
        (b"vary", b"Accept-Encoding"),
        (b"content-encoding", expected),
        (b"content-length", str(len(second["body"])).encode()),
    ]
    assert kit.decode(expected, second["body"]) == DATA


@pytest.mark.parametrize(
    "accept", [None, "", "identity", "deflate", "gzip;q=0, br;q=0, zstd;q=0", "*;q=0", "gzip;q=2"]
)
async def test_nothing_acceptable_sends_the_body_as_is_with_vary(
    kit: Any, accept: str | None
) -> None:
    app = kit.sender(kit.start(headers=TEXT), kit.body(DATA))
    first, second = await kit.drive(CompressMiddleware(app), accept)
    assert first["headers"] == [*TEXT, (b"vary", b"Accept-Encoding")]
    assert second["body"] == DATA


async def test_the_order_of_preference_is_configurable(kit: Any) -> None:
    app = kit.sender(kit.start(headers=TEXT), kit.body(DATA))
    middleware = CompressMiddleware(app, encodings=["gzip", "br"])
    assert middleware.available_encodings == ("gzip", "br")
    first, _ = await kit.drive(middleware, "zstd, br, gzip")
    assert kit.header(first, b"content-encoding") == b"gzip"
    first, _ = await kit.drive(middleware, "zstd")
    assert kit.header(first, b"content-encoding") is None


@pytest.mark.parametrize("encoding", [b"zstd", b"br", b"gzip"])
async def test_each_streamed_chunk_decodes_on_arrival(kit: Any, encoding: bytes) -> None:
    chunks = [b"event: tick\ndata: %d\n\n" % i for i in range(5)]
    app = kit.sender(
        kit.start(headers=[*TEXT, (b"content-length", b"100")]),
        *(kit.body(chunk, more=True) for chunk in chunks),
        kit.body(b""),
    )
    first, *bodies = await kit.drive(CompressMiddleware(app), encoding.decode())
    assert first["headers"] == [
        *TEXT,
        (b"vary", b"Accept-Encoding"),
        (b"content-encoding", encoding),
    ]
    decompress = kit.decompressor(encoding)
    for chunk, message in zip([*chunks, b""], bodies, strict=False):
        assert decompress(message["body"]) == chunk
    assert bodies[-1].get("more_body", False) is False


@pytest.mark.parametrize(
    ("encoding", "option"),
    [(b"zstd", "zstd_level"), (b"br", "brotli_quality"), (b"gzip", "gzip_level")],
)
async def test_levels_change_the_output(kit: Any, encoding: bytes, option: str) -> None:
    data = bytes(range(256)) * 64 + DATA * 4
    app = kit.sender(kit.start(headers=TEXT), kit.body(data))
    sizes = []
    for level in (1, 9):
        options: dict[str, Any] = {option: level}
        _, second = await kit.drive(CompressMiddleware(app, **options), encoding.decode())
        assert kit.decode(encoding, second["body"]) == data
        sizes.append(len(second["body"]))
    assert sizes[0] != sizes[1]


async def test_the_same_exclusions_as_gzip(kit: Any) -> None:
    for headers, status, method in [
        ([(b"content-type", b"text/event-stream")], 200, "GET"),
        ([(b"content-type", b"application/grpc+proto")], 200, "GET"),
        ([*TEXT, (b"content-encoding", b"gzip")], 200, "GET"),
        (TEXT, 206, "GET"),
        (TEXT, 200, "HEAD"),
    ]:
        app = kit.sender(kit.start(status, headers=headers), kit.body(DATA))
        first, second = await kit.drive(CompressMiddleware(app), "br", method=method)
        assert first["headers"] == headers
        assert second["body"] == DATA
    pathsend = {"type": "http.response.pathsend", "path": "/a"}
    sent = await kit.drive(CompressMiddleware(kit.sender(kit.start(headers=TEXT), pathsend)), "br")
    assert sent == [kit.start(headers=TEXT), pathsend]
    small = kit.sender(kit.start(headers=TEXT), kit.body(b"{}"))
    first, _ = await kit.drive(CompressMiddleware(small, minimum_size=3), "zstd")
    assert first["headers"] == TEXT


async def test_other_scopes_pass(kit: Any) -> None:
    sent = await kit.drive(
        CompressMiddleware(kit.sender({"type": "websocket.accept"})), "br", type="websocket"
    )
    assert sent == [{"type": "websocket.accept"}]


def block(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make ``import name`` fail as if the extra were not installed."""
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


async def test_missing_extras_fall_back_to_gzip(kit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    block(monkeypatch, "brotli", "compression.zstd", "backports.zstd")
    app = kit.sender(kit.start(headers=TEXT), kit.body(DATA))
    middleware = CompressMiddleware(app)
    assert middleware.available_encodings == ("gzip",)
    first, _second = await kit.drive(middleware, "zstd, br, gzip")
    assert kit.header(first, b"content-encoding") == b"gzip"
    first, _ = await kit.drive(middleware, "zstd, br")
    assert kit.header(first, b"content-encoding") is None
    only_missing = CompressMiddleware(app, encodings=("br", "zstd"))
    assert only_missing.available_encodings == ("gzip",)


async def test_a_missing_brotli_leaves_zstd_and_gzip(
    kit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    block(monkeypatch, "brotli")
    middleware = CompressMiddleware(kit.sender(kit.start(headers=TEXT), kit.body(DATA)))
    assert middleware.available_encodings == ("zstd", "gzip")
    first, _ = await kit.drive(middleware, "br, gzip;q=0.5")
    assert kit.header(first, b"content-encoding") == b"gzip"


def test_defaults() -> None:
    middleware = CompressMiddleware(noop)
    assert middleware.minimum_size == 500
    assert middleware.encodings == ("zstd", "br", "gzip")
    assert (middleware.gzip_level, middleware.brotli_quality, middleware.zstd_level) == (6, 4, 3)
    assert middleware.thread_minimum_size == 131072
    assert "text/event-stream" in middleware.exclude_content_types


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"encodings": "br"}, TypeError, "encodings must be a sequence of content codings"),
        ({"encodings": {"br"}}, TypeError, "encodings must be a sequence"),
        ({"encodings": ()}, ValueError, r"at least one of them, got \(\)"),
        ({"encodings": ("br", "deflate")}, ValueError, "got \\('br', 'deflate'\\)"),
        ({"encodings": ("br", "br")}, ValueError, "at most once"),
        (
            {"zstd_level": 20},
            ValueError,
            "zstd_level must be from 1 to 19, got 20 \\(browsers refuse",
        ),
        ({"brotli_quality": 12}, ValueError, "brotli_quality must be from 0 to 11, got 12"),
        ({"gzip_level": -2}, ValueError, "gzip_level must be from -1 to 9"),
        ({"minimum_size": 1.5}, TypeError, "minimum_size must be an int"),
        ({"exclude_content_types": b"text/html"}, TypeError, "collection of media types"),
    ],
)
def test_bad_settings_are_refused(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        CompressMiddleware(noop, **options)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_round_trip_through_the_test_client(backend: Literal["asyncio", "trio"]) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": TEXT})
        await send({"type": "http.response.body", "body": DATA})

    with TestClient(CompressMiddleware(app), backend=backend) as client:
        for accept in ("gzip", "br"):
            response = client.get("/", headers={"accept-encoding": accept})
            assert response.headers["content-encoding"] == accept
            assert response.content == DATA
