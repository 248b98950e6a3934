"""The exceptions of the family that an application raises or catches."""

from __future__ import annotations

import http
from collections.abc import Mapping

from asgi_core._deprecation import AsgiDeprecationWarning

__all__ = [
    "AsgiDeprecationWarning",
    "HTTPException",
    "WebSocketDisconnect",
    "WebSocketException",
]


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
                detail = http.HTTPStatus(status_code).phrase
            except ValueError:
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
    """

    def __init__(self, code: int = 1000, reason: str | None = None) -> None:
        self.code = code
        self.reason = reason or ""
        super().__init__(code, self.reason)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(code={self.code!r}, reason={self.reason!r})"
