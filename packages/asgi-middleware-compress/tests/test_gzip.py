"""GZipMiddleware against raw ASGI apps: Starlette 1.10's messages, and its known flaws fixed."""

from __future__ import annotations

import gzip
import zlib
from typing import Any, Literal

import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_middleware_compress import (
    DEFAULT_EXCLUDED_CONTENT_TYPES,
    GZipMiddleware,
    GZipResponder,
    IdentityResponder,
    unattached_send,
)
from asgi_testing import TestClient

pytestmark = pytest.mark.anyio

TEXT = [(b"content-type", b"text/plain; charset=utf-8")]
BIG = b"x" * 600


async def noop(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that never runs."""


def gzipped(data: bytes, level: int = 9) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


async def test_a_whole_body_is_compressed_with_starlettes_headers_and_bytes(kit: Any) -> None:
    app = kit.sender(kit.start(headers=[*TEXT, (b"content-length", b"600")]), kit.body(BIG))
    first, second = await kit.drive(GZipMiddleware(app))
    assert first == {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", b"27"),
            (b"vary", b"Accept-Encoding"),
            (b"content-encoding", b"gzip"),
        ],
    }
    assert second == {"type": "http.response.body", "body": gzipped(BIG)}
    assert gzip.decompress(second["body"]) == BIG


async def test_content_length_is_added_after_content_encoding_when_absent(kit: Any) -> None:
    app = kit.sender(kit.start(), kit.body(BIG))
    first, _ = await kit.drive(GZipMiddleware(app))
    assert first["headers"][1:] == [
        (b"vary", b"Accept-Encoding"),
        (b"content-encoding", b"gzip"),
        (b"content-length", b"27"),
    ]


@pytest.mark.parametrize("level", [-1, 0, 1, 6, 9])
async def test_compresslevel(kit: Any, level: int) -> None:
    data = bytes(range(256)) * 40
    app = kit.sender(kit.start(), kit.body(data))
    _, second = await kit.drive(GZipMiddleware(app, compresslevel=level))
    assert second["body"] == gzipped(data, level)


@pytest.mark.parametrize(("size", "compressed"), [(499, False), (500, True)])
async def test_minimum_size_applies_to_a_whole_body(kit: Any, size: int, compressed: bool) -> None:
    app = kit.sender(kit.start(headers=[*TEXT, (b"vary", b"Origin")]), kit.body(b"y" * size))
    first, second = await kit.drive(GZipMiddleware(app))
    assert (kit.header(first, b"content-encoding") == b"gzip") is compressed
    # a small body is the same for every client: no Vary: Accept-Encoding
    assert kit.header(first, b"vary") == (b"Origin, Accept-Encoding" if compressed else b"Origin")
    assert (second["body"] == b"y" * size) is not compressed


async def test_minimum_size_zero_compresses_an_empty_body(kit: Any) -> None:
    first, second = await kit.drive(
        GZipMiddleware(kit.sender(kit.start(), kit.body()), minimum_size=0)
    )
    assert kit.header(first, b"content-length") == b"20"
    assert gzip.decompress(second["body"]) == b""


@pytest.mark.parametrize("accept", [None, "", "identity", "br", "gzip;q=0", "notgzip"])
async def test_a_client_not_accepting_gzip_gets_vary_on_a_compressible_body(
    kit: Any, accept: str | None
) -> None:
    app = kit.sender(kit.start(headers=[*TEXT, (b"content-length", b"600")]), kit.body(BIG))
    first, second = await kit.drive(GZipMiddleware(app), accept)
    assert first["headers"] == [*TEXT, (b"content-length", b"600"), (b"vary", b"Accept-Encoding")]
    assert second == {"type": "http.response.body", "body": BIG}


async def test_a_client_not_accepting_gzip_gets_no_vary_on_a_small_body(kit: Any) -> None:
    app = kit.sender(kit.start(), kit.body(b"small"))
    first, _ = await kit.drive(GZipMiddleware(app), None)
    assert first["headers"] == TEXT


@pytest.mark.parametrize(
    "accept", ["gzip", "GZIP", "x-gzip", "*", "deflate, gzip;q=0.5", "br;q=1, gzip;q=0.001"]
)
async def test_accept_encoding_forms_that_accept_gzip(kit: Any, accept: str) -> None:
    first, _ = await kit.drive(GZipMiddleware(kit.sender(kit.start(), kit.body(BIG))), accept)
    assert kit.header(first, b"content-encoding") == b"gzip"


async def test_accept_encoding_field_lines_are_combined(kit: Any) -> None:
    app = GZipMiddleware(kit.sender(kit.start(), kit.body(BIG)))
    first, _ = await kit.drive(app, "gzip", headers=[(b"accept-encoding", b"br")])
    assert kit.header(first, b"content-encoding") == b"gzip"


@pytest.mark.parametrize(
    "content_type",
    [
        b"text/event-stream",
        b"Text/Event-Stream; charset=utf-8",
        b"application/grpc",
        b"application/grpc+proto",
        b"APPLICATION/GRPC;x=1",
        b"image/png",
        b"\timage/png ;q=1",
        b"video/mp4",
        b"video",
        b"audio/ogg",
        b"font/woff2",
        b"application/zip",
    ],
)
async def test_excluded_content_types_pass_untouched(kit: Any, content_type: bytes) -> None:
    headers = [(b"content-type", content_type)]
    for accept in ("gzip", None):
        first, second = await kit.drive(
            GZipMiddleware(kit.sender(kit.start(headers=headers), kit.body(BIG))), accept
        )
        assert first["headers"] == headers
        assert second["body"] == BIG


@pytest.mark.parametrize(
    "content_type",
    [b"application/grpc-web", b"image/svg+xml", b"text/event-streamx", b"videox/a", b"text/\xe9"],
)
async def test_near_misses_of_excluded_types_are_compressed(kit: Any, content_type: bytes) -> None:
    app = kit.sender(kit.start(headers=[(b"content-type", content_type)]), kit.body(BIG))
    first, _ = await kit.drive(GZipMiddleware(app))
    assert kit.header(first, b"content-encoding") == b"gzip"


async def test_only_the_first_content_type_counts(kit: Any) -> None:
    headers = [(b"content-type", b"text/plain"), (b"content-type", b"image/png")]
    first, _ = await kit.drive(
        GZipMiddleware(kit.sender(kit.start(headers=headers), kit.body(BIG)))
    )
    assert kit.header(first, b"content-encoding") == b"gzip"


async def test_no_content_type_is_compressed_unless_the_empty_type_is_excluded(kit: Any) -> None:
    app = kit.sender(kit.start(headers=[]), kit.body(BIG))
    first, _ = await kit.drive(GZipMiddleware(app))
    assert kit.header(first, b"content-encoding") == b"gzip"
    first, _ = await kit.drive(GZipMiddleware(app, exclude_content_types=("",)))
    assert first["headers"] == []


async def test_exclude_content_types_replaces_the_defaults(kit: Any) -> None:
    middleware = GZipMiddleware(
        kit.sender(), exclude_content_types=["Text/HTML; charset=x ", "text/*"]
    )
    assert middleware.exclude_content_types == ("text/html", "text/*")
    for content_type, compressed in [
        (b"text/html", False),
        (b"text/css", False),
        (b"text", False),
        (b"text/event-stream", False),
        (b"image/png", True),
        (b"application/grpc+proto", True),
    ]:
        app = kit.sender(kit.start(headers=[(b"content-type", content_type)]), kit.body(BIG))
        first, _ = await kit.drive(
            GZipMiddleware(app, exclude_content_types=middleware.exclude_content_types)
        )
        assert (kit.header(first, b"content-encoding") is not None) is compressed, content_type


@pytest.mark.parametrize("encoding", [b"br", b"identity", b"", b"gzip"])
async def test_a_body_with_a_content_encoding_passes_untouched(kit: Any, encoding: bytes) -> None:
    headers = [*TEXT, (b"Content-Encoding", encoding)]
    first, second = await kit.drive(
        GZipMiddleware(kit.sender(kit.start(headers=headers), kit.body(BIG)))
    )
    assert first["headers"] == headers
    assert second["body"] == BIG


@pytest.mark.parametrize("status", [204, 206, 304])
async def test_statuses_without_a_whole_representation_pass_untouched(
    kit: Any, status: int
) -> None:
    app = kit.sender(kit.start(status, headers=[*TEXT, (b"etag", b'"a"')]), kit.body(BIG))
    first, second = await kit.drive(GZipMiddleware(app, minimum_size=0))
    assert first == kit.start(status, headers=[*TEXT, (b"etag", b'"a"')])
    assert second["body"] == BIG


async def test_head_requests_pass_untouched(kit: Any) -> None:
    headers = [*TEXT, (b"content-length", b"600")]
    for data in (b"", BIG):
        app = kit.sender(kit.start(headers=headers), kit.body(data))
        first, second = await kit.drive(GZipMiddleware(app), method="HEAD")
        assert first["headers"] == headers
        assert second["body"] == data


@pytest.mark.parametrize("kind", ["websocket", "lifespan"])
async def test_other_scopes_pass_untouched(kit: Any, kind: str) -> None:
    seen: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        message = {"type": f"{kind}.anything"}
        seen.append(message)
        await send(message)

    sent = await kit.drive(GZipMiddleware(app), type=kind)
    assert sent == seen
    assert sent[0] is seen[0]


async def test_a_stream_is_compressed_chunk_by_chunk_with_a_flush_each(kit: Any) -> None:
    chunks = [b"data: 1\n\n", b"data: 22\n\n", b"", b"data: 333\n\n"]
    app = kit.sender(
        kit.start(headers=[*TEXT, (b"content-length", b"40")]),
        *(kit.body(chunk, more=True) for chunk in chunks),
        kit.body(b"end"),
    )
    first, *bodies = await kit.drive(GZipMiddleware(app))
    assert first["headers"] == [
        *TEXT,
        (b"vary", b"Accept-Encoding"),
        (b"content-encoding", b"gzip"),
    ]
    decompress = kit.decompressor(b"gzip")
    for chunk, message in zip([*chunks, b"end"], bodies, strict=False):
        assert decompress(message["body"]) == chunk  # readable as soon as it arrives
    assert [m.get("more_body", False) for m in bodies] == [True] * 4 + [False]
    reference = zlib.compressobj(9, zlib.DEFLATED, 31)
    expected = [reference.compress(c) + reference.flush(zlib.Z_SYNC_FLUSH) for c in chunks]
    expected.append(reference.compress(b"end") + reference.flush())
    assert [m["body"] for m in bodies] == expected  # Starlette's bytes


async def test_a_small_first_chunk_still_starts_a_compressed_stream(kit: Any) -> None:
    app = kit.sender(kit.start(), kit.body(b"a", more=True), kit.body(b""))
    first, one, two = await kit.drive(GZipMiddleware(app))
    assert kit.header(first, b"content-encoding") == b"gzip"
    assert gzip.decompress(one["body"] + two["body"]) == b"a"


async def test_a_stream_to_a_client_not_accepting_gzip(kit: Any) -> None:
    app = kit.sender(
        kit.start(headers=[*TEXT, (b"content-length", b"2")]),
        kit.body(b"a", more=True),
        kit.body(b"b"),
    )
    first, one, two = await kit.drive(GZipMiddleware(app), None)
    assert first["headers"] == [*TEXT, (b"content-length", b"2"), (b"vary", b"Accept-Encoding")]
    assert (one["body"], two["body"]) == (b"a", b"b")


async def test_trailers_pass_and_no_content_length_is_set(kit: Any) -> None:
    trailers = {
        "type": "http.response.trailers",
        "headers": [(b"x-sum", b"1")],
        "more_trailers": False,
    }
    app = kit.sender(
        kit.start(headers=[*TEXT, (b"content-length", b"600")], trailers=True),
        kit.body(BIG),
        trailers,
    )
    first, second, third = await kit.drive(GZipMiddleware(app))
    assert first == kit.start(
        headers=[*TEXT, (b"vary", b"Accept-Encoding"), (b"content-encoding", b"gzip")],
        trailers=True,
    )
    assert gzip.decompress(second["body"]) == BIG
    assert third == trailers


async def test_trailers_after_a_stream(kit: Any) -> None:
    trailers = {"type": "http.response.trailers", "headers": []}
    app = kit.sender(
        kit.start(trailers=True), kit.body(b"a" * 10, more=True), kit.body(b"b"), trailers
    )
    *_, last = await kit.drive(GZipMiddleware(app))
    assert last == trailers


async def test_pathsend_and_zerocopy_pass_with_the_start_unchanged(kit: Any) -> None:
    for message in (
        {"type": "http.response.pathsend", "path": "/srv/a.txt"},
        {"type": "http.response.zerocopy", "file": 3},
    ):
        app = kit.sender(kit.start(headers=[*TEXT, (b"content-length", b"600")]), message)
        assert await kit.drive(GZipMiddleware(app)) == [
            kit.start(headers=[*TEXT, (b"content-length", b"600")]),
            message,
        ]


async def test_debug_messages_pass(kit: Any) -> None:
    debug = {"type": "http.response.debug", "info": {"template": "x"}}
    app = kit.sender(debug, kit.start(), debug, kit.body(BIG))
    sent = await kit.drive(GZipMiddleware(app))
    assert [m["type"] for m in sent] == [
        "http.response.debug",
        "http.response.debug",
        "http.response.start",
        "http.response.body",
    ]


async def test_debug_messages_pass_in_the_middle_of_a_stream(kit: Any) -> None:
    debug = {"type": "http.response.debug", "info": {}}
    app = kit.sender(kit.start(), kit.body(b"a", more=True), debug, kit.body(b"b"))
    _, one, middle, two = await kit.drive(GZipMiddleware(app))
    assert middle == debug
    assert gzip.decompress(one["body"] + two["body"]) == b"ab"


async def test_headers_may_be_any_iterable_and_the_apps_list_is_not_changed(kit: Any) -> None:
    shared = [(b"content-type", b"text/plain")]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": tuple(shared)})
        await send({"type": "http.response.start", "status": 200, "headers": shared})

    sent = await kit.drive(GZipMiddleware(app))
    assert shared == [(b"content-type", b"text/plain")]
    assert sent[0]["type"] == "http.response.start"  # a second start is the server's to refuse


async def test_the_apps_messages_are_not_changed(kit: Any) -> None:
    start_message = kit.start()
    body_message = kit.body(BIG)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(start_message)
        await send(body_message)

    await kit.drive(GZipMiddleware(app))
    assert start_message == kit.start()
    assert body_message == kit.body(BIG)


async def test_a_start_without_headers(kit: Any) -> None:
    app = kit.sender({"type": "http.response.start", "status": 200}, kit.body(BIG))
    first, _ = await kit.drive(GZipMiddleware(app))
    assert first["headers"] == [
        (b"vary", b"Accept-Encoding"),
        (b"content-encoding", b"gzip"),
        (b"content-length", b"27"),
    ]


async def test_extra_message_keys_are_kept(kit: Any) -> None:
    app = kit.sender(
        kit.start(extra=1), kit.body(b"a", more=True, extra=2), kit.body(b"b", extra=3)
    )
    first, one, two = await kit.drive(GZipMiddleware(app))
    assert (first["extra"], one["extra"], two["extra"]) == (1, 2, 3)


async def test_body_messages_without_body_keys(kit: Any) -> None:
    app = kit.sender(
        kit.start(),
        {"type": "http.response.body", "more_body": True},
        {"type": "http.response.body"},
    )
    _, one, two = await kit.drive(GZipMiddleware(app))
    assert gzip.decompress(one["body"] + two["body"]) == b""


async def test_an_app_error_propagates(kit: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send(kit.start())
        raise LookupError("boom")

    with pytest.raises(LookupError, match="boom"):
        await kit.drive(GZipMiddleware(app))


def test_signature_defaults_and_attributes() -> None:
    middleware = GZipMiddleware(noop)
    assert (middleware.minimum_size, middleware.compresslevel, middleware.thread_minimum_size) == (
        500,
        9,
        131072,
    )
    assert middleware.exclude_content_types == DEFAULT_EXCLUDED_CONTENT_TYPES
    assert DEFAULT_EXCLUDED_CONTENT_TYPES == (
        "application/grpc",
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "audio/*",
        "font/woff",
        "font/woff2",
        "image/avif",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/webp",
        "text/event-stream",
        "video/*",
    )
    with pytest.raises(TypeError):
        GZipMiddleware(noop, 1, 2, 3, ())  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"minimum_size": "500"}, TypeError, "minimum_size must be an int"),
        ({"minimum_size": True}, TypeError, "minimum_size must be an int"),
        ({"minimum_size": -1}, ValueError, "minimum_size must be at least 0, got -1"),
        ({"compresslevel": 10}, ValueError, "compresslevel must be from -1 to 9, got 10"),
        ({"compresslevel": 9.0}, TypeError, "compresslevel must be an int from -1 to 9, got 9.0"),
        ({"thread_minimum_size": -5}, ValueError, "thread_minimum_size must be at least 0"),
        (
            {"exclude_content_types": "text/html"},
            TypeError,
            r"wrap a single type in a tuple: \('text/html',\)",
        ),
        ({"exclude_content_types": 5}, TypeError, "must be a collection of media types"),
        (
            {"exclude_content_types": [b"text/html"]},
            TypeError,
            "must hold media types as str, got b'text/html'",
        ),
    ],
)
def test_bad_settings_are_refused_at_construction(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        GZipMiddleware(noop, **options)


async def test_unattached_send_raises() -> None:
    with pytest.raises(RuntimeError, match="send awaitable not set"):
        await unattached_send({"type": "http.response.start"})


async def test_responders_compress_or_not_without_negotiating(kit: Any) -> None:
    app = kit.sender(kit.start(), kit.body(BIG))
    gzip_responder = GZipResponder(
        app, 500, 1, thread_minimum_size=7, exclude_content_types=["x/y"]
    )
    assert (gzip_responder.content_encoding, gzip_responder.compresslevel) == ("gzip", 1)
    assert (gzip_responder.thread_minimum_size, gzip_responder.exclude_content_types) == (
        7,
        ("x/y",),
    )
    first, second = await kit.drive(gzip_responder, None)
    assert kit.header(first, b"content-encoding") == b"gzip"
    assert second["body"] == gzipped(BIG, 1)
    identity = IdentityResponder(app, 500)
    assert (identity.content_encoding, identity.minimum_size) == (None, 500)
    first, second = await kit.drive(identity)
    assert first["headers"] == [*TEXT, (b"vary", b"Accept-Encoding")]
    assert second["body"] == BIG


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_round_trip_through_the_test_client(backend: Literal["asyncio", "trio"]) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": TEXT})
        for i in range(3):
            await send({"type": "http.response.body", "body": b"%d" % i * 300, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    with TestClient(GZipMiddleware(app), backend=backend) as client:
        response = client.get("/", headers={"accept-encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.text == "0" * 300 + "1" * 300 + "2" * 300
        response = client.get("/", headers={"accept-encoding": "identity"})
        assert "content-encoding" not in response.headers
        assert response.text == "0" * 300 + "1" * 300 + "2" * 300
