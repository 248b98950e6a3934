"""Streaming parser for ``multipart/form-data`` bodies, built on python-multipart.

python-multipart (the ``forms`` extra) tokenises the body; this module enforces the
limits, builds the :class:`FormData`, and moves file data to :class:`UploadFile` objects
whose disk writes run in worker threads. Every limit ends parsing at once with a
:class:`MultiPartException` (a 400), and every file opened so far is closed (deleted).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from tempfile import SpooledTemporaryFile
from typing import Any

import anyio

from asgi_core._form_limits import (
    DEFAULT_MAX_FIELDS,
    DEFAULT_MAX_FILES,
    DEFAULT_MAX_PART_SIZE,
    MultiPartException,
    content_type_options,
    shown,
    size_text,
)
from asgi_core._headers import Headers
from asgi_core._upload import FormData, UploadFile

__all__ = ["MultiPartParser"]

# RFC 2046 section 5.1.1: 1 to 70 characters from this set, not ending in a space.
_BOUNDARY_CHARS = frozenset(
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? "
)
_MAX_BOUNDARY_LENGTH = 70


def _load_python_multipart() -> tuple[Any, Any, type[Exception]]:
    """Import python-multipart on first use, so that asgi-core works without it."""
    try:
        from python_multipart.exceptions import FormParserError
        from python_multipart.multipart import MultipartParser, parse_options_header
    except ImportError:
        raise ImportError(
            "Parsing multipart/form-data needs the python-multipart library, which is not "
            "installed. Install it with: pip install 'asgi-core[forms]'"
        ) from None
    return MultipartParser, parse_options_header, FormParserError


def _decode(value: bytes | bytearray, charset: str) -> str:
    try:
        return value.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return value.decode("latin-1")


def _check_boundary(boundary: str | None, content_type: str | None) -> bytes:
    if not boundary:
        raise MultiPartException(
            f"Missing boundary in multipart. The Content-Type header was {shown(content_type)}; "
            "it needs a boundary parameter."
        )
    raw = boundary.encode("latin-1", "replace")
    if len(raw) > _MAX_BOUNDARY_LENGTH:
        raise MultiPartException(
            f"Multipart boundary is {len(raw)} characters long; at most "
            f"{_MAX_BOUNDARY_LENGTH} are allowed (RFC 2046)."
        )
    if not _BOUNDARY_CHARS.issuperset(raw) or raw.endswith(b" "):
        raise MultiPartException(
            f"Multipart boundary {boundary!r} contains characters RFC 2046 does not allow."
        )
    return raw


class _Part:
    __slots__ = ("data", "file", "headers", "name", "size")

    def __init__(self) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.name = ""
        self.data = bytearray()
        self.file: UploadFile | None = None
        self.size = 0


class MultiPartParser:
    """Parse a ``multipart/form-data`` body from ``stream`` into :class:`FormData`.

    Limits: ``max_files`` file parts, ``max_fields`` other parts, ``max_part_size`` bytes of
    data in one non-file part, ``max_file_size`` bytes in one file (``None``: no limit;
    cap the whole body with a body-size middleware), and :attr:`max_preamble_size` bytes
    before the first boundary or after the last one. File parts are spooled to disk past
    :attr:`spool_max_size` bytes.
    """

    spool_max_size = 1024 * 1024
    max_preamble_size = 64 * 1024

    def __init__(
        self,
        headers: Headers,
        stream: AsyncIterator[bytes],
        *,
        max_files: int | float = DEFAULT_MAX_FILES,
        max_fields: int | float = DEFAULT_MAX_FIELDS,
        max_part_size: int = DEFAULT_MAX_PART_SIZE,
        max_file_size: int | None = None,
    ) -> None:
        self.headers = headers
        self.stream = stream
        self.max_files = max_files
        self.max_fields = max_fields
        self.max_part_size = max_part_size
        self.max_file_size = max_file_size
        self._charset = "utf-8"
        self._part = _Part()
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._items: list[tuple[str, str | UploadFile]] = []
        self._files: list[UploadFile] = []
        self._writes: list[tuple[UploadFile, bytes]] = []
        self._file_count = 0
        self._field_count = 0
        self._started = False
        self._ended = False
        self._parse_options_header: Any = None

    # python-multipart callbacks; they run synchronously inside parser.write().

    def _on_part_begin(self) -> None:
        self._started = True
        self._part = _Part()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._part.headers.append((bytes(self._header_name).lower(), bytes(self._header_value)))
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        part = self._part
        headers = Headers(raw=part.headers)
        disposition = headers.get("content-disposition")
        _, options = self._parse_options_header(disposition)
        if b"name" not in options:
            received = (
                "The part has no Content-Disposition header."
                if disposition is None
                else f"The part's Content-Disposition was {shown(disposition)}."
            )
            raise MultiPartException(
                f'The Content-Disposition header field "name" must be provided. {received}'
            )
        part.name = _decode(options[b"name"], self._charset)
        if b"filename" in options:
            self._file_count += 1
            if self._file_count > self.max_files:
                raise MultiPartException(
                    f"Too many files. Maximum number of files is {self.max_files}."
                )
            spool = SpooledTemporaryFile(max_size=self.spool_max_size)  # noqa: SIM115 - closed by FormData.close
            part.file = UploadFile(
                spool,
                size=0,
                filename=_decode(options[b"filename"], self._charset),
                headers=headers,
            )
            self._files.append(part.file)
        else:
            self._field_count += 1
            if self._field_count > self.max_fields:
                raise MultiPartException(
                    f"Too many fields. Maximum number of fields is {self.max_fields}."
                )

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._part
        part.size += end - start
        if part.file is not None:
            if self.max_file_size is not None and part.size > self.max_file_size:
                raise MultiPartException(
                    f"File {shown(part.file.filename)} exceeded maximum size of "
                    f"{size_text(self.max_file_size)}."
                )
            self._writes.append((part.file, data[start:end]))
        else:
            if part.size > self.max_part_size:
                raise MultiPartException(
                    f"Part {shown(part.name)} exceeded maximum size of "
                    f"{size_text(self.max_part_size)} (received at least {part.size} bytes)."
                )
            part.data += data[start:end]

    def _on_part_end(self) -> None:
        part = self._part
        if part.file is not None:
            self._items.append((part.name, part.file))
        else:
            self._items.append((part.name, _decode(part.data, self._charset)))

    def _on_end(self) -> None:
        self._ended = True

    async def parse(self) -> FormData:
        """Read the whole stream and return the parsed form.

        Raises :class:`MultiPartException` for malformed bodies and broken limits, and
        :class:`ImportError` when python-multipart is not installed.
        """
        parser_class, self._parse_options_header, parse_error = _load_python_multipart()
        content_type = self.headers.get("content-type")
        _, options = content_type_options(content_type)
        boundary = _check_boundary(options.get("boundary"), content_type)
        self._charset = options.get("charset", "utf-8")
        callbacks = {
            "on_part_begin": self._on_part_begin,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_end": self._on_end,
        }
        parser = parser_class(boundary, callbacks)
        outside = 0  # bytes seen before the first part or after the closing boundary
        received = 0
        try:
            async for chunk in self.stream:
                received += len(chunk)
                if self._ended:
                    outside += len(chunk)
                else:
                    parser.write(chunk)
                    for upload, data in self._writes:
                        await upload.write(data)
                    self._writes.clear()
                    if not self._started:
                        outside += len(chunk)
                if outside > self.max_preamble_size:
                    raise MultiPartException(
                        f"Multipart body has more than {size_text(self.max_preamble_size)} "
                        "outside its parts (before the first boundary or after the last): "
                        f"received {outside} bytes there."
                    )
            parser.finalize()
            if received and not self._ended:
                raise MultiPartException(
                    "Invalid multipart data: the body ended before the closing boundary "
                    f"(received {received} bytes)."
                )
            for upload in self._files:
                await upload.seek(0)
        except BaseException as exc:
            with anyio.CancelScope(shield=True):
                for upload in self._files:
                    await upload.close()
            if isinstance(exc, parse_error):
                raise MultiPartException(f"Invalid multipart data: {exc}") from exc
            raise
        return FormData(self._items)
