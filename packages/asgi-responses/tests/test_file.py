from __future__ import annotations

import email.parser
import email.policy
import errno
import io
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import anyio
import pytest

import asgi_responses._file as file_module
from asgi_core import BackgroundTask
from asgi_core.types import Message, Scope
from asgi_responses import FileResponse, content_disposition
from asgi_testing import TestClient, WebSocketDenialResponse

ClientFor = Callable[..., TestClient]
DATA = bytes(range(256)) * 40  # 10240 bytes


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(DATA)
    return path


def test_whole_file(client_for: ClientFor, data_file: Path) -> None:
    response = client_for(lambda scope: FileResponse(data_file)).get("/")
    assert response.status_code == 200
    assert response.content == DATA
    stat = data_file.stat()
    assert response.headers["content-length"] == str(len(DATA))
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"].startswith('"')
    assert len(response.headers["etag"]) == 34
    from email.utils import formatdate

    assert response.headers["last-modified"] == formatdate(stat.st_mtime, usegmt=True)
    assert "content-disposition" not in response.headers


def test_media_type_and_disposition(client_for: ClientFor, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    response = client_for(lambda scope: FileResponse(path, filename="notes.txt")).get("/")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="notes.txt"'
    response = client_for(
        lambda scope: FileResponse(
            path, filename="résumé «final».pdf", content_disposition_type="inline"
        )
    ).get("/")
    assert response.headers["content-type"] == "application/pdf"
    # as Starlette: only filename*, which every current browser reads (RFC 6266 merely
    # suggests an ASCII fallback)
    assert response.headers["content-disposition"] == (
        "inline; filename*=utf-8''r%C3%A9sum%C3%A9%20%C2%ABfinal%C2%BB.pdf"
    )


def test_content_disposition_escapes() -> None:
    assert content_disposition("attachment", 'a"b\\c\r\n.txt') == (
        "attachment; filename*=utf-8''a%22b%5Cc%0D%0A.txt"
    )
    assert content_disposition("attachment", "report x.txt") == (
        "attachment; filename*=utf-8''report%20x.txt"
    )


def test_head_does_not_read_the_file(
    client_for: ClientFor, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_open(*args: Any) -> Any:
        raise AssertionError("HEAD must not open the file")

    monkeypatch.setattr(file_module, "open", no_open, raising=False)
    response = client_for(lambda scope: FileResponse(data_file)).head("/")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(DATA))
    response = client_for(lambda scope: FileResponse(data_file)).head(
        "/", headers={"range": "bytes=0-9"}
    )
    assert response.status_code == 206
    assert response.headers["content-range"] == "bytes 0-9/10240"


@pytest.mark.anyio
async def test_pathsend_when_the_server_offers_it(
    data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_open(*args: Any) -> Any:
        raise AssertionError("pathsend must not open the file")

    monkeypatch.setattr(file_module, "open", no_open, raising=False)
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        raise AssertionError("not needed")  # pragma: no cover

    scope: Scope = {
        "type": "http",
        "method": "GET",
        "headers": [],
        "extensions": {"http.response.pathsend": {}},
    }
    relative = os.path.relpath(data_file)
    await FileResponse(relative)(scope, receive, send)
    assert sent[0]["status"] == 200
    assert sent[1] == {"type": "http.response.pathsend", "path": str(data_file)}


def test_single_ranges(client_for: ClientFor, data_file: Path) -> None:
    client = client_for(lambda scope: FileResponse(data_file, media_type="application/x-test"))
    for header, start, stop in [
        ("bytes=0-9", 0, 10),
        ("bytes=10000-", 10000, 10240),
        ("bytes=-16", 10224, 10240),
        ("bytes=100-99999", 100, 10240),
    ]:
        response = client.get("/", headers={"range": header})
        assert response.status_code == 206
        assert response.content == DATA[start:stop]
        assert response.headers["content-range"] == f"bytes {start}-{stop - 1}/10240"
        assert response.headers["content-length"] == str(stop - start)
        assert response.headers["content-type"] == "application/x-test"


def parse_byteranges(content_type: str, body: bytes) -> list[tuple[str, str, Any]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart()
    return [
        (part["Content-Type"], part["Content-Range"], part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


def test_multiple_ranges(client_for: ClientFor, data_file: Path) -> None:
    client = client_for(lambda scope: FileResponse(data_file, media_type="text/plain"))
    response = client.get("/", headers={"range": "bytes=500-599, 0-9, 5-14, -10"})
    assert response.status_code == 206
    content_type = response.headers["content-type"]
    boundary = content_type.split("boundary=")[1]
    assert len(boundary) == 26  # as long as Starlette's, so content-length is the same
    assert content_type == f"multipart/byteranges; boundary={boundary}"
    assert response.headers["content-length"] == str(len(response.content))
    assert response.content.startswith(f"--{boundary}\r\n".encode())
    # as Starlette: the body ends with the close delimiter, no CRLF after it
    assert response.content.endswith(f"\r\n--{boundary}--".encode())
    # each part has the response's own content type, charset included (as Starlette)
    assert response.content.count(b"\r\nContent-Type: text/plain; charset=utf-8\r\n") == 3
    parts = parse_byteranges(content_type, response.content)
    assert parts == [
        ('text/plain; charset="utf-8"', "bytes 0-14/10240", DATA[0:15]),
        ('text/plain; charset="utf-8"', "bytes 500-599/10240", DATA[500:600]),
        ('text/plain; charset="utf-8"', "bytes 10230-10239/10240", DATA[10230:]),
    ]
    head = client.head("/", headers={"range": "bytes=0-1,5-6"})
    assert head.headers["content-length"] == str(
        len(client.get("/", headers={"range": "bytes=0-1,5-6"}).content)
    )


@pytest.mark.parametrize(
    ("header", "status", "body"),
    [
        ("bytes=", 400, b"Range header: range must be requested"),
        ("bytes=100", 400, b"Range header: range must be requested"),
        ("bytes=100-0", 400, b"Range header: start must be less than end"),
        ("bytes: 0-1", 400, b"Malformed range header."),
        ("=0-1", 400, b"Only support bytes range"),
        ("bytes=20000-", 416, b""),
        ("bytes=99999-100000", 416, b""),
        ("bytes=0-1,20000-", 416, b""),
    ],
)
def test_bad_ranges(
    client_for: ClientFor, data_file: Path, header: str, status: int, body: bytes
) -> None:
    response = client_for(lambda scope: FileResponse(data_file)).get("/", headers={"range": header})
    assert response.status_code == status
    assert response.content == body
    if status == 416:
        assert response.headers["content-range"] == "bytes */10240"


@pytest.mark.parametrize(
    "header", ["items=0-1", "bytes=" + ",".join(f"{i}-{i}" for i in range(10_000))]
)
def test_ignored_ranges_send_the_whole_file(
    client_for: ClientFor, data_file: Path, header: str
) -> None:
    response = client_for(lambda scope: FileResponse(data_file)).get("/", headers={"range": header})
    assert response.status_code == 200
    assert response.content == DATA


def test_range_ignored_for_other_methods_and_statuses(
    client_for: ClientFor, data_file: Path
) -> None:
    response = client_for(lambda scope: FileResponse(data_file)).post(
        "/", headers={"range": "bytes=0-1"}
    )
    assert response.status_code == 200
    assert len(response.content) == len(DATA)
    response = client_for(lambda scope: FileResponse(data_file, status_code=404)).get(
        "/", headers={"range": "bytes=0-1", "if-none-match": "*"}
    )
    assert response.status_code == 404
    assert len(response.content) == len(DATA)


def test_if_range(client_for: ClientFor, data_file: Path) -> None:
    client = client_for(lambda scope: FileResponse(data_file))
    etag = client.head("/").headers["etag"]
    last_modified = client.head("/").headers["last-modified"]
    assert client.get("/", headers={"range": "bytes=0-1", "if-range": etag}).status_code == 206
    assert (
        client.get("/", headers={"range": "bytes=0-1", "if-range": last_modified}).status_code
        == 206
    )
    stale = client.get("/", headers={"range": "bytes=0-1", "if-range": '"stale"'})
    assert stale.status_code == 200
    assert stale.content == DATA


def test_conditional_requests(client_for: ClientFor, data_file: Path) -> None:
    client = client_for(lambda scope: FileResponse(data_file))
    headers = client.head("/").headers
    not_modified = client.get("/", headers={"if-none-match": headers["etag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == headers["etag"]
    assert "content-length" not in not_modified.headers
    assert (
        client.get("/", headers={"if-modified-since": headers["last-modified"]}).status_code == 304
    )
    assert client.get("/", headers={"if-none-match": '"other"'}).status_code == 200
    failed = client.get("/", headers={"if-match": '"other"'})
    assert failed.status_code == 412
    assert failed.text == "Precondition Failed"
    assert (
        client.get(
            "/", headers={"if-unmodified-since": "Mon, 01 Jan 1990 00:00:00 GMT"}
        ).status_code
        == 412
    )
    assert client.put("/", headers={"if-none-match": "*"}).status_code == 412


def test_empty_file(client_for: ClientFor, tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    client = client_for(lambda scope: FileResponse(path))
    response = client.get("/")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "0"
    assert client.get("/", headers={"range": "bytes=0-"}).status_code == 416


def test_missing_file_and_directory(client_for: ClientFor, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        client_for(lambda scope: FileResponse(tmp_path / "missing")).get("/")
    with pytest.raises(RuntimeError, match="is not a file"):
        client_for(lambda scope: FileResponse(tmp_path)).get("/")


def test_file_removed_between_stat_and_send(client_for: ClientFor, data_file: Path) -> None:
    stat = data_file.stat()
    data_file.unlink()
    with pytest.raises(RuntimeError, match=r"does not exist \(it was removed after its stat\)"):
        client_for(lambda scope: FileResponse(data_file, stat_result=stat)).get("/")


def test_file_shorter_than_its_stat(client_for: ClientFor, data_file: Path) -> None:
    stat = data_file.stat()
    data_file.write_bytes(DATA[:100])
    with pytest.raises(RuntimeError, match="is shorter than expected"):
        client_for(lambda scope: FileResponse(data_file, stat_result=stat)).get("/")


def test_background_after_the_file(client_for: ClientFor, data_file: Path) -> None:
    done: list[str] = []
    client_for(
        lambda scope: FileResponse(data_file, background=BackgroundTask(done.append, "yes"))
    ).get("/")
    assert done == ["yes"]


def test_denial_with_a_file(client_for: ClientFor, data_file: Path) -> None:
    with pytest.raises(WebSocketDenialResponse) as info:
        with client_for(lambda scope: FileResponse(data_file, status_code=403)).websocket_connect(
            "/"
        ):
            pass  # pragma: no cover - denied
    assert info.value.content == DATA


@pytest.mark.anyio
async def test_client_disconnect_stops_the_transfer(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * (4 * 1024 * 1024))
    sent: list[Message] = []
    gone = anyio.Event()

    async def send(message: Message) -> None:
        sent.append(message)
        if len(sent) == 3:
            gone.set()
            await anyio.sleep(0.01)

    async def receive() -> Message:
        await gone.wait()
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await FileResponse(path)({"type": "http", "method": "GET", "headers": []}, receive, send)
    assert len(sent) < 10


@pytest.mark.anyio
async def test_memory_stays_flat_for_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "large"
    with path.open("wb") as file:
        for _ in range(32):
            file.write(os.urandom(1024 * 1024))
    received = 0

    async def send(message: Message) -> None:
        nonlocal received
        received += len(message.get("body", b""))

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    tracemalloc.start()
    try:
        await FileResponse(path)({"type": "http", "method": "GET", "headers": []}, receive, send)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == 32 * 1024 * 1024
    assert peak < 2 * 1024 * 1024  # a few chunks, never the whole 32 MiB


@pytest.mark.anyio
@pytest.mark.parametrize("spec", ["2.3", "2.4"])
async def test_a_disk_error_is_raised_not_a_truncated_response(
    spec: str, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FailingDisk(io.FileIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(file_module, "open", lambda path, mode: FailingDisk(path), raising=False)
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover - never reached

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": spec},
        "method": "GET",
        "headers": [],
    }
    with anyio.fail_after(5), pytest.raises(OSError, match="Input/output error"):
        await FileResponse(data_file)(scope, receive, send)
    assert [m["type"] for m in sent] == ["http.response.start"]


def http_scope(spec: str = "2.4", method: str = "GET", **headers: str) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": spec},
        "method": method,
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }


async def never_disconnects() -> Message:
    await anyio.sleep_forever()
    raise AssertionError  # pragma: no cover - never reached


async def run(response: FileResponse, scope: Scope) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    with anyio.fail_after(5):
        await response(scope, never_disconnects, send)
    return sent


def names(message: Message) -> list[bytes]:
    return [name for name, _ in message["headers"]]


def flags(messages: list[Message]) -> list[tuple[int, Any]]:
    """(length, more_body) of each body message; "absent" when the key is not there."""
    return [(len(m["body"]), m.get("more_body", "absent")) for m in messages[1:]]


@pytest.mark.anyio
async def test_range_headers_in_starlettes_order(data_file: Path) -> None:
    # content-length keeps its place with the new value; content-range comes last
    response = FileResponse(data_file, filename="d.bin", headers={"x-a": "1"})
    single = await run(response, http_scope(range="bytes=0-9"))
    assert names(single[0]) == [
        b"x-a",
        b"content-type",
        b"accept-ranges",
        b"content-disposition",
        b"content-length",
        b"last-modified",
        b"etag",
        b"content-range",
    ]
    assert dict(single[0]["headers"])[b"content-length"] == b"10"
    several = await run(FileResponse(data_file), http_scope(range="bytes=0-1,5-6"))
    assert names(several[0]) == [
        b"content-type",
        b"accept-ranges",
        b"content-length",
        b"last-modified",
        b"etag",
    ]
    assert dict(several[0]["headers"])[b"content-type"].startswith(b"multipart/byteranges")


@pytest.mark.anyio
async def test_range_headers_added_when_missing(data_file: Path) -> None:
    response = FileResponse(data_file, stat_result=data_file.stat())
    response.raw_headers = [(k, v) for k, v in response.raw_headers if k != b"content-length"]
    single = await run(response, http_scope(range="bytes=0-9"))
    assert single[0]["headers"][-2:] == [
        (b"content-length", b"10"),
        (b"content-range", b"bytes 0-9/10240"),
    ]
    del response.headers["content-type"]
    several = await run(response, http_scope(range="bytes=0-1,5-6"))
    header = dict(several[0]["headers"])
    assert header[b"content-type"].startswith(b"multipart/byteranges; boundary=")
    # a part without the response's content type says the media type
    assert several[1]["body"].split(b"\r\n")[1] == b"Content-Type: application/octet-stream"
    assert int(header[b"content-length"]) == sum(len(m["body"]) for m in several[1:])


@pytest.mark.anyio
@pytest.mark.parametrize("header", [None, "bytes=0-9", "bytes=0-1,5-6"])
async def test_head_sends_starlettes_messages(data_file: Path, header: str | None) -> None:
    scope = http_scope(method="HEAD") if header is None else http_scope("2.4", "HEAD", range=header)
    sent = await run(FileResponse(data_file), scope)
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[1] == {"type": "http.response.body", "body": b"", "more_body": False}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, [(0, False)]),
        (1, [(1, False)]),
        (8, [(8, True), (0, False)]),  # ends with a full chunk: an empty last message
        (9, [(8, True), (1, False)]),
        (17, [(8, True), (8, True), (1, False)]),
    ],
)
async def test_whole_file_messages_as_starlette(
    tmp_path: Path, size: int, expected: list[tuple[int, Any]]
) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    response = FileResponse(path)
    response.chunk_size = 8
    assert flags(await run(response, http_scope())) == expected


@pytest.mark.anyio
async def test_range_messages_as_starlette(data_file: Path) -> None:
    response = FileResponse(data_file)
    response.chunk_size = 8
    single = await run(response, http_scope(range="bytes=0-15"))
    assert flags(single) == [(8, True), (8, False)]  # a range ends with its last chunk
    several = await run(response, http_scope(range="bytes=0-9,20-21"))
    boundary = dict(several[0]["headers"])[b"content-type"].split(b"boundary=")[1]
    bodies = [m["body"] for m in several[1:]]
    assert bodies[1:5] == [DATA[0:8], DATA[8:10], b"\r\n", bodies[4]]
    assert bodies[4].startswith(b"--" + boundary + b"\r\n")
    assert bodies[5:] == [DATA[20:22], b"\r\n", b"--" + boundary + b"--"]
    assert [m.get("more_body", False) for m in several[1:]] == [True] * 7 + [False]


@pytest.mark.anyio
async def test_mixed_garbage_ranges_are_skipped(data_file: Path) -> None:
    sent = await run(FileResponse(data_file), http_scope(range="Bytes=177-784 ,x- ,x--1 ,-1-01"))
    assert sent[0]["status"] == 206
    assert dict(sent[0]["headers"])[b"content-range"] == b"bytes 177-784/10240"
    assert b"".join(m["body"] for m in sent[1:]) == DATA[177:785]


class Tracked(io.FileIO):
    """A file that remembers the instances opened, to check that each is closed."""

    opened: ClassVar[list[Tracked]] = []

    def __init__(self, path: str, mode: str) -> None:
        super().__init__(path, mode.replace("b", ""))
        Tracked.opened.append(self)


@pytest.fixture
def tracked(monkeypatch: pytest.MonkeyPatch) -> list[Tracked]:
    Tracked.opened = []
    monkeypatch.setattr(file_module, "open", Tracked, raising=False)
    return Tracked.opened


@pytest.mark.anyio
@pytest.mark.parametrize("spec", ["2.3", "2.4"])
@pytest.mark.parametrize("header", [None, "bytes=0-9", "bytes=0-1,5-6"])
async def test_an_oserror_of_send_is_raised_and_the_file_closed(
    spec: str, header: str | None, data_file: Path, tracked: list[Tracked]
) -> None:
    # as Starlette: FileResponse raises the server's OSError, the background task is not run
    ran: list[str] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise ConnectionResetError("client gone")

    scope = http_scope(spec) if header is None else http_scope(spec, range=header)
    response = FileResponse(data_file, background=BackgroundTask(ran.append, "background"))
    with anyio.fail_after(5), pytest.raises(ConnectionResetError, match="client gone"):
        await response(scope, never_disconnects, send)
    assert ran == []
    assert len(tracked) == 1
    assert tracked[0].closed


@pytest.mark.anyio
async def test_cancellation_stops_reading_and_closes_the_file(
    tmp_path: Path, tracked: list[Tracked]
) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * (1024 * 1024))
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)
        if len(sent) == 3:
            await anyio.sleep_forever()

    with anyio.move_on_after(0.2) as cancelled:
        await FileResponse(path)(http_scope(), never_disconnects, send)
    assert cancelled.cancelled_caught
    assert len(sent) == 3
    assert tracked[0].closed
