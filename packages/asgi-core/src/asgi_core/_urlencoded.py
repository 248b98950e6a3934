"""Streaming parser for ``application/x-www-form-urlencoded`` bodies.

Written for this package rather than taken from python-multipart so that memory stays
bounded: fields are split on ``&`` only (as browsers send them and as Starlette reads them),
each is decoded as soon as it is complete, and parsing stops with a
:class:`MultiPartException` (Starlette's messages) as soon as a field or the number of
fields crosses its limit, so memory stays bounded by ``max_part_size``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import NoReturn
from urllib.parse import unquote_to_bytes

from asgi_core._form_limits import (
    DEFAULT_MAX_FIELDS,
    DEFAULT_MAX_PART_SIZE,
    MultiPartException,
    kilobytes,
)
from asgi_core._headers import Headers
from asgi_core._upload import FormData

__all__ = ["FormParser"]


def _decode(value: bytes) -> str:
    """A name or value: ``+`` is a space, then percent-decoded bytes read as UTF-8."""
    return unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8", "replace")


class FormParser:
    """Parse an urlencoded form from ``stream`` (an async iterator of body chunks).

    ``max_fields`` bounds the number of non-empty ``&``-separated fields and
    ``max_part_size`` the encoded size of each field's name and value together, in bytes,
    as Starlette counts them. Fields are always decoded as UTF-8, as the WHATWG URL
    standard defines this format: a ``charset`` parameter of the ``Content-Type`` is
    ignored (as by Starlette and browsers), and so are bytes sent without percent-encoding
    (``curl -d 'name=José'``), which Starlette reads as latin-1 instead.
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
        self._items: list[tuple[str, str]] = []
        self._fields = 0

    def _field(self, piece: bytes) -> None:
        if not piece:
            return
        self._fields += 1
        if self._fields > self.max_fields:
            raise MultiPartException(
                f"Too many fields. Maximum number of fields is {self.max_fields}."
            )
        name, equals, value = piece.partition(b"=")
        if len(piece) - len(equals) > self.max_part_size:
            self._too_large()
        self._items.append((_decode(name), _decode(value)))

    def _too_large(self) -> NoReturn:
        raise MultiPartException(
            f"Field exceeded maximum size of {kilobytes(self.max_part_size)}KB."
        )

    async def parse(self) -> FormData:
        """Read the whole stream and return the fields as :class:`FormData`."""
        pending = bytearray()  # the start of a field whose end has not arrived yet
        pending_has_equals = False
        async for chunk in self.stream:
            start = 0
            separator = chunk.find(b"&")
            while separator != -1:
                if pending:
                    pending += chunk[start:separator]
                    self._field(bytes(pending))
                    pending.clear()
                    pending_has_equals = False
                else:
                    self._field(chunk[start:separator])
                start = separator + 1
                separator = chunk.find(b"&", start)
            if start < len(chunk):
                rest = chunk[start:]
                pending_has_equals = pending_has_equals or b"=" in rest
                pending += rest
                if len(pending) - pending_has_equals > self.max_part_size:
                    self._too_large()
        self._field(bytes(pending))
        return FormData(self._items)
