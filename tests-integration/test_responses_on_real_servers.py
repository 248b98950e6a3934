"""asgi-responses behind real servers (uvicorn on asyncio, hypercorn on trio) and httpx."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx

from asgi_core import Request
from asgi_core.types import Receive, Scope, Send
from asgi_responses import (
    EventSourceResponse,
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)

DATA = bytes(range(256)) * 4096  # 1 MiB


def make_app(data_file: Path, closed: list[str]) -> Callable[..., Any]:
    async def events() -> AsyncIterator[dict[str, Any]]:
        try:
            number = 0
            while True:
                yield {"data": {"n": number}, "id": number}
                number += 1
                await anyio.sleep(0.01)
        finally:
            closed.append("events closed")

    def sync_chunks() -> Iterator[bytes]:
        yield b"sync "
        yield b"chunks"

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["path"] == "/echo":  # the body streams the request body back
            request = Request(scope, receive)
            await StreamingResponse(request.stream())(scope, receive, send)
            return
        responses: dict[str, Any] = {
            "/text": lambda: PlainTextResponse("héllo"),
            "/json": lambda: JSONResponse({"a": [1, None, "é"]}),
            "/redirect": lambda: RedirectResponse("/text"),
            "/file": lambda: FileResponse(data_file, filename="data.bin"),
            "/sse": lambda: EventSourceResponse(events(), ping=1),
            "/stream": lambda: StreamingResponse(sync_chunks(), media_type="text/plain"),
        }
        await responses[scope["path"]]()(scope, receive, send)

    return app


def test_simple_responses(serve: Callable[..., Any], tmp_path: Path) -> None:
    with serve(make_app(tmp_path, [])) as base, httpx.Client(base_url=base) as client:
        text = client.get("/text")
        assert text.text == "héllo"
        assert text.headers["content-type"] == "text/plain; charset=utf-8"
        assert client.get("/json").json() == {"a": [1, None, "é"]}
        redirect = client.get("/redirect", follow_redirects=False)
        assert redirect.status_code == 307
        assert redirect.headers["location"] == "/text"
        assert client.get("/stream").text == "sync chunks"


def test_file_ranges_and_conditionals(serve: Callable[..., Any], tmp_path: Path) -> None:
    data_file = tmp_path / "data.bin"
    data_file.write_bytes(DATA)
    with serve(make_app(data_file, [])) as base, httpx.Client(base_url=base) as client:
        whole = client.get("/file")
        assert whole.content == DATA
        assert whole.headers["content-disposition"] == 'attachment; filename="data.bin"'
        part = client.get("/file", headers={"range": "bytes=1000-1999"})
        assert part.status_code == 206
        assert part.content == DATA[1000:2000]
        several = client.get("/file", headers={"range": "bytes=0-9,-10"})
        assert several.status_code == 206
        assert several.headers["content-type"].startswith("multipart/byteranges; boundary=")
        assert int(several.headers["content-length"]) == len(several.content)
        assert (
            client.get("/file", headers={"if-none-match": whole.headers["etag"]}).status_code == 304
        )
        unsatisfiable = client.get("/file", headers={"range": "bytes=9999999-"})
        assert unsatisfiable.status_code == 416
        assert unsatisfiable.headers["content-range"] == f"bytes */{len(DATA)}"
        assert client.head("/file").headers["content-length"] == str(len(DATA))


def test_sse_stream_and_disconnect(serve: Callable[..., Any], tmp_path: Path) -> None:
    closed: list[str] = []
    with serve(make_app(tmp_path, closed)) as base:
        with httpx.Client(base_url=base) as client, client.stream("GET", "/sse") as response:
            assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
            assert response.headers["cache-control"] == "no-cache"
            lines = response.iter_lines()
            received = [next(lines) for _ in range(6)]
        assert received == ["id: 0", 'data: {"n":0}', "", "id: 1", 'data: {"n":1}', ""]
        deadline = time.monotonic() + 5
        while not closed and time.monotonic() < deadline:
            time.sleep(0.02)
        assert closed == ["events closed"]


def test_streaming_echo_of_the_request_body(serve: Callable[..., Any], tmp_path: Path) -> None:
    # both servers announce ASGI < 2.4, so the response watches receive() for the disconnect
    # while the request body is still being read from it
    def upload() -> Iterator[bytes]:
        for number in range(50):
            yield b"%04d" % number * 256
            time.sleep(0.002)

    expected = b"".join(upload())
    with serve(make_app(tmp_path, [])) as base, httpx.Client(base_url=base, timeout=10) as client:
        response = client.post("/echo", content=upload())
        assert response.status_code == 200
        assert response.content == expected
        assert client.post("/echo", content=b"small").content == b"small"
