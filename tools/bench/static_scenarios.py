"""Static files scenario: a 1 MB file served by StaticFiles.

The same three variants as every scenario: ours (asgi-staticfiles), Starlette's
``StaticFiles``, and a hand-written ASGI app that does the same work with the standard
library and anyio (the floor): find the file off the event loop, send it in 64 KiB chunks.
"""

from __future__ import annotations

import os
import stat
import tempfile

import anyio
from starlette.staticfiles import StaticFiles as StarletteStaticFiles

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_staticfiles import StaticFiles

STATIC_DIR = os.path.join(tempfile.gettempdir(), "asgi-bench-static")
FILE_NAME = "bundle-1mb.bin"
SIZE = 1024 * 1024


def ensure_static_files() -> str:
    """Create the served folder with its 1 MB file once (random bytes: nothing compresses)."""
    path = os.path.join(STATIC_DIR, FILE_NAME)
    if not os.path.exists(path) or os.path.getsize(path) != SIZE:
        os.makedirs(STATIC_DIR, exist_ok=True)
        with open(path, "wb") as file:
            file.write(os.urandom(SIZE))
    return STATIC_DIR


ensure_static_files()  # the apps below check the folder when they are built

STATIC_OURS: ASGIApp = StaticFiles(directory=STATIC_DIR)
STATIC_STARLETTE: ASGIApp = StarletteStaticFiles(directory=STATIC_DIR)


def _lookup(path: str) -> os.stat_result | None:
    full = os.path.join(STATIC_DIR, path)
    try:
        result = os.stat(full)
    except OSError:
        return None
    return result if stat.S_ISREG(result.st_mode) else None


async def static_raw(scope: Scope, receive: Receive, send: Send) -> None:
    """The floor: stat in a thread, then the file in 64 KiB reads, no validation at all."""
    name = scope["path"].lstrip("/")
    result = await anyio.to_thread.run_sync(_lookup, name)
    if result is None:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [
        (b"content-type", b"application/octet-stream"),
        (b"content-length", b"%d" % result.st_size),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    async with await anyio.open_file(os.path.join(STATIC_DIR, name), "rb") as file:
        while chunk := await file.read(65536):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
