"""A minimal app built on asgi-core alone: what `hatch run demo` serves until the full demo lands.

Run it with ``hatch run demo`` and open http://127.0.0.1:8000.
"""

from __future__ import annotations

import html
import json
from typing import Any

from asgi_core import HTTPException, Request, UploadFile
from asgi_core.types import Receive, Scope, Send

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>asgi-core hello</title>
<style>body{{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;line-height:1.5}}
code{{background:#eee;padding:0 .2rem}}</style></head>
<body><h1>Hello from asgi-core</h1>
<p>You asked for <code>{url}</code> from <code>{client}</code>.</p>
<h2>Upload a file (at most 1 MB)</h2>
<form method="post" action="/upload" enctype="multipart/form-data">
<input name="note" placeholder="a note"> <input type="file" name="file"> <button>Send</button>
</form>
<p>JSON echo: <code>curl -d '{{"a": 1}}' http://127.0.0.1:8000/echo</code></p>
</body></html>"""


async def send_response(send: Send, status: int, body: bytes, content_type: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def send_json(send: Send, status: int, data: Any) -> None:
    await send_response(send, status, json.dumps(data).encode(), "application/json")


async def lifespan(receive: Receive, send: Send) -> None:
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI application."""
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    request = Request(scope, receive, send)
    try:
        await dispatch(request, send)
    except HTTPException as exc:
        await send_json(send, exc.status_code, {"detail": exc.detail})


async def dispatch(request: Request, send: Send) -> None:
    path, method = request.url.path, request.method
    if path == "/" and method == "GET":
        client = request.client.host if request.client else "unknown"
        page = PAGE.format(url=html.escape(str(request.url)), client=html.escape(client))
        await send_response(send, 200, page.encode(), "text/html; charset=utf-8")
    elif path == "/upload" and method == "POST":
        async with request.form(max_file_size=1024 * 1024) as form:
            result: dict[str, Any] = {}
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    result[key] = {"filename": value.filename, "size": value.size}
                else:
                    result[key] = value
        await send_json(send, 200, result)
    elif path == "/echo" and method == "POST":
        await send_json(send, 200, await request.json())
    else:
        raise HTTPException(404)
