"""The issue-16 scenarios on Starlette 1.10.0 (written once with ours, in :mod:`starlette_shaped`)
and on FastAPI, written as its docs show."""

from __future__ import annotations

from typing import Annotated, Any

import fastapi
import peer_common as c
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette_shaped import build

from asgi_core.types import ASGIApp

# --------------------------------------------------------------------------- Starlette

# the same endpoints and apps as ours (starlette_shaped), on Starlette
_STARLETTE = build("starlette")
STARLETTE_APPS: dict[str, ASGIApp] = _STARLETTE.apps
form, echo, events = _STARLETTE.form, _STARLETTE.echo, _STARLETTE.events

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

    @app.post("/")
    async def f_form(request: Request) -> Response:
        response: Response = await form(request)
        return response

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
