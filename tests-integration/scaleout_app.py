"""The app of the scale-out tests: served by several worker processes sharing one Redis.

``uvicorn scaleout_app:app --app-dir tests-integration --workers 2`` with ``REDIS_URL`` set to
``redis://host:port/0``. Sessions are kept in Redis (``RedisSessionStore``), the chat and the
news feed go through a ``redis://`` broadcast, and every answer says which worker process
gave it (header ``x-worker-pid``, and the first WebSocket or SSE message), so that a test can
make sure that two requests went to two different processes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import anyio

from asgi_framework import App
from asgi_framework.broadcast import Broadcast
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.sessions import RedisSessionStore, SessionMiddleware
from asgi_framework.requests import Request
from asgi_framework.responses import (
    EventSourceResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    ServerSentEvent,
)
from asgi_framework.routing import Route, WebSocketRoute
from asgi_framework.websockets import WebSocket

REDIS_URL = os.environ["REDIS_URL"]
PID = str(os.getpid())
WORKER = {"x-worker-pid": PID}

broadcast = Broadcast(REDIS_URL)


async def whoami(request: Request) -> Response:
    return PlainTextResponse(PID, headers=WORKER)


async def write_session(request: Request) -> Response:
    request.session[request.path_params["key"]] = (await request.body()).decode()
    return PlainTextResponse("stored", headers=WORKER)


async def read_session(request: Request) -> Response:
    return JSONResponse({"value": request.session.get(request.path_params["key"])}, headers=WORKER)


async def publish(request: Request) -> Response:
    """Publish the body; ``?not_on=PID`` refuses (409) on that worker, so a test can insist."""
    if request.query_params.get("not_on") == PID:
        return PlainTextResponse("this is that worker", status_code=409, headers=WORKER)
    await broadcast.publish(request.path_params["channel"], (await request.body()).decode())
    return PlainTextResponse("published", status_code=202, headers=WORKER)


async def chat(websocket: WebSocket) -> None:
    """Each text a client sends reaches every chat client of every worker, its sender too."""
    await websocket.accept()
    async with broadcast.subscribe("chat") as subscriber, anyio.create_task_group() as tasks:
        await websocket.send_text(f"worker {PID}")  # subscribed: the client may talk now

        async def forward() -> None:
            async for event in subscriber:
                await websocket.send_text(event.message)

        tasks.start_soon(forward)
        async for text in websocket.iter_text():
            await broadcast.publish("chat", text)
        tasks.cancel_scope.cancel()


async def news(request: Request) -> Response:
    """Server-Sent Events of the ``news`` channel, whichever process publishes them."""

    async def events() -> AsyncIterator[ServerSentEvent]:
        async with broadcast.subscribe("news") as subscriber:
            yield ServerSentEvent(f"worker {PID}", event="hello")
            async for event in subscriber:
                yield ServerSentEvent(event.message, event="news")

    return EventSourceResponse(events(), headers=WORKER, ping=1)


@contextlib.asynccontextmanager
async def lifespan(app: App) -> AsyncIterator[None]:
    async with broadcast:  # each worker process connects its own
        yield


app = App(
    routes=[
        Route("/whoami", whoami),
        Route("/session/{key}", write_session, methods=["POST"]),
        Route("/session/{key}", read_session, methods=["GET"]),
        Route("/publish/{channel}", publish, methods=["POST"]),
        Route("/news", news),
        WebSocketRoute("/chat", chat),
    ],
    middleware=[
        Middleware(
            SessionMiddleware,
            secret_key=os.environ.get("SECRET_KEY", "scale-out test key"),
            store=RedisSessionStore(REDIS_URL, prefix="scaleout:session:"),
        )
    ],
    lifespan=lifespan,
)
