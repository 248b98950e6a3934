"""The application the bad-input catalogue attacks, served by uvicorn in a process of its own.

``python tests-integration/bad_input_server.py SITE PORT`` serves, on 127.0.0.1:PORT, an
``asgi_framework.App`` with the parts the published attacks aim at: StaticFiles over
``SITE/static``, forms with limits (multipart and urlencoded), an ``HTTPEndpoint``, a
``FileResponse`` with ranges, a streaming download, a WebSocket route with a message size
limit, a body limit, and a middleware that decides on ``request.url.path`` (the shape the
Host-header advisory exploited). ``SITE/secret.txt`` and ``SITE/static_private/`` lie beside
the static folder: nothing may ever read them.

An audit hook (``sys.addaudithook``) records every ``open`` of a path inside ``SITE`` but
outside ``SITE/static``; ``GET /__probe__`` (answered before the application) reports those
paths, the requests still in flight and the process's open file descriptors, so a test can
check that nothing was read, nothing hangs and nothing leaks.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import uvicorn

from asgi_core import HTTPConnection, Request
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_framework import App
from asgi_framework.endpoints import HTTPEndpoint, WebSocketEndpoint
from asgi_framework.middleware import Middleware
from asgi_framework.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from asgi_framework.routing import Mount, Route, WebSocketRoute
from asgi_framework.staticfiles import StaticFiles
from asgi_framework.websockets import WebSocket

#: form limits of /form: small, so that floods cross them quickly
MAX_FIELDS = 20
MAX_FILES = 5
MAX_PART_SIZE = 1024
MAX_FILE_SIZE = 64 * 1024
#: /files takes files big enough to be spooled to disk (past 1 MiB)
MAX_BIG_FILE_SIZE = 3 * 1024 * 1024
#: the whole request body, for every route
MAX_BODY_SIZE = 4 * 1024 * 1024
#: the WebSocket route's message limit; uvicorn's own (ws_max_size) is WS_SERVER_MAX_SIZE
WS_MAX_MESSAGE = 1024
WS_SERVER_MAX_SIZE = 64 * 1024
#: the chunk size and count of the streamed download
STREAM_CHUNK = 64 * 1024
STREAM_CHUNKS = 256


class Audit:
    """What the audit hook saw, and what the probe reports."""

    def __init__(self, site: Path) -> None:
        self.site = str(site.resolve())
        self.static = str((site / "static").resolve())
        self.outside: list[str] = []
        self.in_flight = 0

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event not in ("open", "os.listdir", "os.scandir") or not isinstance(
            args[0], (str, bytes, os.PathLike)
        ):
            return
        path = os.path.realpath(os.fsdecode(args[0]))
        inside_site = path == self.site or path.startswith(self.site + os.sep)
        inside_static = path == self.static or path.startswith(self.static + os.sep)
        if inside_site and not inside_static:
            self.outside.append(path)

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def probe_or_app(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == "/__probe__":
                report = {
                    "outside": self.outside,
                    "in_flight": self.in_flight,
                    "fds": len(os.listdir("/proc/self/fd")),
                }
                await JSONResponse(report)(scope, receive, send)
                return
            if scope["type"] == "lifespan":
                await app(scope, receive, send)
                return
            self.in_flight += 1
            try:
                await app(scope, receive, send)
            finally:
                self.in_flight -= 1

        return probe_or_app


class PathGuard:
    """Lets ``/``, ``/health`` and static files through; anything else needs a token.

    It decides on ``request.url.path``, as the middleware the Host-header advisory bypassed
    did: a forged ``Host`` must not change what it sees. ``X-Show-URL: 1`` makes it answer
    with the URL it sees instead.
    """

    OPEN = ("/", "/health")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request = HTTPConnection(scope)
        url = request.url
        if request.headers.get("x-show-url") == "1":
            shown = {
                "url": str(url),
                "hostname": url.hostname,
                "port": url.port,
                "path": url.path,
                "query": url.query,
                "params": len(request.query_params.multi_items()),
            }
            if scope["type"] == "http":
                await JSONResponse(shown)(scope, receive, send)
                return
        guarded = url.path.startswith("/admin")
        if guarded and request.headers.get("authorization") != "Bearer let-me-in":
            if scope["type"] == "http":
                await PlainTextResponse("Unauthorized", status_code=401)(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008, "reason": ""})
            return
        await self.app(scope, receive, send)


async def home(request: Request) -> Response:
    return PlainTextResponse("ok")


async def admin(request: Request) -> Response:
    return PlainTextResponse("the admin page")


async def form(request: Request) -> Response:
    async with request.form(
        max_fields=MAX_FIELDS,
        max_files=MAX_FILES,
        max_part_size=MAX_PART_SIZE,
        max_file_size=MAX_FILE_SIZE,
    ) as data:
        fields: dict[str, Any] = {}
        for name, value in data.multi_items():
            if isinstance(value, str):
                fields[name] = value
            else:
                fields[name] = {"filename": value.filename, "size": value.size}
        return JSONResponse(fields)


async def files(request: Request) -> Response:
    async with request.form(max_file_size=MAX_BIG_FILE_SIZE) as data:
        sizes = {name: getattr(value, "size", None) for name, value in data.multi_items()}
        return JSONResponse(sizes)


async def number(request: Request) -> Response:
    return PlainTextResponse(f"item {request.path_params['n']}")


async def upload(request: Request) -> Response:
    """Reads the whole body (a slow or vanishing client is the test)."""
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return PlainTextResponse(f"{size} bytes")


async def echo_json(request: Request) -> Response:
    return JSONResponse({"type": type(await request.json()).__name__})


async def headers(request: Request) -> Response:
    return JSONResponse(
        {
            "count": len(request.headers.raw),
            "cookies": len(request.cookies),
            "x-name": request.headers.get("x-name"),
        }
    )


class Things(HTTPEndpoint):
    """``get`` is public; the helpers below must never be reached by a request method."""

    async def get(self, request: Request) -> Response:
        return PlainTextResponse("things")

    async def _do_delete(self, request: Request) -> Response:
        return PlainTextResponse("deleted everything", status_code=200)

    async def internal(self, request: Request) -> Response:
        return PlainTextResponse("internal helper", status_code=200)


def make_file_route(site: Path) -> Route:
    big = site / "static" / "big.bin"

    async def file(request: Request) -> Response:
        return FileResponse(big)

    return Route("/file", file)


async def stream(request: Request) -> Response:
    async def chunks() -> Any:
        block = b"x" * STREAM_CHUNK
        for _ in range(STREAM_CHUNKS):
            yield block
            await anyio.sleep(0)

    return StreamingResponse(chunks(), media_type="application/octet-stream")


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        text = await websocket.receive_text()
        await websocket.send_text(text)


async def echo_bytes(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        data = await websocket.receive_bytes()
        await websocket.send_bytes(data)


class JSONEcho(WebSocketEndpoint):
    """Echoes JSON messages; malformed ones close the connection with 1003."""

    encoding = "json"

    async def on_receive(self, websocket: WebSocket, data: Any) -> None:
        await websocket.send_json(data)


def make_app(site: Path) -> App:
    return App(
        routes=[
            Route("/", home),
            Route("/health", home),
            Route("/admin", admin),
            Route("/form", form, methods=["POST"]),
            Route("/files", files, methods=["POST"]),
            Route("/upload", upload, methods=["POST"]),
            Route("/headers", headers),
            Route("/items/{n:int}", number),
            Route("/json", echo_json, methods=["POST"]),
            Route("/things", Things),
            make_file_route(site),
            Route("/stream", stream),
            WebSocketRoute("/ws", echo, max_message_size=WS_MAX_MESSAGE),
            WebSocketRoute("/ws-bytes", echo_bytes, max_message_size=WS_MAX_MESSAGE),
            WebSocketRoute("/ws-json", JSONEcho),
            Mount("/static", StaticFiles(directory=site / "static")),
        ],
        middleware=[Middleware(PathGuard)],
        max_body_size=MAX_BODY_SIZE,
    )


def main(argv: list[str]) -> None:
    site, port = Path(argv[0]), int(argv[1])
    audit = Audit(site)
    sys.addaudithook(audit.hook)
    config = uvicorn.Config(
        audit.wrap(make_app(site)),
        host="127.0.0.1",
        port=port,
        http="h11",
        ws="websockets-sansio",
        ws_max_size=WS_SERVER_MAX_SIZE,
        log_level="critical",
        lifespan="off",
        timeout_keep_alive=5,
    )
    print(json.dumps({"pid": os.getpid()}), flush=True)
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main(sys.argv[1:])
