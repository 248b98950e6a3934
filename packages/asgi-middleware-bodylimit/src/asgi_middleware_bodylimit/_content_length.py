"""Reading the declared body size from the ``Content-Length`` header(s), strictly."""

from __future__ import annotations

from collections.abc import Iterable

from asgi_middleware_bodylimit._errors import InvalidContentLength

__all__ = ["declared_length"]

#: A value with more significant digits than this is larger than any body a server takes;
#: it stands for "too large" without converting a long digit string to an int.
_MAX_DIGITS = 30
_HUGE: int = 10**_MAX_DIGITS
#: At most this many characters of a bad value are quoted in the error message.
_SHOWN = 40
_OWS = b" \t"


def _shown(raw: bytes) -> str:
    text = raw.decode("latin-1")
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "...")


def _size(element: bytes, raw: bytes) -> int:
    if not element.isdigit():  # ASCII digits only: no sign, no "_", no other scripts
        raise InvalidContentLength(
            f"Invalid Content-Length header: {_shown(raw)}. It must be the body size in "
            "bytes, written with the digits 0-9 only (no sign, no spaces inside)."
        )
    significant = element.lstrip(b"0")
    if len(significant) > _MAX_DIGITS:
        return _HUGE
    return int(significant or b"0")


def declared_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    """The body size the request's ``Content-Length`` declares; ``None`` without one.

    RFC 9110: a size is ``1*DIGIT``; several header lines, or a comma-separated list, are
    accepted only if every value is the same. Anything else raises
    :class:`InvalidContentLength` (a 400).
    """
    found: int | None = None
    first = b""
    for name, raw in headers:
        if name != b"content-length":  # ASGI servers send header names in lower case
            continue
        for part in raw.split(b","):
            element = part.strip(_OWS)
            size = _size(element, raw)
            if found is None:
                found, first = size, element
            elif size != found:
                raise InvalidContentLength(
                    f"Conflicting Content-Length values: {_shown(first)} and "
                    f"{_shown(element)}. A request has one body size; send a single "
                    "Content-Length."
                )
    return found
