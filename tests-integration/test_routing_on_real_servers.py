"""asgi-routing behind real servers with real HTTP and WebSocket clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from asgi_core import HTTPException, Request
from asgi_core.types import Receive, Scope, Send
from asgi_responses import JSONResponse, PlainTextResponse
from asgi_routing import Mount, Route, Router, WebSocketRoute
from asgi_websockets import WebSocket


async def user(request: Request) -> JSONResponse:
    return JSONResponse(
        {
            "id": request.path_params["id"],
            "self": str(request.url_for("user", id=request.path_params["id"])),
        }
    )


async def create(request: Request) -> JSONResponse:
    return JSONResponse(await request.json(), status_code=201)


async def forbidden(request: Request) -> PlainTextResponse:
    raise HTTPException(403, "no entry")


class Where:
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await JSONResponse({"path": scope["path"], "root_path": scope["root_path"]})(
            scope, receive, send
        )


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    async for text in websocket.iter_text():
        await websocket.send_text(f"{websocket.path_params['room']}: {text}")


app = Router(
    [
        Route("/users/{id:int}", user, name="user"),
        Route("/users", create, methods=["POST"]),
        Route("/forbidden", forbidden),
        Mount("/mounted", app=Where()),
        WebSocketRoute("/ws/{room}", echo),
    ]
)


def test_http_routing(serve: Callable[..., Any]) -> None:
    with serve(app) as base, httpx.Client(base_url=base) as client:
        assert client.get("/users/7").json() == {"id": 7, "self": f"{base}/users/7"}
        assert client.post("/users", json={"name": "Ada"}).status_code == 201
        not_allowed = client.delete("/users")
        assert (not_allowed.status_code, not_allowed.headers["allow"]) == (405, "POST")
        assert client.get("/nothing").status_code == 404
        assert (
            client.get("/users/7/", follow_redirects=False).headers["location"] == f"{base}/users/7"
        )
        assert (client.get("/forbidden").status_code, client.get("/forbidden").text) == (
            403,
            "no entry",
        )
        assert client.get("/mounted/a/b").json() == {
            "path": "/mounted/a/b",
            "root_path": "/mounted",
        }


def test_websocket_routing(serve: Callable[..., Any]) -> None:
    with serve(app) as base:
        url = base.replace("http://", "ws://")
        with connect(f"{url}/ws/lobby") as websocket:
            websocket.send("hello")
            assert websocket.recv() == "lobby: hello"
        with pytest.raises(InvalidStatus) as refused:  # an unrouted WebSocket is refused: HTTP 403
            with connect(f"{url}/nowhere"):
                pass  # pragma: no cover - refused
        assert refused.value.response.status_code == 403
