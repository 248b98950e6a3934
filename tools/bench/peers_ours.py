"""The issue-16 scenarios on this framework: one ``asgi_framework.App`` per scenario."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import peer_common as c

from asgi_core.types import ASGIApp
from asgi_framework import App
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.base import BaseHTTPMiddleware
from asgi_framework.middleware.cors import CORSMiddleware
from asgi_framework.middleware.gzip import GZipMiddleware
from asgi_framework.middleware.sessions import SessionMiddleware
from asgi_framework.requests import Request
from asgi_framework.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from asgi_framework.routing import Mount, Route, WebSocketRoute
from asgi_framework.staticfiles import StaticFiles
from asgi_framework.templating import Jinja2Templates
from asgi_framework.websockets import WebSocket, WebSocketDisconnect


async def plaintext(request: Request) -> Response:
    return PlainTextResponse(c.TEXT)


async def json_endpoint(request: Request) -> Response:
    return JSONResponse(c.JSON_DATA)


async def item(request: Request) -> Response:
    params = request.path_params
    return PlainTextResponse(c.route_result(params["user"], params["item"]))


async def session(request: Request) -> Response:
    count = request.session.get("count", 0) + 1
    request.session["count"] = count
    return PlainTextResponse(str(count))


async def form(request: Request) -> Response:
    data = await request.form()
    return PlainTextResponse(c.form_result(data.multi_items()))


async def upload(request: Request) -> Response:
    async with request.form() as data:
        file: Any = data["file"]
        size = len(await file.read())
        return PlainTextResponse(c.upload_result(str(data["title"]), file.filename, size))


async def download(request: Request) -> Response:
    return FileResponse(c.DOWNLOAD_FILE)


async def events() -> AsyncIterator[str]:
    for i in range(c.SSE_EVENTS):
        yield c.sse_event(i)


async def sse(request: Request) -> Response:
    return StreamingResponse(events(), media_type="text/event-stream")


templates = Jinja2Templates(directory=c.TEMPLATE_DIR)


async def page(request: Request) -> Response:
    return templates.TemplateResponse(request, c.TEMPLATE_NAME, c.TEMPLATE_CONTEXT)


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


class PassThrough(BaseHTTPMiddleware):
    async def dispatch(self, request: Any, call_next: Any) -> Any:
        return await call_next(request)


ROUTES = [Route(f"/r{i}/users/{{user:int}}/items/{{item}}", item) for i in range(c.ROUTE_COUNT)]


def _one(endpoint: Any, methods: list[str] | None = None, **kwargs: Any) -> App:
    return App(routes=[Route("/", endpoint, methods=methods)], **kwargs)


APPS: dict[str, ASGIApp] = {
    "plaintext": _one(plaintext),
    "json": _one(json_endpoint),
    "route-params": App(routes=ROUTES),
    "not-found": App(routes=ROUTES),
    "cors-gzip-stack": _one(
        plaintext,
        middleware=[
            Middleware(CORSMiddleware, allow_origins=[c.ORIGIN]),
            Middleware(GZipMiddleware),
        ],
    ),
    "base-http-middleware": _one(plaintext, middleware=[Middleware(PassThrough)]),
    "session": _one(session, middleware=[Middleware(SessionMiddleware, secret_key=c.SECRET)]),
    "form-post": _one(form, methods=["POST"]),
    "upload-1mb": _one(upload, methods=["POST"]),
    "download-1mb": _one(download),
    "static-file-1mb": App(routes=[Mount("/static", StaticFiles(directory=c.STATIC_DIR))]),
    "websocket-echo": App(routes=[WebSocketRoute("/", echo)]),
    "sse-1000": _one(sse),
    "template": _one(page),
}
