"""The issue-16 scenarios as hand-written ASGI apps: the floor no framework goes below.

Standard library and anyio only, doing the same work as the framework apps (parse what
they parse, check what they check, sign what they sign), with nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any
from urllib.parse import parse_qsl

import anyio
import jinja2
import peer_common as c

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send

TEXT_TYPE = b"text/plain; charset=utf-8"


async def answer(send: Send, body: bytes, content_type: bytes = TEXT_TYPE, **extra: Any) -> None:
    headers = [(b"content-length", b"%d" % len(body)), (b"content-type", content_type)]
    headers.extend(extra.get("headers", ()))
    await send(
        {"type": "http.response.start", "status": extra.get("status", 200), "headers": headers}
    )
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def plaintext(scope: Scope, receive: Receive, send: Send) -> None:
    await answer(send, c.TEXT.encode())


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


async def json_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    await answer(send, _ENCODER.encode(c.JSON_DATA).encode(), b"application/json")


async def routes(scope: Scope, receive: Receive, send: Send) -> None:
    """Split the path, check it by hand, answer (or 404)."""
    parts = scope["path"].split("/")
    if (
        len(parts) == 6
        and parts[1][:1] == "r"
        and parts[1][1:].isdigit()
        and int(parts[1][1:]) < c.ROUTE_COUNT
        and parts[2] == "users"
        and parts[3].isdigit()
        and parts[4] == "items"
        and parts[5] != ""
    ):
        await answer(send, c.route_result(int(parts[3]), parts[5]).encode())
    else:
        await answer(send, b"Not Found", status=404)


async def cors_gzip(scope: Scope, receive: Receive, send: Send) -> None:
    """Check the Origin, add the CORS headers; the body is under any gzip minimum."""
    origin = None
    for name, value in scope["headers"]:
        if name == b"origin":
            origin = value
    extra = [(b"vary", b"Accept-Encoding, Origin")]
    if origin == c.ORIGIN.encode():
        extra.append((b"access-control-allow-origin", origin))
    await answer(send, c.TEXT.encode(), headers=extra)


# --- a signed cookie session: base64 JSON + HMAC-SHA256 ----------------------------------

_KEY = c.SECRET.encode()


def sign(data: dict[str, Any]) -> bytes:
    payload = base64.urlsafe_b64encode(json.dumps(data).encode())
    return (
        payload + b"." + base64.urlsafe_b64encode(hmac.new(_KEY, payload, hashlib.sha256).digest())
    )


def unsign(cookie: bytes) -> dict[str, Any]:
    payload, _, signature = cookie.partition(b".")
    expected = base64.urlsafe_b64encode(hmac.new(_KEY, payload, hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        return {}
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload))
    return data


async def session(scope: Scope, receive: Receive, send: Send) -> None:
    data: dict[str, Any] = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            for chunk in value.split(b";"):
                key, _, cookie = chunk.strip().partition(b"=")
                if key == c.SESSION_COOKIE.encode():
                    data = unsign(cookie)
    data["count"] = data.get("count", 0) + 1
    cookie = b"session=" + sign(data) + b"; path=/; Max-Age=1209600; httponly; samesite=lax"
    await answer(
        send, str(data["count"]).encode(), headers=[(b"set-cookie", cookie), (b"vary", b"Cookie")]
    )


async def form(scope: Scope, receive: Receive, send: Send) -> None:
    items = parse_qsl((await read_body(receive)).decode("latin-1"), keep_blank_values=True)
    await answer(send, c.form_result(items).encode())


async def upload(scope: Scope, receive: Receive, send: Send) -> None:
    """Split the multipart body on the boundary from the Content-Type header."""
    boundary = b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            boundary = value.partition(b"boundary=")[2]
    body = await read_body(receive)
    title = filename = None
    size = 0
    for part in body.split(b"--" + boundary)[1:-1]:
        head, _, data = part[2:-2].partition(b"\r\n\r\n")
        disposition = head.split(b"\r\n")[0]
        if b'name="title"' in disposition:
            title = data.decode()
        elif b'name="file"' in disposition:
            filename = disposition.partition(b'filename="')[2].partition(b'"')[0].decode()
            size = len(data)
    await answer(send, c.upload_result(str(title), filename, size).encode())


async def download(scope: Scope, receive: Receive, send: Send) -> None:
    """64 KiB reads in a worker thread."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/octet-stream"),
                (b"content-length", b"%d" % c.FILE_SIZE),
            ],
        }
    )
    async with await anyio.open_file(c.DOWNLOAD_FILE, "rb") as file:
        while chunk := await file.read(65536):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


def _lookup(path: str) -> int | None:
    try:
        result = os.stat(path)
    except OSError:
        return None
    return result.st_size


async def static(scope: Scope, receive: Receive, send: Send) -> None:
    """Stat in a thread, refuse '..', then the file in 64 KiB reads."""
    name = scope["path"].removeprefix("/static/")
    path = os.path.join(c.STATIC_DIR, name)
    size = None if ".." in name else await anyio.to_thread.run_sync(_lookup, path)
    if size is None:
        await answer(send, b"Not Found", status=404)
        return
    headers = [(b"content-type", b"application/octet-stream"), (b"content-length", b"%d" % size)]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    async with await anyio.open_file(path, "rb") as file:
        while chunk := await file.read(65536):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while True:
        message: Message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        await send({"type": "websocket.send", "text": message["text"]})


async def sse(scope: Scope, receive: Receive, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/event-stream")],
        }
    )
    for i in range(c.SSE_EVENTS):
        await send(
            {"type": "http.response.body", "body": c.sse_event(i).encode(), "more_body": True}
        )
    await send({"type": "http.response.body", "body": b""})


_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(c.TEMPLATE_DIR), autoescape=True)


async def template(scope: Scope, receive: Receive, send: Send) -> None:
    body = _TEMPLATES.get_template(c.TEMPLATE_NAME).render(c.TEMPLATE_CONTEXT).encode()
    await answer(send, body, b"text/html; charset=utf-8")


APPS: dict[str, ASGIApp] = {
    "plaintext": plaintext,
    "json": json_endpoint,
    "route-params": routes,
    "not-found": routes,
    "cors-gzip-stack": cors_gzip,
    "base-http-middleware": plaintext,
    "session": session,
    "form-post": form,
    "upload-1mb": upload,
    "download-1mb": download,
    "static-file-1mb": static,
    "websocket-echo": echo,
    "sse-1000": sse,
    "template": template,
}
