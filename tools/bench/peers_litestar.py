"""The issue-16 scenarios on Litestar, written as its docs show (handlers, configs, DTO-free).

Litestar has no request/response ``dispatch`` middleware like ``BaseHTTPMiddleware``: its
``base-http-middleware`` is its own pass-through middleware class (``ASGIMiddleware``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

import peer_common as c
from litestar import Litestar, MediaType, Request, WebSocket, get, post, websocket
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import WebSocketDisconnect
from litestar.middleware import ASGIMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.params import Body
from litestar.response import File, Stream, Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ASGIApp as LitestarASGIApp
from litestar.types import Receive as LitestarReceive
from litestar.types import Scope as LitestarScope
from litestar.types import Send as LitestarSend

from asgi_core.types import ASGIApp


@get("/", media_type=MediaType.TEXT)
async def plaintext() -> str:
    return c.TEXT


@get("/")
async def json_endpoint() -> dict[str, Any]:
    return c.JSON_DATA


async def item(user: int, item: str) -> str:
    return c.route_result(user, item)


ROUTES = [
    get(f"/r{i}/users/{{user:int}}/items/{{item:str}}", media_type=MediaType.TEXT, name=f"r{i}")(
        item
    )
    for i in range(c.ROUTE_COUNT)
]


@get("/", media_type=MediaType.TEXT)
async def session(request: Request[Any, Any, Any]) -> str:
    count = request.session.get("count", 0) + 1
    request.session["count"] = count
    return str(count)


@post("/", media_type=MediaType.TEXT, status_code=200)
async def form(request: Request[Any, Any, Any]) -> str:
    data = await request.form()
    return c.form_result(data.multi_items())


@dataclass
class UploadForm:
    title: str
    file: UploadFile


@post("/", media_type=MediaType.TEXT, status_code=200)
async def upload(
    data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> str:
    size = len(await data.file.read())
    return c.upload_result(data.title, data.file.filename, size)


@get("/")
async def download() -> File:
    return File(path=c.DOWNLOAD_FILE)


async def events() -> AsyncIterator[str]:
    for i in range(c.SSE_EVENTS):
        yield c.sse_event(i)


@get("/")
async def sse() -> Stream:
    return Stream(events(), media_type="text/event-stream")


@get("/")
async def page() -> Template:
    return Template(template_name=c.TEMPLATE_NAME, context=c.TEMPLATE_CONTEXT)


@websocket("/")
async def echo(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    try:
        while True:
            await socket.send_text(await socket.receive_text())
    except WebSocketDisconnect:
        pass


class PassThrough(ASGIMiddleware):
    async def handle(
        self,
        scope: LitestarScope,
        receive: LitestarReceive,
        send: LitestarSend,
        next_app: LitestarASGIApp,
    ) -> None:
        await next_app(scope, receive, send)


def _app(*handlers: Any, **kwargs: Any) -> Any:
    # openapi_config=None: no schema routes, only the scenario's handlers
    return Litestar(list(handlers), openapi_config=None, **kwargs)


routes = _app(*ROUTES)
APPS: dict[str, ASGIApp] = {
    "plaintext": _app(plaintext),
    "json": _app(json_endpoint),
    "route-params": routes,
    "not-found": routes,
    "cors-gzip-stack": _app(
        plaintext,
        cors_config=CORSConfig(allow_origins=[c.ORIGIN]),
        compression_config=CompressionConfig(backend="gzip"),
    ),
    "base-http-middleware": _app(plaintext, middleware=[PassThrough()]),
    "session": _app(
        session, middleware=[CookieBackendConfig(secret=c.SECRET.encode()[:16]).middleware]
    ),
    "form-post": _app(form),
    "upload-1mb": _app(upload),
    "download-1mb": _app(download),
    "static-file-1mb": _app(create_static_files_router(path="/static", directories=[c.STATIC_DIR])),
    "websocket-echo": _app(echo),
    "sse-1000": _app(sse),
    "template": _app(
        page,
        template_config=TemplateConfig(directory=c.TEMPLATE_DIR, engine=JinjaTemplateEngine),
    ),
}
