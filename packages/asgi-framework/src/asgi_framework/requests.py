"""Laid out like ``starlette.requests`` (names from asgi-core)."""

from asgi_core.requests import (
    SERVER_PUSH_HEADERS_TO_COPY,
    ClientDisconnect,
    HTTPConnection,
    InvalidJSONError,
    Request,
    StateT,
    cookie_parser,
    empty_receive,
    empty_send,
)

__all__ = [
    "SERVER_PUSH_HEADERS_TO_COPY",
    "ClientDisconnect",
    "HTTPConnection",
    "InvalidJSONError",
    "Request",
    "StateT",
    "cookie_parser",
    "empty_receive",
    "empty_send",
]
