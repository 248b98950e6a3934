"""What the fuzzer runs: one function per parser, each taking the fuzzer's bytes.

Every target turns the bytes into an input (through :class:`Input`, so atheris and
Hypothesis drive the same code), runs the parser, and checks a property that must hold for
every input: the answer is a documented one (a value, or the documented exception), and it
agrees with a plain reference or with itself read back. Anything else (an assertion, an
unexpected exception) is a finding.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

import anyio

from asgi_core import (
    URL,
    FormParser,
    Headers,
    MultiPartException,
    MultiPartParser,
    QueryParams,
    cookie_parser,
    split_authority,
)
from asgi_core._multidict import parse_query_string
from asgi_responses import MalformedRangeHeader, RangeNotSatisfiable, parse_range_header
from asgi_routing import BaseRoute, Match, Mount, Route, Router, RouteTable, WebSocketRoute
from asgi_staticfiles import StaticFiles

T = TypeVar("T")

# python-multipart logs every malformed byte it skips; the fuzzer sends little else
logging.getLogger("python_multipart").setLevel(logging.CRITICAL)


class Input:
    """Structured values read from the fuzzer's bytes; past their end, zeros."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def byte(self) -> int:
        if self.position >= len(self.data):
            return 0
        value = self.data[self.position]
        self.position += 1
        return value

    def number(self, limit: int) -> int:
        """An integer in ``range(limit)``."""
        return (self.byte() << 8 | self.byte()) % limit if limit > 1 else 0

    def flag(self) -> bool:
        return self.byte() & 1 == 1

    def choice(self, options: Sequence[T]) -> T:
        return options[self.number(len(options))]

    def raw(self, most: int) -> bytes:
        size = min(self.number(most + 1), len(self.data) - self.position)
        chunk = self.data[self.position : self.position + size]
        self.position += size
        return chunk

    def text(self, alphabet: str, most: int) -> str:
        return "".join(self.choice(alphabet) for _ in range(self.number(most + 1)))

    def rest(self) -> bytes:
        chunk = self.data[self.position :]
        self.position = len(self.data)
        return chunk

    def splits(self, body: bytes) -> list[bytes]:
        """``body`` cut at a few points the input chooses."""
        points = sorted(self.number(len(body) + 1) for _ in range(self.number(5)))
        edges = [0, *points, len(body)]
        return [body[start:end] for start, end in itertools.pairwise(edges)]


async def _stream(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


# --- asgi-core --------------------------------------------------------------------------------


def url_from_scope(data: bytes) -> None:
    """A request's URL string parses back to its own parts; the host is a valid one."""
    source = Input(data)
    host = source.raw(40)
    path = source.text("a/.%?#\\@:;=&+ é\x00~[]", 30)
    query = source.raw(20).translate(None, b"\t\r\n")  # servers never pass these on
    scheme = source.choice(["http", "https", "ws", "wss"])
    scope = {
        "type": "http",
        "scheme": scheme,
        "path": path,
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", host)],
        "server": ("testserver", 80),
    }
    url = URL(scope=scope)
    parts = urlsplit(str(url))
    assert (parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment) == (
        url.scheme,
        url.netloc,
        url.path,
        url.query,
        "",
    ), (str(url), url.components)
    authority = split_authority(host.decode("latin-1"))
    wanted = authority[0] if authority is not None else "testserver"
    assert (url.hostname or "").lower() == wanted.strip("[]").lower(), (host, url.hostname)


def url_from_text(data: bytes) -> None:
    """Any string makes a URL whose parts are those of ``urlsplit``; invalid ones raise
    ``ValueError`` (as ``urlsplit`` does), nothing else."""
    text = data.decode("utf-8", "replace")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return
    url = URL(text)
    assert str(url) == text
    assert (url.scheme, url.netloc, url.path, url.query, url.fragment) == tuple(parts)
    assert (url.hostname, url.port) == (parts.hostname, port)


def headers(data: bytes) -> None:
    """Headers read their raw pairs: every value of a name, in order, case-insensitively."""
    source = Input(data)
    token = source.text("abcxyz0189!#$%&'*+-.^_`|~", 6)  # a name is a token (RFC 9110)
    names = [b"a", b"content-type", b"x-y", b"set-cookie", token.encode()]
    raw = [(source.choice(names), source.raw(12)) for _ in range(source.number(12))]
    parsed = Headers(raw=raw)
    for name in names:
        key = name.decode("latin-1")
        wanted = [value.decode("latin-1") for item, value in raw if item == name]
        assert parsed.getlist(key) == wanted
        if key.isascii():  # str.upper() may leave latin-1 (the micro sign's is Greek)
            assert parsed.getlist(key.upper()) == wanted
        assert parsed.get(key) == (wanted[0] if wanted else None)
    mutable = parsed.mutablecopy()
    mutable["content-type"] = "text/plain"
    assert mutable.getlist("content-type") == ["text/plain"]
    del mutable["a"]
    assert "a" not in mutable


def query_string(data: bytes) -> None:
    """The query string parser is ``parse_qsl``; QueryParams survive their own string."""
    text = data.decode("utf-8", "replace")
    assert parse_query_string(text) == parse_qsl(text, keep_blank_values=True)
    params = QueryParams(data)
    assert QueryParams(str(params)).multi_items() == params.multi_items()


def cookies(data: bytes) -> None:
    """Any Cookie header parses, into stripped names without ``;``.

    A value has a ``;`` only when the header spelled it as an escape in a quoted value
    (``"a\\073b"``), which the parser decodes as Starlette's does (``http.cookies``
    unquoting): a raw ``;`` always separates two cookies.
    """
    text = data.decode("latin-1")
    for name, value in cookie_parser(text).items():
        assert name == name.strip()
        assert ";" not in name
        assert ";" not in value or "\\073" in text


def urlencoded(data: bytes) -> None:
    """The streaming parser equals a plain split on ``&``, or refuses exactly what breaks a
    limit, however the body is cut."""
    source = Input(data)
    max_fields = source.number(8)
    max_part_size = source.number(40)
    body = source.rest()
    chunks = source.splits(body)
    pieces = [piece for piece in body.split(b"&") if piece]
    breaks = len(pieces) > max_fields or any(
        len(piece) - (b"=" in piece) > max_part_size for piece in pieces
    )

    def decode(value: bytes) -> str:
        return unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8", "replace")

    async def parse() -> list[tuple[str, Any]]:
        form = await FormParser(
            Headers(), _stream(chunks), max_fields=max_fields, max_part_size=max_part_size
        ).parse()
        return form.multi_items()

    try:
        fields = anyio.run(parse)
    except MultiPartException:
        assert breaks, body
        return
    assert not breaks, body
    assert fields == [
        (decode(name), decode(value))
        for name, _, value in (piece.partition(b"=") for piece in pieces)
    ]


def multipart(data: bytes) -> None:
    """Any body gives a form or a ``MultiPartException`` (a 400), and every file it opened
    is closed when it fails."""
    source = Input(data)
    boundary = source.choice([b"b", b"XyZ", b"----WebKitFormBoundary7MA4YWxkTrZu0gW"])
    prefix = source.choice(
        [
            b"",
            b"--" + boundary + b"\r\n",
            b"--"
            + boundary
            + b'\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n',
        ]
    )
    body = prefix + source.rest()
    chunks = source.splits(body)
    opened: list[Any] = []
    headers = Headers({"content-type": f"multipart/form-data; boundary={boundary.decode()}"})

    async def parse() -> None:
        parser = MultiPartParser(headers, _stream(chunks), max_files=4, max_fields=8)
        parser.spool_max_size = 64  # small, so files go to disk too
        try:
            form = await parser.parse()
        except MultiPartException:
            opened.extend(parser._files)
            return
        for _, value in form.multi_items():
            if not isinstance(value, str):
                opened.append(value)
                assert value.size == len(await value.read())
        await form.close()

    anyio.run(parse)
    assert all(upload.file.closed for upload in opened)


# --- asgi-responses ---------------------------------------------------------------------------


def ranges(data: bytes) -> None:
    """Range headers give sorted, disjoint ranges inside the file, or a documented refusal;
    the ranges cover exactly the bytes a plain reading of the header asks for."""
    source = Input(data)
    size = 1 + source.number(300)
    header = source.choice(["bytes=", "bytes = ", "Bytes=", "items=", ""]) + source.text(
        "0123456789-, =x", 60
    )
    try:
        answer = parse_range_header(header, size)
    except (MalformedRangeHeader, RangeNotSatisfiable):
        return
    if answer is None:
        return
    assert answer, header
    previous_stop = -1
    for start, stop in answer:
        assert 0 <= start < stop <= size, (header, answer)
        assert start > previous_stop, (header, answer)  # sorted, merged
        previous_stop = stop
    covered = {position for start, stop in answer for position in range(start, stop)}

    def number(text: str) -> int | None:
        try:
            return int(text)  # as HTTP servers read them: surrounding blanks are fine
        except ValueError:
            return None

    wanted: set[int] = set()
    for spec in header.partition("=")[2].split(","):
        first, dash, last = spec.strip().partition("-")
        low, high = number(first), number(last)
        if not dash:
            continue
        if low is not None and (high is not None or not last):
            wanted.update(range(low, (size - 1 if high is None else min(high, size - 1)) + 1))
        elif not first and high is not None:
            wanted.update(range(max(0, size - high), size))
    assert covered == wanted, (header, answer)


# --- asgi-routing -----------------------------------------------------------------------------

PATTERN_SEGMENTS = ["a", "b", "users", "1", "", "{p}", "{n:int}", "{f:float}", "{name}.txt"]
REQUEST_SEGMENTS = ["a", "b", "users", "1", "42", "x.txt", "", "3.5", "9" * 5000, "%2F"]


def _endpoint(request: Any) -> Any:  # pragma: no cover - never called
    raise AssertionError


def routing(data: bytes) -> None:
    """The compiled table picks the route a scan in declaration order picks (first full
    match, else the first partial one)."""
    source = Input(data)
    routes: list[BaseRoute] = []
    for _ in range(1 + source.number(8)):
        parts = [source.choice(PATTERN_SEGMENTS) for _ in range(1 + source.number(4))]
        # parameter names must differ within a path: p_0, n_2, ...
        path = "/" + "/".join(
            re.sub(r"\{(\w+)", rf"{{\g<1>_{n}", part) for n, part in enumerate(parts)
        )
        if source.flag():
            path += "/{rest:path}"
        kind = source.choice(["get", "post", "ws", "mount"])
        if kind == "get":
            routes.append(Route(path, _endpoint))
        elif kind == "post":
            routes.append(Route(path, _endpoint, methods=["POST"]))
        elif kind == "ws":
            routes.append(WebSocketRoute(path, _endpoint))
        else:
            routes.append(Mount(path.split("/{rest:path}")[0].rstrip("/") or "/m", routes=[]))
    request = "/" + "/".join(source.choice(REQUEST_SEGMENTS) for _ in range(1 + source.number(5)))
    scope = {
        "type": source.choice(["http", "websocket"]),
        "path": request,
        "root_path": "",
        "method": source.choice(["GET", "POST"]),
        "headers": [],
    }

    def pick(candidates: list[BaseRoute]) -> tuple[int, Match] | None:
        partial = None
        for route in candidates:
            match, _ = route.matches(dict(scope))
            if match is Match.FULL:
                return routes.index(route), match
            if match is Match.PARTIAL and partial is None:
                partial = (routes.index(route), match)
        return partial

    assert pick(RouteTable(routes).candidates(request)) == pick(routes), (
        [getattr(route, "path", "") for route in routes],
        request,
    )
    Router(routes)  # and the router builds its own table from them


# --- asgi-staticfiles -------------------------------------------------------------------------

_STATIC: dict[str, Any] = {}


def _static_root() -> tuple[StaticFiles, str]:
    if not _STATIC:
        root = Path(tempfile.gettempdir()) / "asgi-fuzz-static"
        shutil.rmtree(root, ignore_errors=True)  # made afresh by each run
        (root / "public" / "sub").mkdir(parents=True)
        (root / "public" / "a.txt").write_text("a")
        (root / "public" / "sub" / "b.txt").write_text("b")
        (root / "secret.txt").write_text("secret")
        (root / "public" / "out").symlink_to(root / "secret.txt")
        _STATIC["app"] = StaticFiles(directory=root / "public", html=True)
        _STATIC["root"] = os.path.realpath(root / "public")
    return _STATIC["app"], _STATIC["root"]


def static_paths(data: bytes) -> None:
    """No request path finds a file outside the directory."""
    app, root = _static_root()
    path = "/" + data.decode("utf-8", "replace")
    scope = {"type": "http", "path": path, "root_path": "", "method": "GET", "headers": []}
    try:
        full, found = app.lookup_path(app.get_path(scope))
    except (OSError, ValueError):
        return
    if found is not None:
        real = os.path.realpath(full)
        assert real == root or real.startswith(root + os.sep), (path, full)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "url-scope": url_from_scope,
    "url-text": url_from_text,
    "headers": headers,
    "query": query_string,
    "cookies": cookies,
    "urlencoded": urlencoded,
    "multipart": multipart,
    "range": ranges,
    "routing": routing,
    "static": static_paths,
}
