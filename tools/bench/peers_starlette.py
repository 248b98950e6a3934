"""The issue-16 scenarios on Starlette 1.10.0 and on FastAPI, each written as its docs show."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import fastapi
import peer_common as c
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.websockets import WebSocket, WebSocketDisconnect

from asgi_core.types import ASGIApp

# --------------------------------------------------------------------------- Starlette


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


def _one(endpoint: Any, methods: list[str] | None = None, **kwargs: Any) -> Starlette:
    return Starlette(routes=[Route("/", endpoint, methods=methods)], **kwargs)


STARLETTE_APPS: dict[str, ASGIApp] = {
    "plaintext": _one(plaintext),
    "json": _one(json_endpoint),
    "route-params": Starlette(routes=ROUTES),
    "not-found": Starlette(routes=ROUTES),
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
    "static-file-1mb": Starlette(routes=[Mount("/static", StaticFiles(directory=c.STATIC_DIR))]),
    "websocket-echo": Starlette(routes=[WebSocketRoute("/", echo)]),
    "sse-1000": _one(sse),
    "template": _one(page),
}

# --------------------------------------------------------------------------- FastAPI


def _fastapi(**kwargs: Any) -> fastapi.FastAPI:
    # no OpenAPI routes: only the scenario's endpoints
    return fastapi.FastAPI(openapi_url=None, docs_url=None, redoc_url=None, **kwargs)


def fastapi_apps() -> dict[str, ASGIApp]:
    apps: dict[str, ASGIApp] = {}

    app = apps["plaintext"] = _fastapi()

    @app.get("/")
    async def f_plaintext() -> Response:
        return PlainTextResponse(c.TEXT)

    app = apps["json"] = _fastapi()

    @app.get("/")
    async def f_json() -> dict[str, Any]:
        return c.JSON_DATA

    routes = _fastapi()
    for i in range(c.ROUTE_COUNT):

        @routes.get(f"/r{i}/users/{{user}}/items/{{item}}")
        async def f_item(user: int, item: str) -> Response:
            return PlainTextResponse(c.route_result(user, item))

    apps["route-params"] = apps["not-found"] = routes

    app = apps["cors-gzip-stack"] = _fastapi()
    app.add_middleware(GZipMiddleware)
    app.add_middleware(CORSMiddleware, allow_origins=[c.ORIGIN])
    app.get("/")(f_plaintext)

    app = apps["base-http-middleware"] = _fastapi()
    app.get("/")(f_plaintext)

    @app.middleware("http")
    async def pass_through(request: Request, call_next: Any) -> Any:
        return await call_next(request)

    app = apps["session"] = _fastapi()
    app.add_middleware(SessionMiddleware, secret_key=c.SECRET)

    @app.get("/")
    async def f_session(request: Request) -> Response:
        count = request.session.get("count", 0) + 1
        request.session["count"] = count
        return PlainTextResponse(str(count))

    app = apps["form-post"] = _fastapi()
    # a form of fields not known in advance is read as in Starlette
    app.post("/")(form)

    app = apps["upload-1mb"] = _fastapi()

    @app.post("/")
    async def f_upload(title: Annotated[str, fastapi.Form()], file: fastapi.UploadFile) -> Response:
        size = len(await file.read())
        return PlainTextResponse(c.upload_result(title, file.filename, size))

    app = apps["download-1mb"] = _fastapi()

    @app.get("/")
    async def f_download() -> Response:
        return FileResponse(c.DOWNLOAD_FILE)

    app = apps["static-file-1mb"] = _fastapi()
    app.mount("/static", StaticFiles(directory=c.STATIC_DIR))

    app = apps["websocket-echo"] = _fastapi()

    @app.websocket("/")
    async def f_echo(websocket: fastapi.WebSocket) -> None:
        await echo(websocket)

    app = apps["sse-1000"] = _fastapi()

    @app.get("/")
    async def f_sse() -> Response:
        return StreamingResponse(events(), media_type="text/event-stream")

    app = apps["template"] = _fastapi()
    f_templates = Jinja2Templates(directory=c.TEMPLATE_DIR)

    @app.get("/")
    async def f_page(request: Request) -> Response:
        return f_templates.TemplateResponse(request, c.TEMPLATE_NAME, c.TEMPLATE_CONTEXT)

    return apps


FASTAPI_APPS = fastapi_apps()
