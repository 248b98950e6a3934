"""The exceptions of the family that an application raises or catches."""

from __future__ import annotations

import http
from collections.abc import Mapping

from asgi_core._deprecation import AsgiDeprecationWarning

__all__ = [
    "AsgiDeprecationWarning",
    "HTTPException",
    "UsageError",
    "WebSocketDisconnect",
    "WebSocketException",
]


class UsageError(ValueError, AssertionError):
    """A public class or function of the family was called in a way that cannot work.

    Raised where Starlette uses ``assert`` on its arguments (``Headers(headers=..., raw=...)``,
    ``URL("...", scope=...)``, ``Request`` of a WebSocket scope, an unknown ``samesite``),
    with Starlette's message where it has one. It is an ``AssertionError``, so code written
    for Starlette that catches that keeps working, and a ``ValueError``; unlike an
    ``assert`` it is raised under ``python -O`` too.
    """


#: The standard reason phrases by status code (``http.HTTPStatus(code).phrase`` costs a
#: microsecond, more than the rest of raising an ``HTTPException``).
_PHRASES: dict[object, str] = {status.value: status.phrase for status in http.HTTPStatus}


class HTTPException(Exception):
    """Raise it to end a request with an HTTP error response.

    ``HTTPException(404)`` uses the standard reason phrase as ``detail``; ``headers`` are
    added to the error response (``WWW-Authenticate`` for a 401, ``Allow`` for a 405).
    """

    def __init__(
        self,
        status_code: int,
        detail: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if detail is None:
            try:
                detail = _PHRASES.get(status_code, "")
            except TypeError:  # an unhashable status code: no phrase, as HTTPStatus() has none
                detail = ""
        super().__init__(status_code, detail)
        self.status_code = status_code
        self.detail = detail
        self.headers = headers

    def __str__(self) -> str:
        return f"{self.status_code}: {self.detail}"

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(status_code={self.status_code!r}, detail={self.detail!r})"
        )


class WebSocketException(Exception):
    """Raise it in a WebSocket endpoint to close the connection with ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str | None = None) -> None:
        self.code = code
        self.reason = reason or ""
        super().__init__(code, self.reason)

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(code={self.code!r}, reason={self.reason!r})"


class WebSocketDisconnect(Exception):
    """The WebSocket was closed (by the client, or by the server side for the test client).

    The one class shared by asgi-websockets and asgi-testing, so that
    ``pytest.raises(WebSocketDisconnect)`` works whichever package it is imported from.
    As in Starlette, ``args`` (and so ``repr`` and ``str``) are the positional arguments it
    was made with: ``WebSocketDisconnect(1001, 'bye')``.
    """

    def __init__(self, code: int = 1000, reason: str | None = None) -> None:
        # Exception.__new__ already set args to the positional arguments, as Starlette's.
        self.code = code
        self.reason = reason or ""
