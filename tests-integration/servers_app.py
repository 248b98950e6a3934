"""What test_servers_matrix.py serves on each real server: the demo, and a feature app under /t/.

``servers_app:app`` sends every path starting with ``/t/`` to :data:`features` (an
``asgi_framework.App`` using most of the family: JSON, streaming in both directions, files
with ranges, compression, Server-Sent Events, WebSockets with subprotocols, close codes,
denial responses and big messages), every path starting with ``/f/`` to :data:`api` (a
FastAPI app with our session and compression middleware and our ``StaticFiles``), and
everything else, the lifespan included, to the demo (``examples/demo/app.py``). One process
per server kind serves the three.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi import Request as FastAPIRequest
from fastapi import WebSocket as FastAPIWebSocket

from asgi_core.types import Receive, Scope, Send
from asgi_framework import App
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.compress import CompressMiddleware
from asgi_framework.middleware.sessions import SessionMiddleware
from asgi_framework.requests import Request
from asgi_framework.responses import (
    EventSourceResponse,
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    ServerSentEvent,
    StreamingResponse,
)
from asgi_framework.routing import Route, WebSocketRoute
from asgi_framework.staticfiles import StaticFiles
from asgi_framework.websockets import WebSocket
from examples.demo.app import HERE as DEMO_FOLDER
from examples.demo.app import app as demo

#: The streamed download: STREAM_CHUNKS chunks of STREAM_CHUNK bytes, each from chunk().
STREAM_CHUNK = 64 * 1024
STREAM_CHUNKS = 48
#: The file served with ranges (bytes 0..255 repeated), and a large compressible document.
FILE_SIZE = 100_000
DOCUMENT = {"items": [{"id": number, "name": f"item {number}"} for number in range(2000)]}
#: The subprotocols the WebSocket echo speaks, best first.
SUBPROTOCOLS = ("chat.v2", "chat.v1")
#: What a denied WebSocket handshake answers (the servers have the denial-response extension).
DENIAL = "No WebSocket for you."


def chunk(number: int) -> bytes:
    return bytes([number % 256]) * STREAM_CHUNK


def data_file() -> Path:
    path = Path(tempfile.gettempdir()) / f"servers-app-{os.getpid()}.bin"
    if not path.exists():
        path.write_bytes(bytes(range(256)) * (FILE_SIZE // 256) + bytes(FILE_SIZE % 256))
    return path


async def whoami(request: Request) -> JSONResponse:
    """The client's address (its port tells the TCP connection) and the HTTP version."""
    client = request.client
    return JSONResponse(
        {
            "port": client.port if client else None,
            "http_version": request.scope["http_version"],
        }
    )


async def upload(request: Request) -> JSONResponse:
    """Read the body as it streams in: its size, SHA-256, and how it was framed."""
    digest = hashlib.sha256()
    size = chunks = 0
    async for piece in request.stream():
        digest.update(piece)
        size += len(piece)
        chunks += bool(piece)
    return JSONResponse(
        {
            "size": size,
            "sha256": digest.hexdigest(),
            "chunks": chunks,
            "transfer_encoding": request.headers.get("transfer-encoding"),
            "content_length": request.headers.get("content-length"),
        }
    )


async def download(request: Request) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        for number in range(STREAM_CHUNKS):
            yield chunk(number)

    return StreamingResponse(body(), media_type="application/octet-stream")


async def file(request: Request) -> FileResponse:
    return FileResponse(data_file(), filename="data.bin")


async def document(request: Request) -> JSONResponse:
    return JSONResponse(DOCUMENT)


async def events(request: Request) -> EventSourceResponse:
    count = int(request.query_params.get("count", "3"))

    async def stream() -> AsyncIterator[ServerSentEvent]:
        for number in range(count):
            yield ServerSentEvent({"n": number}, event="tick", id=number)

    return EventSourceResponse(stream())


async def echo(websocket: WebSocket) -> None:
    """Echo text and bytes in the best offered subprotocol; report the client's close."""
    offered = websocket.scope.get("subprotocols", [])
    chosen = next((name for name in SUBPROTOCOLS if name in offered), None)
    await websocket.accept(subprotocol=chosen)
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            CLOSES.append({"code": message.get("code"), "reason": message.get("reason")})
            return
        if message.get("text") is not None:
            text: str = message["text"]
            if text.startswith("close "):  # "close CODE REASON": the server closes
                _, code, reason = text.split(" ", 2)
                await websocket.close(int(code), reason)
                return
            await websocket.send_text(text)
        else:
            await websocket.send_bytes(message["bytes"])


#: How clients closed the echo WebSocket, oldest first (GET /t/closes reads them).
CLOSES: list[dict[str, Any]] = []


async def closes(request: Request) -> JSONResponse:
    return JSONResponse(CLOSES)


async def deny(websocket: WebSocket) -> None:
    response = PlainTextResponse(DENIAL, status_code=403, headers={"x-denied": "yes"})
    await websocket.send_denial_response(response)


async def text(request: Request) -> Response:
    return PlainTextResponse("héllo")


features = App(
    routes=[
        Route("/t/text", text, methods=["GET", "HEAD"]),
        Route("/t/whoami", whoami),
        Route("/t/upload", upload, methods=["POST"]),
        Route("/t/download", download),
        Route("/t/file", file),
        Route("/t/document", document),
        Route("/t/events", events),
        Route("/t/closes", closes),
        WebSocketRoute("/t/ws/echo", echo),
        WebSocketRoute("/t/ws/deny", deny),
    ],
    middleware=[Middleware(CompressMiddleware, minimum_size=1000)],
)


# --------------------------------------------------------------------------- FastAPI

api = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@api.get("/f/visit")
async def visit(request: FastAPIRequest) -> dict[str, int]:
    """FastAPI's ``request.session`` is the session our middleware put in the scope."""
    visits: int = request.session.get("visits", 0) + 1
    request.session["visits"] = visits
    return {"visits": visits}


@api.get("/f/document")
async def fastapi_document() -> dict[str, Any]:
    return DOCUMENT


@api.websocket("/f/ws")
async def shout(websocket: FastAPIWebSocket) -> None:
    await websocket.accept()
    visits = websocket.session.get("visits", 0)
    async for text in websocket.iter_text():
        await websocket.send_text(f"{text.upper()} (after {visits} visits)")


api.mount("/f/static", StaticFiles(directory=DEMO_FOLDER / "static", precompressed=True))
api.add_middleware(CompressMiddleware, minimum_size=1000)
api.add_middleware(SessionMiddleware, secret_key="servers-app-secret")


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] in ("http", "websocket") and scope["path"].startswith("/t/"):
        await features(scope, receive, send)
    elif scope["type"] in ("http", "websocket") and scope["path"].startswith("/f/"):
        await api(scope, receive, send)
    else:
        await demo(scope, receive, send)
