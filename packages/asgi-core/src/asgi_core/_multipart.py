"""Streaming parser for ``multipart/form-data`` bodies, built on python-multipart.

python-multipart (the ``forms`` extra) tokenises the body and bounds what cannot be bounded
here (the size and number of part headers, the boundary length); this module enforces the
form's limits, builds the :class:`FormData`, and moves file data to :class:`UploadFile`
objects whose disk writes run in worker threads. Answers and messages are Starlette's.
Every limit ends parsing at once with a :class:`MultiPartException` (a 400), and every file
opened so far is closed (deleted); so are the files of parts a truncated body left unfinished.
"""

from __future__ import annotations

import codecs
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
    kilobytes,
    shown,
    size_text,
)
from asgi_core._headers import Headers
from asgi_core._upload import FormData, UploadFile

__all__ = ["MultiPartParser"]


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


def _codec(charset: str | None) -> str:
    """The codec for ``charset``, looked up once per form; latin-1 when Python has none."""
    try:
        return codecs.lookup(charset or "utf-8").name
    except LookupError:
        return "latin-1"


def _decode(value: bytes | bytearray, codec: str) -> str:
    """``value`` in ``codec``, or in latin-1 when it is not valid there (as Starlette)."""
    try:
        return value.decode(codec)
    except UnicodeDecodeError:
        return value.decode("latin-1")


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
    cap the whole body with a body-size middleware). File parts are spooled to disk past
    :attr:`spool_max_size` bytes. A body that ends before its closing boundary gives the
    parts completed so far, as in Starlette.
    """

    spool_max_size = 1024 * 1024

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
        self._parse_options_header: Any = None

    # python-multipart callbacks; they run synchronously inside parser.write().

    def _on_part_begin(self) -> None:
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
            raise MultiPartException(
                'The Content-Disposition header field "name" must be provided.'
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
                    f"Part exceeded maximum size of {kilobytes(self.max_part_size)}KB."
                )
            part.data += data[start:end]

    def _on_part_end(self) -> None:
        part = self._part
        if part.file is not None:
            self._items.append((part.name, part.file))
        else:
            self._items.append((part.name, _decode(part.data, self._charset)))

    async def parse(self) -> FormData:
        """Read the whole stream and return the parsed form.

        Raises :class:`MultiPartException` for malformed bodies and broken limits, and
        :class:`ImportError` when python-multipart is not installed.
        """
        parser_class, self._parse_options_header, parse_error = _load_python_multipart()
        _, options = content_type_options(self.headers.get("content-type"))
        boundary = options.get("boundary")
        if not boundary:
            raise MultiPartException("Missing boundary in multipart.")
        self._charset = _codec(options.get("charset"))
        callbacks = {
            "on_part_begin": self._on_part_begin,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
        }
        try:
            parser = parser_class(boundary.encode("latin-1", "replace"), callbacks)
            async for chunk in self.stream:
                parser.write(chunk)
                for upload, data in self._writes:
                    await upload.write(data)
                self._writes.clear()
            parser.finalize()
            finished = {id(value) for _, value in self._items}
            for upload in self._files:
                if id(upload) in finished:
                    await upload.seek(0)
                else:  # a part a truncated body left unfinished: it is not in the form
                    await upload.close()
        except BaseException as exc:
            with anyio.CancelScope(shield=True):
                for upload in self._files:
                    await upload.close()
            if isinstance(exc, parse_error):
                raise MultiPartException("Invalid multipart data.") from exc
            raise
        return FormData(self._items)
