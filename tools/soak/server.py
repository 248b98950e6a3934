"""The application the soak run loads: every kind of request, on uvicorn, in its own process.

``python tools/soak/server.py PORT FOLDER`` serves on 127.0.0.1:PORT an ``asgi_framework.App``
with a plain-text page, a JSON echo, a streamed download, static files from FOLDER, a
multipart upload, a WebSocket echo and a Server-Sent Events feed, behind the middleware a
real application has (GZip, CORS, a body limit).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import anyio.lowlevel
import uvicorn

from asgi_core import Request
from asgi_framework import App
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.cors import CORSMiddleware
from asgi_framework.middleware.gzip import GZipMiddleware
from asgi_framework.responses import (
    EventSourceResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    ServerSentEvent,
    StreamingResponse,
)
from asgi_framework.routing import Mount, Route, WebSocketRoute
from asgi_framework.staticfiles import StaticFiles
from asgi_framework.websockets import WebSocket

#: what the streamed download and the SSE feed send, so the client can check it all came
STREAM_CHUNKS = 16
STREAM_CHUNK = b"0123456789abcdef" * 64  # 1 KiB
SSE_EVENTS = 5


async def plain(request: Request) -> Response:
    return PlainTextResponse("Hello, world!")


async def echo_json(request: Request) -> Response:
    data = await request.json()
    return JSONResponse({"echo": data, "items": len(data.get("items", []))})


async def stream(request: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(STREAM_CHUNKS):
            yield STREAM_CHUNK
            await anyio.lowlevel.checkpoint()

    return StreamingResponse(chunks(), media_type="application/octet-stream")


async def upload(request: Request) -> Response:
    async with request.form(max_file_size=1024 * 1024) as form:
        sizes = {}
        for name, value in form.multi_items():
            sizes[name] = len(await value.read()) if not isinstance(value, str) else len(value)
        return JSONResponse(sizes)


async def events(request: Request) -> Response:
    async def feed() -> AsyncIterator[ServerSentEvent]:
        for number in range(SSE_EVENTS):
            yield ServerSentEvent(data=f"event {number}", id=str(number))

    return EventSourceResponse(feed())


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    async for text in websocket.iter_text():
        await websocket.send_text(text)


def make_app(folder: Path) -> App:
    return App(
        routes=[
            Route("/", plain),
            Route("/json", echo_json, methods=["POST"]),
            Route("/stream", stream),
            Route("/upload", upload, methods=["POST"]),
            Route("/events", events),
            WebSocketRoute("/ws", echo, max_message_size=64 * 1024),
            Mount("/static", StaticFiles(directory=folder)),
        ],
        middleware=[
            Middleware(CORSMiddleware, allow_origins=["https://example.org"]),
            Middleware(GZipMiddleware, minimum_size=4096),
        ],
        max_body_size=4 * 1024 * 1024,
    )


def main(argv: list[str]) -> None:
    port, folder = int(argv[0]), Path(argv[1])
    config = uvicorn.Config(
        make_app(folder),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        backlog=4096,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main(sys.argv[1:])
