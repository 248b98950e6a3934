"""The exceptions a limited ``receive`` raises, and the check of ``max_body_size``."""

from __future__ import annotations

from asgi_core import HTTPException

__all__ = ["InvalidContentLength", "RequestBodyTooLarge", "checked_max_body_size"]

#: The 413 response's body, as Starlette's.
CONTENT_TOO_LARGE = "Content Too Large"


class RequestBodyTooLarge(HTTPException):
    """The request body is larger than the limit: ``413 Content Too Large``.

    Raised by the limited ``receive`` before anything is read when the declared
    ``Content-Length`` is over the limit, and as soon as the bytes received cross it for a
    body without one (chunked, streamed). It is an :class:`~asgi_core.HTTPException`, so
    an exception handler for 413 (or for ``HTTPException``) answers it; left unhandled, the
    middleware answers ``413`` with the body ``Content Too Large``.
    """

    def __init__(self) -> None:
        super().__init__(413, CONTENT_TOO_LARGE)


class InvalidContentLength(HTTPException):
    """The request's ``Content-Length`` is not a size: ``400 Bad Request``.

    A negative or non-numeric value, or several ``Content-Length`` values that differ
    (RFC 9110 section 8.6 allows only digits; RFC 9112 section 6.3 makes differing values
    an unrecoverable framing error). ``detail`` says what was received.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(400, detail)


def checked_max_body_size(max_body_size: object) -> int | None:
    """``max_body_size`` if it is a number of bytes (``int`` >= 0) or ``None``; else raise."""
    if max_body_size is None:
        return None
    if isinstance(max_body_size, bool) or not isinstance(max_body_size, int):
        raise TypeError(
            "max_body_size must be a whole number of bytes (an int) or None for no limit: "
            f"received {max_body_size!r} ({type(max_body_size).__name__}). For example "
            "max_body_size=1024 * 1024 for one MiB."
        )
    if max_body_size < 0:
        raise ValueError(
            f"max_body_size must be 0 or more bytes: received {max_body_size}. Use None "
            "for no limit, or 0 to refuse any body."
        )
    return max_body_size
