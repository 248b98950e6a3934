from __future__ import annotations

import sys
import threading
from collections.abc import AsyncIterator, Iterable
from tempfile import SpooledTemporaryFile
from typing import Any

import pytest

import asgi_core._multipart as multipart_module
from asgi_core import FormData, Headers, MultiPartException, MultiPartParser, UploadFile

pytestmark = pytest.mark.anyio


def headers_for(boundary: str = "boundary", extra: str = "") -> Headers:
    return Headers({"content-type": f"multipart/form-data; boundary={boundary}{extra}"})


def part(name: str | None, data: bytes, filename: str | None = None, *headers: str) -> bytes:
    lines = []
    if name is not None:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        lines.append(f"Content-Disposition: {disposition}")
    lines.extend(headers)
    head = "".join(f"{line}\r\n" for line in lines)
    return b"--boundary\r\n" + head.encode() + b"\r\n" + data + b"\r\n"


END = b"--boundary--\r\n"


class CountingStream:
    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self.pulled = 0

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        try:
            chunk = next(self._chunks)
        except StopIteration:
            raise StopAsyncIteration from None
        self.pulled += 1
        return chunk


def chunked(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


async def parse(
    body: bytes | list[bytes], headers: Headers | None = None, **limits: Any
) -> FormData:
    chunks = [body] if isinstance(body, bytes) else body
    parser = MultiPartParser(headers or headers_for(), CountingStream(chunks), **limits)
    return await parser.parse()


async def test_fields_and_files() -> None:
    body = (
        part("text", b"hello")
        + part("file", b"file content", "a.txt", "Content-Type: text/plain", "X-Extra: 1")
        + part("text", b"again")
        + END
    )
    form = await parse(body)
    assert form.getlist("text") == ["hello", "again"]
    upload = form["file"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == "a.txt"
    assert upload.size == 12
    assert upload.content_type == "text/plain"
    assert upload.headers["x-extra"] == "1"
    assert await upload.read() == b"file content"  # rewound after parsing
    await form.close()


async def test_byte_by_byte_chunks() -> None:
    body = part("a", b"1") + part("f", b"data", "f.bin") + END
    form = await parse(chunked(body, 1))
    assert form["a"] == "1"
    assert await form["f"].read() == b"data"  # type: ignore[union-attr]
    await form.close()


async def test_empty_file_and_empty_filename() -> None:
    form = await parse(part("f", b"", "") + END)
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == ""
    assert upload.size == 0
    await form.close()


async def test_empty_body_is_an_empty_form() -> None:
    assert (await parse([])).multi_items() == []


async def test_charset_and_undecodable_values() -> None:
    latin = part("name", "é".encode("latin-1"))
    form = await parse(latin + END, headers_for(extra="; charset=latin-1"))
    assert form["name"] == "é"
    # invalid UTF-8 falls back to latin-1 instead of failing
    form = await parse(part("name", b"\xff") + END)
    assert form["name"] == "ÿ"
    form = await parse(part("name", b"x") + END, headers_for(extra="; charset=unknown-charset"))
    assert form["name"] == "x"


async def test_quoted_boundary() -> None:
    form = await parse(part("a", b"1") + END, headers_for('"boundary"'))
    assert form["a"] == "1"


async def test_missing_boundary() -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(END, Headers({"content-type": "multipart/form-data"}))
    message = (
        "Missing boundary in multipart. The Content-Type header was 'multipart/form-data'; "
        "it needs a boundary parameter."
    )
    assert info.value.message == message
    assert info.value.status_code == 400
    assert str(info.value) == message


async def test_over_long_boundary() -> None:
    with pytest.raises(MultiPartException, match="boundary is 71 characters long; at most 70"):
        await parse(b"", headers_for("b" * 71))


async def test_boundary_with_forbidden_characters() -> None:
    with pytest.raises(
        MultiPartException,
        match="^Multipart boundary 'a<b' contains characters RFC 2046 does not allow.$",
    ):
        await parse(b"", headers_for("a<b"))
    with pytest.raises(MultiPartException, match="'ends with space ' contains characters"):
        await parse(b"", headers_for('"ends with space "'))


async def test_part_without_name() -> None:
    body = part(None, b"x", None, "Content-Disposition: form-data") + END
    with pytest.raises(MultiPartException) as info:
        await parse(body)
    assert info.value.message == (
        'The Content-Disposition header field "name" must be provided. '
        "The part's Content-Disposition was 'form-data'."
    )
    body = part(None, b"x", None, "Content-Type: text/plain") + END
    with pytest.raises(
        MultiPartException, match="must be provided. The part has no Content-Disposition header.$"
    ):
        await parse(body)


async def test_too_many_fields() -> None:
    body = part("a", b"1") * 3 + END
    with pytest.raises(MultiPartException) as info:
        await parse(body, max_fields=2)
    assert info.value.message == "Too many fields. Maximum number of fields is 2."


async def test_too_many_files_closes_the_open_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[SpooledTemporaryFile[bytes]] = []

    class Recording(SpooledTemporaryFile):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(multipart_module, "SpooledTemporaryFile", Recording)
    body = part("f", b"1", "a") * 3 + END
    with pytest.raises(MultiPartException) as info:
        await parse(body, max_files=2)
    assert info.value.message == "Too many files. Maximum number of files is 2."
    assert len(opened) == 2
    assert all(spool.closed for spool in opened)


async def test_many_parts_stop_early() -> None:
    body = part("a", b"1") * 5000 + END
    stream = CountingStream(chunked(body, 4096))
    with pytest.raises(
        MultiPartException, match="Too many fields. Maximum number of fields is 1000."
    ):
        await MultiPartParser(headers_for(), stream).parse()
    assert stream.pulled < len(body) // 4096 // 2


async def test_field_part_too_large() -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(part("a", b"x" * 2049) + END, max_part_size=2048)
    assert info.value.message == (
        "Part 'a' exceeded maximum size of 2KB (received at least 2049 bytes)."
    )
    form = await parse(part("a", b"x" * 2048) + END, max_part_size=2048)
    assert form["a"] == "x" * 2048


async def test_file_too_large_stops_early_and_cleans_up() -> None:
    body = part("f", b"x" * (5 * 1024 * 1024), "big.bin") + END
    stream = CountingStream(chunked(body, 65536))
    parser = MultiPartParser(headers_for(), stream, max_file_size=1024 * 1024)
    with pytest.raises(MultiPartException) as info:
        await parser.parse()
    assert info.value.message == "File 'big.bin' exceeded maximum size of 1MB."
    assert stream.pulled <= 17
    assert all(upload.file.closed for upload in parser._files)


async def test_file_exactly_at_the_limit() -> None:
    form = await parse(part("f", b"x" * 1000, "f") + END, max_file_size=1000)
    assert form["f"].size == 1000  # type: ignore[union-attr]
    await form.close()


async def test_files_larger_than_part_size_are_fine() -> None:
    form = await parse(part("f", b"x" * 5000, "f") + END, max_part_size=1024)
    assert form["f"].size == 5000  # type: ignore[union-attr]
    await form.close()


async def test_crlf_flood_before_first_boundary() -> None:
    stream = CountingStream([b"\r\n" * 32768] * 160)  # 10 MiB of CRLF, never a boundary
    with pytest.raises(
        MultiPartException, match=r"more than 64KB outside its parts .*: received 131072 bytes"
    ):
        await MultiPartParser(headers_for(), stream).parse()
    assert stream.pulled == 2


async def test_small_preamble_is_accepted() -> None:
    form = await parse(b"\r\n\r\n" + part("a", b"1") + END)
    assert form["a"] == "1"


async def test_data_flood_after_closing_boundary() -> None:
    body = part("a", b"1") + END
    stream = CountingStream([body] + [b"x" * 65536] * 100)
    with pytest.raises(MultiPartException, match="outside its parts"):
        await MultiPartParser(headers_for(), stream).parse()
    assert stream.pulled == 3


async def test_truncated_body() -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(part("a", b"1"))
    assert info.value.message == (
        "Invalid multipart data: the body ended before the closing boundary (received "
        f"{len(part('a', b'1'))} bytes)."
    )


async def test_malformed_part_headers() -> None:
    body = b"--boundary\r\nthis is not a header\r\n\r\ndata\r\n" + END
    with pytest.raises(MultiPartException, match="^Invalid multipart data: "):
        await parse(body)


async def test_too_many_part_headers() -> None:
    headers = [f"X-H{i}: v" for i in range(50)]
    with pytest.raises(
        MultiPartException, match="Invalid multipart data: Maximum header count exceeded"
    ):
        await parse(part("a", b"1", None, *headers) + END)


async def test_wrong_boundary_in_body() -> None:
    with pytest.raises(MultiPartException, match="^Invalid multipart data: "):
        await parse(b"--other\r\n\r\n" + END)


async def test_file_writes_past_the_spool_limit_run_in_worker_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop_thread = threading.get_ident()
    disk_write_threads: list[int] = []

    class Recording(SpooledTemporaryFile):  # type: ignore[type-arg]
        def write(self, data: bytes) -> int:  # type: ignore[override]
            will_touch_disk = self._rolled or self.tell() + len(data) > self._max_size  # type: ignore[attr-defined]
            if will_touch_disk:
                disk_write_threads.append(threading.get_ident())
            return super().write(data)

    monkeypatch.setattr(multipart_module, "SpooledTemporaryFile", Recording)
    monkeypatch.setattr(MultiPartParser, "spool_max_size", 1024)
    body = part("f", b"y" * 100_000, "f") + END
    form = await parse(chunked(body, 4096))
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert not upload._in_memory
    assert len(disk_write_threads) >= 20
    assert loop_thread not in disk_write_threads
    assert await upload.read() == b"y" * 100_000
    await form.close()


async def test_missing_python_multipart_gives_a_clear_import_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "python_multipart.multipart", None)
    with pytest.raises(ImportError, match=r"pip install 'asgi-core\[forms\]'"):
        await parse(part("a", b"1") + END)


async def test_client_disconnect_closes_files() -> None:
    class Disconnected(Exception):
        pass

    async def stream() -> AsyncIterator[bytes]:
        yield (
            b"--boundary\r\n" + b'Content-Disposition: form-data; name="f"; filename="f"\r\n\r\nxx'
        )
        raise Disconnected

    parser = MultiPartParser(headers_for(), stream())
    with pytest.raises(Disconnected):
        await parser.parse()
    assert len(parser._files) == 1
    assert parser._files[0].file.closed


@pytest.mark.parametrize(("limit", "text"), [(1000, "1000 bytes"), (1, "1 bytes"), (2048, "2KB")])
async def test_small_part_limits_are_stated_exactly(limit: int, text: str) -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(part("note", b"x" * (limit + 1)) + END, max_part_size=limit)
    assert info.value.message == (
        f"Part 'note' exceeded maximum size of {text} (received at least {limit + 1} bytes)."
    )
