from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterable
from urllib.parse import unquote_to_bytes

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asgi_core import FormParser, Headers, HTTPException, MultiPartException

pytestmark = pytest.mark.anyio

URLENCODED = Headers({"content-type": "application/x-www-form-urlencoded"})


class CountingStream:
    """An async iterator over chunks that counts how many were pulled."""

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


async def parse(
    *chunks: bytes, headers: Headers = URLENCODED, **limits: int
) -> list[tuple[str, str]]:
    form = await FormParser(headers, CountingStream(chunks), **limits).parse()
    return form.multi_items()  # type: ignore[return-value]


async def test_fields_and_decoding() -> None:
    assert await parse(b"a=1&b=two+words&c=%26%3D&d=&e") == [
        ("a", "1"),
        ("b", "two words"),
        ("c", "&="),
        ("d", ""),
        ("e", ""),
    ]


async def test_empty_body_and_empty_fields() -> None:
    assert await parse() == []
    assert await parse(b"") == []
    assert await parse(b"&&a=1&") == [("a", "1")]
    assert await parse(b"=x") == [("", "x")]


async def test_only_ampersand_separates_fields() -> None:
    assert await parse(b"a=1;b=2") == [("a", "1;b=2")]


async def test_fields_split_across_chunks() -> None:
    assert await parse(b"na", b"me=va", b"lue&oth", b"er=", b"2") == [
        ("name", "value"),
        ("other", "2"),
    ]
    assert await parse(b"a=1&", b"&b=2") == [("a", "1"), ("b", "2")]


async def test_utf8_raw_and_percent_encoded() -> None:
    assert await parse("name=Jos%C3%A9&raw=José".encode()) == [("name", "José"), ("raw", "José")]
    assert await parse(b"bad=%FF") == [("bad", "\ufffd")]


async def test_the_charset_parameter_is_ignored() -> None:
    # as Starlette (and the WHATWG URL standard): urlencoded forms are always UTF-8
    latin1 = Headers({"content-type": "application/x-www-form-urlencoded; charset=ISO-8859-1"})
    assert await parse(b"a=%E9&b=%C3%A9", headers=latin1) == [("a", "\ufffd"), ("b", "é")]
    unknown = Headers({"content-type": "application/x-www-form-urlencoded; charset=nope"})
    assert await parse(b"a=%C3%A9", headers=unknown) == [("a", "é")]


async def test_too_many_fields() -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(b"a=1&b=2&c=3", max_fields=2)
    assert info.value.message == "Too many fields. Maximum number of fields is 2."
    assert isinstance(info.value, HTTPException)
    assert info.value.status_code == 400
    assert await parse(b"a=1&b=2", max_fields=2) == [("a", "1"), ("b", "2")]


async def test_a_million_fields_stops_early() -> None:
    chunk = b"a=1&" * 16_384  # 64 KiB
    stream = CountingStream([chunk] * 62)  # about 1,000,000 fields
    with pytest.raises(
        MultiPartException, match="Too many fields. Maximum number of fields is 1000."
    ):
        await FormParser(URLENCODED, stream).parse()
    assert stream.pulled == 1


async def test_empty_fields_are_not_counted() -> None:
    # as Starlette: only non-empty fields count towards max_fields
    assert await parse(b"a=1&&&b=2&", max_fields=2) == [("a", "1"), ("b", "2")]
    assert await parse(b"&" * 5000, max_fields=0) == []
    with pytest.raises(MultiPartException, match="Too many fields"):
        await parse(b"a=1&b=2&c", max_fields=2)


async def test_field_too_large_in_one_chunk() -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(b"a=" + b"x" * 2048 + b"&b=1", max_part_size=1024)
    assert info.value.message == "Field exceeded maximum size of 1KB."  # Starlette's message


@pytest.mark.parametrize(
    ("body", "too_large"),
    [
        # as Starlette: the name and the value count, not the "=" between them
        (b"a=" + b"x" * 9, False),
        (b"a=" + b"x" * 10, True),
        (b"x" * 10, False),
        (b"x" * 11, True),
        (b"a==" + b"x" * 8, False),  # the value is "=xxxxxxxx"
        (b"a=%41%41%41%41", True),  # encoded bytes are counted
    ],
)
async def test_what_counts_towards_the_field_size(body: bytes, too_large: bool) -> None:
    for chunks in ([body], [body[:3], body[3:]], [bytes([b]) for b in body]):
        if too_large:
            with pytest.raises(MultiPartException, match="Field exceeded maximum size of 0KB."):
                await parse(*chunks, max_part_size=10)
        else:
            assert len(await parse(*chunks, max_part_size=10)) == 1


async def test_field_exactly_at_the_limit() -> None:
    value = b"x" * (1024 - 2)
    assert await parse(b"a=" + value, max_part_size=1024) == [("a", value.decode())]
    assert await parse(b"a=" + value + b"&b=1", max_part_size=1024) == [
        ("a", value.decode()),
        ("b", "1"),
    ]


async def test_a_50mb_value_stops_early() -> None:
    stream = CountingStream([b"v=" + b"x" * 65534] + [b"x" * 65536] * 799)
    with pytest.raises(MultiPartException, match=r"^Field exceeded maximum size of 1024KB\.$"):
        await FormParser(URLENCODED, stream).parse()
    # memory stays bounded: parsing stopped once the pending field passed 1 MiB
    assert stream.pulled == 17


async def test_field_too_large_across_chunks_with_separator() -> None:
    with pytest.raises(MultiPartException, match=r"^Field exceeded maximum size of 1KB\.$"):
        await parse(b"a=" + b"x" * 600, b"x" * 600 + b"&b=2", max_part_size=1024)


@pytest.mark.parametrize(("limit", "kilobytes"), [(1000, 0), (10, 0), (2048, 2), (3000, 2)])
async def test_limits_are_stated_as_starlette_does(limit: int, kilobytes: int) -> None:
    with pytest.raises(MultiPartException) as info:
        await parse(b"name=" + b"x" * limit, max_part_size=limit)
    assert info.value.message == f"Field exceeded maximum size of {kilobytes}KB."


# --- properties: the streaming parser equals a plain split, however the body is chunked -------


BODY = st.binary(max_size=60) | st.text("ab=&+%2F;é ", max_size=60).map(str.encode)


def split_points(body: bytes) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, len(body)), max_size=6).map(sorted)


def chunks_at(body: bytes, points: list[int]) -> list[bytes]:
    edges = [0, *points, len(body)]
    return [body[start:end] for start, end in itertools.pairwise(edges)]


def reference(body: bytes) -> list[tuple[str, str]]:
    """What the parser is documented to do, written plainly."""

    def decode(value: bytes) -> str:
        return unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8", "replace")

    fields = []
    for piece in body.split(b"&"):
        if piece:
            name, _, value = piece.partition(b"=")
            fields.append((decode(name), decode(value)))
    return fields


def breaks_limits(body: bytes, max_fields: int, max_part_size: int) -> bool:
    pieces = [piece for piece in body.split(b"&") if piece]
    too_large = any(len(piece) - (b"=" in piece) > max_part_size for piece in pieces)
    return len(pieces) > max_fields or too_large


def parse_now(backend: str, chunks: list[bytes], **limits: int) -> list[tuple[str, str]]:
    async def run() -> list[tuple[str, str]]:
        form = await FormParser(URLENCODED, CountingStream(chunks), **limits).parse()
        return form.multi_items()  # type: ignore[return-value]

    return anyio.run(run, backend=backend)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@settings(max_examples=100, deadline=None)
@given(st.data())
def test_chunked_parse_equals_a_plain_split(backend: str, data: st.DataObject) -> None:
    body = data.draw(BODY)
    points = data.draw(split_points(body))
    assert parse_now(backend, chunks_at(body, points)) == reference(body)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@settings(max_examples=100, deadline=None)
@given(st.data())
def test_limits_are_enforced_exactly(backend: str, data: st.DataObject) -> None:
    body = data.draw(BODY)
    chunks = chunks_at(body, data.draw(split_points(body)))
    max_fields = data.draw(st.integers(0, 6))
    max_part_size = data.draw(st.integers(0, 12))
    limits = {"max_fields": max_fields, "max_part_size": max_part_size}
    if breaks_limits(body, max_fields, max_part_size):
        with pytest.raises(MultiPartException):
            parse_now(backend, chunks, **limits)
    else:
        assert parse_now(backend, chunks, **limits) == reference(body)
