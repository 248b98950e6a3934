"""``FileResponse``: a file from disk, with Range and conditional requests."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from collections.abc import Awaitable, Callable, Mapping
from email.utils import formatdate
from functools import partial
from mimetypes import guess_type
from typing import BinaryIO
from urllib.parse import quote

import anyio

from asgi_core import BackgroundTask, Headers, run_in_threadpool
from asgi_core.types import Receive, Scope, Send
from asgi_responses._base import Response, websocket_denial_send
from asgi_responses._conditional import if_range_matches, precondition_status
from asgi_responses._disconnect import until_disconnect
from asgi_responses._ranges import MalformedRangeHeader, RangeNotSatisfiable, parse_range_header
from asgi_responses._text import PlainTextResponse

__all__ = ["FileResponse", "content_disposition"]

_RawHeaders = list[tuple[bytes, bytes]]
# what a 304 keeps of the full response's headers (RFC 9110 section 15.4.5)
_NOT_MODIFIED_HEADERS = (
    b"cache-control",
    b"content-location",
    b"date",
    b"etag",
    b"expires",
    b"vary",
    b"last-modified",
)


def content_disposition(disposition_type: str, filename: str) -> str:
    """A ``Content-Disposition`` value, as Starlette writes it.

    A name that needs no percent-encoding is sent as ``filename="..."``; any other (non-ASCII
    characters, spaces, quotes) only as RFC 5987 ``filename*=utf-8''...``, which every
    current browser reads.
    """
    encoded = quote(filename)
    if encoded == filename:
        return f'{disposition_type}; filename="{filename}"'
    return f"{disposition_type}; filename*=utf-8''{encoded}"


#: how the ``more_body`` flags of file data are set (see FileResponse._send_data)
_WHOLE, _SINGLE, _PART = range(3)


def _boundary() -> bytes:
    """A fresh ``multipart/byteranges`` boundary, as long as Starlette's (26 characters)."""
    return secrets.token_hex(13).encode("ascii")


def _read_chunks(
    file: BinaryIO, position: int, size: int, chunk_size: int, count: int
) -> list[bytes]:
    """Up to ``count`` chunks from ``position`` (``size`` bytes at most), in one thread hop."""
    file.seek(position)
    chunks: list[bytes] = []
    while size > 0 and len(chunks) < count:
        chunk = file.read(min(chunk_size, size))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return chunks


class FileResponse(Response):
    """Send the file at ``path``.

    Sets ``content-length``, ``last-modified``, ``etag`` and ``accept-ranges``, and
    ``content-disposition`` when ``filename`` is given. Answers ``HEAD`` without reading
    the file, uses ``http.response.pathsend`` when the server offers it, and handles
    ``Range`` (one range: ``206``; several: ``multipart/byteranges``), ``If-Range``,
    ``If-None-Match``/``If-Modified-Since`` (``304``) and ``If-Match``/
    ``If-Unmodified-Since`` (``412``). Headers, answers and messages are Starlette 1.10's,
    except that a ``Range`` unit other than ``bytes`` is ignored and conditional requests
    are answered (both required of an origin server by RFC 9110). The file is read
    ``chunk_size`` bytes at a time in a worker thread, so memory stays flat whatever its
    size; it is closed however sending ends (an ``OSError`` of ``send``, which is raised as
    itself, a disconnect or a cancellation).
    """

    chunk_size = 64 * 1024
    #: chunks read per worker-thread hop
    read_ahead = 4
    max_ranges = 100

    def __init__(
        self,
        path: str | os.PathLike[str],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        filename: str | None = None,
        stat_result: os.stat_result | None = None,
        content_disposition_type: str = "attachment",
    ) -> None:
        self.path = path
        self.status_code = status_code
        self.filename = filename
        if media_type is None:
            media_type = guess_type(filename or os.fspath(path))[0] or "application/octet-stream"
        self.media_type = media_type  # type: ignore[misc]
        self.background = background
        self.init_headers(headers)
        self.headers.setdefault("accept-ranges", "bytes")
        if filename is not None:
            self.headers.setdefault(
                "content-disposition", content_disposition(content_disposition_type, filename)
            )
        self.stat_result = stat_result
        if stat_result is not None:
            self.set_stat_headers(stat_result)

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        """Set ``content-length``, ``last-modified`` and ``etag`` from the file's stat."""
        tag = hashlib.md5(
            f"{stat_result.st_mtime}-{stat_result.st_size}".encode(), usedforsecurity=False
        )
        self.headers.setdefault("content-length", str(stat_result.st_size))
        self.headers.setdefault("last-modified", formatdate(stat_result.st_mtime, usegmt=True))
        self.headers.setdefault("etag", f'"{tag.hexdigest()}"')

    async def _stat(self) -> os.stat_result:
        try:
            result = await anyio.to_thread.run_sync(os.stat, self.path)
        except FileNotFoundError:
            raise RuntimeError(f"File at path {self.path} does not exist.") from None
        if not stat.S_ISREG(result.st_mode):
            raise RuntimeError(f"File at path {self.path} is not a file.")
        self.set_stat_headers(result)
        return result

    async def _open(self) -> BinaryIO:
        try:
            file: BinaryIO = await run_in_threadpool(open, self.path, "rb")
        except FileNotFoundError:
            raise RuntimeError(
                f"File at path {self.path} does not exist (it was removed after its stat)."
            ) from None
        return file

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        http = scope["type"] == "http"
        method = scope["method"].upper() if http else "GET"
        if not http:
            send = websocket_denial_send(send)
        stat_result = self.stat_result if self.stat_result is not None else await self._stat()
        request_headers = Headers(scope=scope)
        etag = self.headers.get("etag")
        if self.status_code == 200:
            status = precondition_status(method, request_headers, etag, stat_result.st_mtime)
            if status is not None:
                await self._send_precondition(status, scope, receive, send)
                return
        ranges: list[tuple[int, int]] | None = None
        range_header = request_headers.get("range")
        if_range = request_headers.get("if-range")
        if (
            range_header is not None
            and self.status_code == 200
            and method in ("GET", "HEAD")
            and (if_range is None or if_range_matches(if_range, etag, stat_result.st_mtime))
        ):
            try:
                ranges = parse_range_header(range_header, stat_result.st_size, self.max_ranges)
            except MalformedRangeHeader as exc:
                await PlainTextResponse(exc.content, status_code=400)(scope, receive, send)
                return
            except RangeNotSatisfiable as exc:
                headers = {"content-range": f"bytes */{exc.max_size}"}
                await PlainTextResponse(status_code=416, headers=headers)(scope, receive, send)
                return
        if method == "HEAD":
            await self._send_head(send, ranges, stat_result.st_size)
        elif ranges is None and http and "http.response.pathsend" in scope.get("extensions", {}):
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )
            path = os.path.abspath(self.path)  # noqa: ASYNC240 - a string operation, no I/O
            await send({"type": "http.response.pathsend", "path": path})
        else:
            file = await self._open()
            size = stat_result.st_size
            try:
                body: Callable[[Send], Awaitable[None]]
                if ranges is None:
                    body = partial(self._send_whole, file=file, size=size)
                elif len(ranges) == 1:
                    body = partial(self._send_single, file=file, byte_range=ranges[0], size=size)
                else:
                    body = partial(self._send_multiple, file=file, ranges=ranges, size=size)
                if http:
                    await until_disconnect(body, scope, receive, send)
                else:
                    await body(send)
            finally:
                with anyio.CancelScope(shield=True):
                    await run_in_threadpool(file.close)
        if self.background is not None:
            await self.background()

    async def _send_precondition(
        self, status: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if status == 412:
            await PlainTextResponse("Precondition Failed", status_code=412)(scope, receive, send)
            return
        headers = [(k, v) for k, v in self.raw_headers if k in _NOT_MODIFIED_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    def _range_headers(
        self, ranges: list[tuple[int, int]] | None, size: int, boundary: bytes
    ) -> tuple[int, _RawHeaders]:
        """Status and headers for the whole file, one range, or several.

        As Starlette: ``content-length`` (and for several ranges ``content-type``) keeps its
        place among the headers with the new value, and ``content-range`` comes last.
        """
        if ranges is None:
            return self.status_code, self.raw_headers
        if len(ranges) == 1:
            start, stop = ranges[0]
            new = {b"content-length": b"%d" % (stop - start)}
            extra = [(b"content-range", b"bytes %d-%d/%d" % (start, stop - 1, size))]
        else:
            length = self._multipart_length(ranges, size, boundary)
            new = {
                b"content-type": b"multipart/byteranges; boundary=" + boundary,
                b"content-length": b"%d" % length,
            }
            extra = []
        headers = [(k, new.get(k, v)) for k, v in self.raw_headers]
        present = {k for k, _ in headers}
        headers += [(k, v) for k, v in new.items() if k not in present]
        return 206, headers + extra

    def _part_header(self, start: int, stop: int, size: int, boundary: bytes) -> bytes:
        """The head of one part of ``multipart/byteranges``: the response's own content type."""
        content_type = next(
            (v for k, v in self.raw_headers if k == b"content-type"),
            str(self.media_type).encode("latin-1"),
        )
        return b"--%s\r\nContent-Type: %s\r\nContent-Range: bytes %d-%d/%d\r\n\r\n" % (
            boundary,
            content_type,
            start,
            stop - 1,
            size,
        )

    def _multipart_length(self, ranges: list[tuple[int, int]], size: int, boundary: bytes) -> int:
        parts = sum(len(self._part_header(a, b, size, boundary)) + b - a + 2 for a, b in ranges)
        return parts + len(boundary) + 4  # the closing "--<boundary>--"

    async def _send_head(self, send: Send, ranges: list[tuple[int, int]] | None, size: int) -> None:
        status, headers = self._range_headers(ranges, size, _boundary())
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _send_data(
        self, send: Send, file: BinaryIO, start: int, length: int, mode: int
    ) -> bool:
        """Send ``length`` bytes from ``start``; a short read means the file changed.

        Chunks are read a few at a time per worker-thread hop (``read_ahead``), which keeps
        memory bounded by ``chunk_size * read_ahead`` while cutting thread switches. The
        ``more_body`` flags are Starlette's: a single range ends with its last chunk, the
        whole file with its first chunk shorter than ``chunk_size``, a part of several
        ranges never. Returns whether the body has ended.
        """
        position, stop = start, start + length
        ended = False
        while position < stop:
            chunks = await run_in_threadpool(
                _read_chunks, file, position, stop - position, self.chunk_size, self.read_ahead
            )
            if not chunks:
                raise RuntimeError(
                    f"File at path {self.path} is shorter than expected: it changed while "
                    "being sent."
                )
            for chunk in chunks:
                position += len(chunk)
                ended = position >= stop and (
                    mode == _SINGLE or (mode == _WHOLE and len(chunk) < self.chunk_size)
                )
                await send({"type": "http.response.body", "body": chunk, "more_body": not ended})
        return ended

    async def _send_whole(self, send: Send, file: BinaryIO, size: int) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        if not await self._send_data(send, file, 0, size, _WHOLE):
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _send_single(
        self, send: Send, file: BinaryIO, byte_range: tuple[int, int], size: int
    ) -> None:
        status, headers = self._range_headers([byte_range], size, b"")
        await send({"type": "http.response.start", "status": status, "headers": headers})
        start, stop = byte_range
        await self._send_data(send, file, start, stop - start, _SINGLE)

    async def _send_multiple(
        self, send: Send, file: BinaryIO, ranges: list[tuple[int, int]], size: int
    ) -> None:
        boundary = _boundary()
        status, headers = self._range_headers(ranges, size, boundary)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for start, stop in ranges:
            header = self._part_header(start, stop, size, boundary)
            await send({"type": "http.response.body", "body": header, "more_body": True})
            await self._send_data(send, file, start, stop - start, _PART)
            await send({"type": "http.response.body", "body": b"\r\n", "more_body": True})
        await send({"type": "http.response.body", "body": b"--%s--" % boundary})
