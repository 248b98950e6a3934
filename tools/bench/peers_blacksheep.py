"""The issue-16 scenarios on BlackSheep (Cython-compiled core), written as its docs show.

BlackSheep's middleware is a request/response function, the same shape as Starlette's
``BaseHTTPMiddleware.dispatch``: that is its ``base-http-middleware``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import jinja2
import peer_common as c
from blacksheep import (
    Application,
    Request,
    Response,
    Router,
    StreamedContent,
    WebSocket,
    WebSocketDisconnectError,
    file,
    json,
    text,
)
from blacksheep.server.compression import GzipMiddleware
from blacksheep.server.rendering.jinja2 import JinjaRenderer
from blacksheep.server.responses import view
from blacksheep.settings.html import html_settings

from asgi_core.types import ASGIApp


async def plaintext() -> Response:
    return text(c.TEXT)


async def json_endpoint() -> Response:
    return json(c.JSON_DATA)


async def item(user: int, item: str) -> Response:
    return text(c.route_result(user, item))


async def session(request: Request) -> Response:
    count = request.session.get("count", 0) + 1
    request.session["count"] = count
    return text(str(count))


async def form(request: Request) -> Response:
    data = await request.form()
    return text(c.form_result(list((data or {}).items())))


async def upload(request: Request) -> Response:
    title = name = None
    size = 0
    for part in await request.multipart() or []:
        if part.name == b"title":
            title = part.data.decode()
        elif part.name == b"file":
            name = part.file_name.decode() if part.file_name else None
            size = len(part.data)
    return text(c.upload_result(str(title), name, size))


async def download() -> Response:
    return file(c.DOWNLOAD_FILE, "application/octet-stream")


async def events() -> AsyncIterator[bytes]:
    for i in range(c.SSE_EVENTS):
        yield c.sse_event(i).encode()


async def sse() -> Response:
    return Response(200, content=StreamedContent(b"text/event-stream", events))


async def page() -> Response:
    return view("page", c.TEMPLATE_CONTEXT)


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnectError:
        pass


async def pass_through(
    request: Request, handler: Callable[[Request], Awaitable[Response]]
) -> Response:
    return await handler(request)


def _app(path: str = "/", handler: Any = None, method: str = "GET") -> Application:
    app = Application(router=Router())
    if handler is not None:
        app.router.add(method, path, handler)
    return app


def build() -> dict[str, ASGIApp]:
    apps: dict[str, Any] = {
        "plaintext": _app("/", plaintext),
        "json": _app("/", json_endpoint),
        "form-post": _app("/", form, "POST"),
        "upload-1mb": _app("/", upload, "POST"),
        "download-1mb": _app("/", download),
        "sse-1000": _app("/", sse),
    }
    routes = apps["route-params"] = apps["not-found"] = _app()
    for i in range(c.ROUTE_COUNT):
        routes.router.add_get(f"/r{i}/users/{{int:user}}/items/{{item}}", item)

    app = apps["cors-gzip-stack"] = _app("/", plaintext)
    app.use_cors(allow_origins=[c.ORIGIN], allow_methods="GET")
    app.middlewares.append(GzipMiddleware())  # type: ignore[arg-type] # may answer None

    app = apps["base-http-middleware"] = _app("/", plaintext)
    app.middlewares.append(pass_through)

    app = apps["session"] = _app("/", session)
    app.use_sessions(c.SECRET)

    app = apps["static-file-1mb"] = _app()
    app.serve_files(c.STATIC_DIR, root_path="static", extensions={".bin"})

    app = apps["websocket-echo"] = _app()
    app.router.add_ws("/", echo)

    # templates: html_settings is BlackSheep's process-wide renderer
    html_settings.use(JinjaRenderer(loader=jinja2.FileSystemLoader(c.TEMPLATE_DIR)))
    apps["template"] = _app("/", page)
    return apps


APPS = build()
# BlackSheep logs every 404 and every bad session cookie at INFO level
for _name in ("blacksheep.server", "blacksheep.sessions"):
    logging.getLogger(_name).setLevel(logging.WARNING)
