"""The issue-16 scenarios written once against Starlette's API, for any package laid out like it.

``build("asgi_framework")`` gives ours (``asgi_framework.applications.Starlette`` is another
name for ``App``) and ``build("starlette")`` gives Starlette's: the same endpoints and the same
app per scenario, so that the two differ only in the framework underneath.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import peer_common as c

from asgi_core.types import ASGIApp

__all__ = ["Shaped", "build"]


@dataclass
class Shaped:
    """The apps of one framework by scenario, and the endpoints other variants reuse."""

    apps: dict[str, ASGIApp]
    plaintext: Callable[[Any], Any]
    form: Callable[[Any], Any]
    echo: Callable[[Any], Any]
    events: Callable[[], AsyncIterator[str]]


def build(root: str) -> Shaped:
    """The scenarios' apps on the package ``root`` (``"asgi_framework"`` or ``"starlette"``)."""

    def module(name: str) -> Any:
        return importlib.import_module(f"{root}.{name}")

    responses, routing = module("responses"), module("routing")
    middleware = module("middleware")
    Starlette = module("applications").Starlette
    Route = routing.Route
    PlainTextResponse = responses.PlainTextResponse
    WebSocketDisconnect = module("websockets").WebSocketDisconnect

    async def plaintext(request: Any) -> Any:
        return PlainTextResponse(c.TEXT)

    async def json_endpoint(request: Any) -> Any:
        return responses.JSONResponse(c.JSON_DATA)

    async def item(request: Any) -> Any:
        params = request.path_params
        return PlainTextResponse(c.route_result(params["user"], params["item"]))

    async def session(request: Any) -> Any:
        count = request.session.get("count", 0) + 1
        request.session["count"] = count
        return PlainTextResponse(str(count))

    async def form(request: Any) -> Any:
        data = await request.form()
        return PlainTextResponse(c.form_result(data.multi_items()))

    async def upload(request: Any) -> Any:
        async with request.form() as data:
            file: Any = data["file"]
            size = len(await file.read())
            return PlainTextResponse(c.upload_result(str(data["title"]), file.filename, size))

    async def download(request: Any) -> Any:
        return responses.FileResponse(c.DOWNLOAD_FILE)

    async def events() -> AsyncIterator[str]:
        for i in range(c.SSE_EVENTS):
            yield c.sse_event(i)

    async def sse(request: Any) -> Any:
        return responses.StreamingResponse(events(), media_type="text/event-stream")

    templates = module("templating").Jinja2Templates(directory=c.TEMPLATE_DIR)

    async def page(request: Any) -> Any:
        return templates.TemplateResponse(request, c.TEMPLATE_NAME, c.TEMPLATE_CONTEXT)

    async def echo(websocket: Any) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    class PassThrough(module("middleware.base").BaseHTTPMiddleware):  # type: ignore[misc]
        async def dispatch(self, request: Any, call_next: Any) -> Any:
            return await call_next(request)

    routes = [Route(f"/r{i}/users/{{user:int}}/items/{{item}}", item) for i in range(c.ROUTE_COUNT)]

    def one(endpoint: Any, methods: list[str] | None = None, **kwargs: Any) -> ASGIApp:
        app: ASGIApp = Starlette(routes=[Route("/", endpoint, methods=methods)], **kwargs)
        return app

    Middleware = middleware.Middleware
    cors, gzip = module("middleware.cors"), module("middleware.gzip")
    sessions = module("middleware.sessions").SessionMiddleware
    static = module("staticfiles").StaticFiles(directory=c.STATIC_DIR)
    apps: dict[str, ASGIApp] = {
        "plaintext": one(plaintext),
        "json": one(json_endpoint),
        "route-params": Starlette(routes=routes),
        "not-found": Starlette(routes=routes),
        "cors-gzip-stack": one(
            plaintext,
            middleware=[
                Middleware(cors.CORSMiddleware, allow_origins=[c.ORIGIN]),
                Middleware(gzip.GZipMiddleware),
            ],
        ),
        "base-http-middleware": one(plaintext, middleware=[Middleware(PassThrough)]),
        "session": one(session, middleware=[Middleware(sessions, secret_key=c.SECRET)]),
        "form-post": one(form, methods=["POST"]),
        "upload-1mb": one(upload, methods=["POST"]),
        "download-1mb": one(download),
        "static-file-1mb": Starlette(routes=[routing.Mount("/static", static)]),
        "websocket-echo": Starlette(routes=[routing.WebSocketRoute("/", echo)]),
        "sse-1000": one(sse),
        "template": one(page),
    }
    return Shaped(apps, plaintext, form, echo, events)
