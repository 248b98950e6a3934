"""Requests and connections, laid out like ``starlette.requests``."""

from asgi_core._connection import HTTPConnection, StateT
from asgi_core._cookies import cookie_parser
from asgi_core._request import (
    SERVER_PUSH_HEADERS_TO_COPY,
    ClientDisconnect,
    InvalidJSONError,
    Request,
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
