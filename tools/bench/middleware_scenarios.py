"""Middleware scenarios: CORS + GZip, BaseHTTPMiddleware, and gzip of a 1 MB body.

The same three variants as every scenario: ours (the asgi-middleware-* packages around an
asgi-routing Router), Starlette (its middleware around its Router), and a hand-written ASGI app
that does the same work with the standard library (the floor).
"""

from __future__ import annotations

import gzip
import io
from typing import Any

from starlette.middleware.base import BaseHTTPMiddleware as StarletteBaseHTTPMiddleware
from starlette.middleware.cors import CORSMiddleware as StarletteCORSMiddleware
from starlette.middleware.gzip import GZipMiddleware as StarletteGZipMiddleware
from starlette.requests import Request as StarletteRequest
from starlette.responses import PlainTextResponse as StarlettePlainTextResponse
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route as StarletteRoute
from starlette.routing import Router as StarletteRouter

from asgi_core import Request
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_base import BaseHTTPMiddleware
from asgi_middleware_compress import GZipMiddleware
from asgi_middleware_cors import CORSMiddleware
from asgi_responses import PlainTextResponse, Response
from asgi_routing import Route, Router

ORIGIN = b"https://app.example.org"
SMALL = "Hello, world!"  # under GZip's minimum size: CORS headers only
BIG = ("".join(f'{{"id": {i}, "name": "item {i}", "tags": ["a", "b"]}},' for i in range(20_000)))[
    : 1024 * 1024
].encode()


# --------------------------------------------------------------------------- CORS + GZip


async def small_ours(request: Request) -> PlainTextResponse:
    return PlainTextResponse(SMALL)


async def small_starlette(request: StarletteRequest) -> StarlettePlainTextResponse:
    return StarlettePlainTextResponse(SMALL)


CORS_GZIP_OURS: ASGIApp = CORSMiddleware(
    GZipMiddleware(Router([Route("/", small_ours)])),
    allow_origins=[ORIGIN.decode()],
)
CORS_GZIP_STARLETTE: ASGIApp = StarletteCORSMiddleware(
    StarletteGZipMiddleware(StarletteRouter([StarletteRoute("/", small_starlette)])),
    allow_origins=[ORIGIN.decode()],
)


async def cors_gzip_raw(scope: Scope, receive: Receive, send: Send) -> None:
    """The floor: check the Origin by hand, add the two CORS headers, answer."""
    origin = None
    for name, value in scope["headers"]:
        if name == b"origin":
            origin = value
    body = SMALL.encode()
    headers = [
        (b"content-length", b"%d" % len(body)),
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"vary", b"Accept-Encoding, Origin"),
    ]
    if origin == ORIGIN:
        headers.append((b"access-control-allow-origin", origin))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# --------------------------------------------------------------------------- BaseHTTPMiddleware


class PassOurs(BaseHTTPMiddleware):
    async def dispatch(self, request: Any, call_next: Any) -> Any:
        return await call_next(request)


class PassStarlette(StarletteBaseHTTPMiddleware):
    async def dispatch(self, request: Any, call_next: Any) -> Any:
        return await call_next(request)


BASE_OURS: ASGIApp = PassOurs(Router([Route("/", small_ours)]))
BASE_STARLETTE: ASGIApp = PassStarlette(StarletteRouter([StarletteRoute("/", small_starlette)]))


async def small_raw(scope: Scope, receive: Receive, send: Send) -> None:
    body = SMALL.encode()
    headers = [
        (b"content-length", b"%d" % len(body)),
        (b"content-type", b"text/plain; charset=utf-8"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# --------------------------------------------------------------------------- gzip of 1 MB


async def big_ours(request: Request) -> Response:
    return Response(BIG, media_type="application/json")


async def big_starlette(request: StarletteRequest) -> StarletteResponse:
    return StarletteResponse(BIG, media_type="application/json")


GZIP_OURS: ASGIApp = GZipMiddleware(Router([Route("/", big_ours)]))
GZIP_STARLETTE: ASGIApp = StarletteGZipMiddleware(
    StarletteRouter([StarletteRoute("/", big_starlette)])
)


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as file:
        file.write(data)
    return buffer.getvalue()


async def gzip_raw(scope: Scope, receive: Receive, send: Send) -> None:
    """The floor: compress the body in one call, answer."""
    body = _gzip(BIG)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-encoding", b"gzip"),
        (b"vary", b"Accept-Encoding"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
