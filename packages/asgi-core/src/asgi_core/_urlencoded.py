"""Streaming parser for ``application/x-www-form-urlencoded`` bodies.

Written for this package rather than taken from python-multipart because the usual
query-string parsers also split on ``;`` (``a=1;b=2`` would become two fields, which no
browser ever sends) and do not bound memory. This one splits on ``&`` only, decodes each
field as it completes, and stops with a :class:`MultiPartException` as soon as a field or
the number of fields crosses its limit, so memory stays bounded by ``max_part_size``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import NoReturn
from urllib.parse import unquote_to_bytes

from asgi_core._form_limits import (
    DEFAULT_MAX_FIELDS,
    DEFAULT_MAX_PART_SIZE,
    MultiPartException,
    content_type_options,
    safe_charset,
    shown,
    size_text,
)
from asgi_core._headers import Headers
from asgi_core._upload import FormData

__all__ = ["FormParser"]


class FormParser:
    """Parse an urlencoded form from ``stream`` (an async iterator of body chunks).

    ``max_fields`` bounds the number of ``&``-separated fields (empty ones included) and
    ``max_part_size`` the encoded size of each ``name=value`` field, in bytes. Fields are
    decoded with the ``charset`` of the ``Content-Type`` (UTF-8 by default), whether their
    bytes were percent-encoded or sent raw.
    """

    def __init__(
        self,
        headers: Headers,
        stream: AsyncIterator[bytes],
        *,
        max_fields: int | float = DEFAULT_MAX_FIELDS,
        max_part_size: int = DEFAULT_MAX_PART_SIZE,
    ) -> None:
        self.headers = headers
        self.stream = stream
        self.max_fields = max_fields
        self.max_part_size = max_part_size
        _, options = content_type_options(headers.get("content-type"))
        self._charset = safe_charset(options.get("charset"))
        self._items: list[tuple[str, str]] = []
        self._fields = 0

    def _decode(self, value: bytes) -> str:
        return unquote_to_bytes(value.replace(b"+", b" ")).decode(self._charset, "replace")

    def _field(self, piece: bytes) -> None:
        self._fields += 1
        if self._fields > self.max_fields:
            raise MultiPartException(
                f"Too many fields. Maximum number of fields is {self.max_fields}."
            )
        if len(piece) > self.max_part_size:
            self._too_large(piece, len(piece))
        if piece:
            name, _, value = piece.partition(b"=")
            self._items.append((self._decode(name), self._decode(value)))

    def _too_large(self, head: bytes, size: int) -> NoReturn:
        """Stop at a field of (at least) ``size`` bytes that begins with ``head``."""
        name = self._decode(head.partition(b"=")[0])
        raise MultiPartException(
            f"Field {shown(name)} exceeded maximum size of {size_text(self.max_part_size)} "
            f"(received at least {size} bytes)."
        )

    async def parse(self) -> FormData:
        """Read the whole stream and return the fields as :class:`FormData`."""
        pending = bytearray()
        async for chunk in self.stream:
            start = 0
            separator = chunk.find(b"&")
            while separator != -1:
                if pending:
                    pending += chunk[start:separator]
                    self._field(bytes(pending))
                    pending.clear()
                else:
                    self._field(chunk[start:separator])
                start = separator + 1
                separator = chunk.find(b"&", start)
            size = len(pending) + len(chunk) - start
            if size > self.max_part_size:
                self._too_large(bytes(pending[:100]) + chunk[start : start + 100], size)
            pending += chunk[start:]
        if pending:
            self._field(bytes(pending))
        return FormData(self._items)
