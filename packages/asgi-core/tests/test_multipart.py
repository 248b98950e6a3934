from __future__ import annotations

import codecs
import functools
import itertools
import sys
import threading
from collections.abc import AsyncIterator, Iterable
from tempfile import SpooledTemporaryFile
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    # an unknown charset reads as latin-1, as Starlette (whose decode fails and falls back)
    body = part("name", "é".encode()) + END
    form = await parse(body, headers_for(extra="; charset=unknown-charset"))
    assert form["name"] == "Ã©"


async def test_the_charset_is_looked_up_once_per_form(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []
    lookup = codecs.lookup

    def counting(name: str) -> Any:
        looked_up.append(name)
        return lookup(name)

    monkeypatch.setattr(codecs, "lookup", counting)
    body = part("a", b"1") * 10 + part("f", b"2", "f.txt") + END
    form = await parse(body, headers_for(extra="; charset=latin-1"))
    assert looked_up == ["latin-1"]
    await form.close()


async def test_quoted_boundary() -> None:
    form = await parse(part("a", b"1") + END, headers_for('"boundary"'))
    assert form["a"] == "1"


async def test_missing_boundary() -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(END, Headers({"content-type": "multipart/form-data"}))
    assert info.value.message == "Missing boundary in multipart."  # Starlette's message
    assert info.value.status_code == 400
    assert str(info.value) == "Missing boundary in multipart."


async def test_boundaries_python_multipart_accepts() -> None:
    # as Starlette: no limits of our own; python-multipart bounds the length (256)
    for boundary in ["b" * 71, "a{b}", "x" * 256]:
        body = part("a", b"1").replace(b"boundary", boundary.encode()) + f"--{boundary}--".encode()
        assert (await parse(body, headers_for(boundary)))["a"] == "1"
    with pytest.raises(MultiPartException, match=r"^Invalid multipart data\.$") as info:
        await parse(b"", headers_for("x" * 257))
    assert info.value.__cause__ is not None


async def test_part_without_name() -> None:
    message = 'The Content-Disposition header field "name" must be provided.'  # Starlette's
    for header in ["Content-Disposition: form-data", "Content-Type: text/plain"]:
        body = part(None, b"x", None, header) + END
        with pytest.raises(MultiPartException) as info:
            await parse(body)
        assert info.value.message == message


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
    assert info.value.message == "Part exceeded maximum size of 2KB."  # Starlette's message
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


async def test_crlf_before_the_first_boundary_is_skipped() -> None:
    # python-multipart skips line breaks before the first boundary in linear time
    stream = CountingStream([b"\r\n" * 32768] * 16 + [part("a", b"1") + END])
    assert (await MultiPartParser(headers_for(), stream).parse())["a"] == "1"


async def test_small_preamble_is_accepted() -> None:
    form = await parse(b"\r\n\r\n" + part("a", b"1") + END)
    assert form["a"] == "1"


async def test_data_after_the_closing_boundary_is_ignored() -> None:
    body = part("a", b"1") + END
    form = await MultiPartParser(
        headers_for(), CountingStream([body] + [b"x" * 65536] * 16)
    ).parse()
    assert form.multi_items() == [("a", "1")]


async def test_truncated_body_gives_the_complete_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    # as Starlette: no error; the unfinished part is left out, and its file is closed
    opened: list[SpooledTemporaryFile[bytes]] = []

    class Recording(SpooledTemporaryFile):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(multipart_module, "SpooledTemporaryFile", Recording)
    assert (await parse(part("a", b"1"))).multi_items() == []
    form = await parse(part("f", b"done", "f.txt") + part("a", b"1") + part("g", b"cut", "g"))
    assert list(form) == ["f", "a"]
    assert [spool.closed for spool in opened] == [False, True]
    await form.close()


async def test_malformed_part_headers() -> None:
    body = b"--boundary\r\nthis is not a header\r\n\r\ndata\r\n" + END
    with pytest.raises(MultiPartException, match=r"^Invalid multipart data\.$") as info:
        await parse(body)
    assert "invalid character" in str(info.value.__cause__)  # python-multipart's detail


async def test_too_many_part_headers() -> None:
    # python-multipart's limits on part headers, with Starlette's message
    headers = [f"X-H{i}: v" for i in range(50)]
    with pytest.raises(MultiPartException, match=r"^Invalid multipart data\.$"):
        await parse(part("a", b"1", None, *headers) + END)
    with pytest.raises(MultiPartException, match=r"^Invalid multipart data\.$"):
        await parse(part("a", b"1", None, "X-Big: " + "v" * 20000) + END)


async def test_wrong_boundary_in_body() -> None:
    with pytest.raises(MultiPartException, match=r"^Invalid multipart data\.$"):
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


@pytest.mark.parametrize(("limit", "kilobytes"), [(1000, 0), (1, 0), (2048, 2), (3000, 2)])
async def test_part_limits_are_stated_as_starlette_does(limit: int, kilobytes: int) -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(part("note", b"x" * (limit + 1)) + END, max_part_size=limit)
    assert info.value.message == f"Part exceeded maximum size of {kilobytes}KB."


# --- properties: any form a client encodes parses back; any body gives a form or a 400 ---------


NAME = st.text(alphabet="abcXYZ_-0é ", min_size=1, max_size=8)
CONTENT = st.binary(max_size=40) | st.text("ab\r\n-=é", max_size=40).map(str.encode)
FIELD = st.tuples(st.just("field"), NAME, CONTENT)
FILE = st.tuples(st.text(alphabet="abc.é-", min_size=1, max_size=8), NAME, CONTENT)
BOUNDARY_TEXT = st.text(alphabet="abcXYZ0189'()+_,-./:=?", min_size=1, max_size=40)


def encode_form(boundary: str, parts: list[tuple[str, str, bytes]]) -> bytes:
    body = b""
    for kind, name, content in parts:
        disposition = f'form-data; name="{name}"'
        if kind != "field":
            disposition += f'; filename="{kind}"'
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        body += content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


async def parse_and_read(
    boundary: str, chunks: list[bytes]
) -> list[tuple[str, str | tuple[str | None, bytes]]]:
    parser = MultiPartParser(headers_for(boundary), CountingStream(chunks))
    form = await parser.parse()
    items: list[tuple[str, str | tuple[str | None, bytes]]] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            items.append((name, (value.filename, await value.read())))
        else:
            items.append((name, value))
    await form.close()
    return items


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@settings(max_examples=100, deadline=None)
@given(st.data())
def test_an_encoded_form_parses_back(backend: str, data: st.DataObject) -> None:
    boundary = data.draw(BOUNDARY_TEXT)
    parts = data.draw(st.lists(FIELD | FILE, max_size=6))
    body = encode_form(boundary, parts)
    if any(f"\r\n--{boundary}".encode() in content for _, _, content in parts):
        return  # a content holding the delimiter cannot be sent as is: not a valid form
    points = sorted(data.draw(st.lists(st.integers(0, len(body)), max_size=5)))
    edges = [0, *points, len(body)]
    chunks = [body[start:end] for start, end in itertools.pairwise(edges)]
    got = anyio.run(functools.partial(parse_and_read, boundary, chunks), backend=backend)
    assert [name for name, _ in got] == [name for _, name, _ in parts]
    for (_, value), (kind, _, content) in zip(got, parts, strict=True):
        if kind == "field":  # UTF-8, or latin-1 for bytes that are not UTF-8 (as Starlette)
            assert value in (content.decode("utf-8", "replace"), content.decode("latin-1"))
        else:
            assert value == (kind, content)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=120), st.sampled_from([b"", b"--boundary\r\n", part("a", b"1")]))
def test_any_body_gives_a_form_or_a_400(backend: str, garbage: bytes, prefix: bytes) -> None:
    async def attempt() -> None:
        try:
            form = await MultiPartParser(headers_for(), CountingStream([prefix + garbage])).parse()
        except MultiPartException:
            return
        await form.close()

    anyio.run(attempt, backend=backend)
