"""Three BaseHTTPMiddleware in a row: nothing is left behind, on asyncio and trio."""

from __future__ import annotations

import gc
import types
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from asgi_core import BackgroundTask, Request
from asgi_core.types import ASGIApp
from asgi_middleware_base import BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_middleware_base._call import Call
from asgi_middleware_base._downstream import Downstream
from asgi_middleware_base._response import BodyIterator, StreamingResponseWrapper
from asgi_responses import Response, StreamingResponse
from asgi_testing import TestClient

OURS = (Call, Downstream, BodyIterator, StreamingResponseWrapper)


async def body(count: int) -> AsyncIterator[bytes]:
    for index in range(count):
        yield b"%d," % index


def stacked(log: list[str]) -> ASGIApp:
    async def endpoint(scope: Any, receive: Any, send: Any) -> None:
        task = BackgroundTask(log.append, "background")
        await StreamingResponse(body(5), background=task)(scope, receive, send)

    app: ASGIApp = endpoint
    for name in ("inner", "middle", "outer"):

        async def dispatch(
            request: Request, call_next: RequestResponseEndpoint, name: str = name
        ) -> Response:
            response = await call_next(request)
            response.headers.append("x-layer", name)
            return response

        app = BaseHTTPMiddleware(app, dispatch)
    return app


def leftovers() -> list[Any]:
    gc.collect()
    return [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, OURS)
        or (isinstance(obj, types.AsyncGeneratorType) and obj.ag_code is body.__code__)
    ]


@pytest.mark.anyio
async def test_stacked_middlewares_leave_no_task_or_generator(server: Any) -> None:
    tasks_before = len(anyio.get_running_tasks())
    log: list[str] = []
    app = stacked(log)
    for _ in range(20):
        srv = server()
        await srv.run(app)
        assert srv.sent[0]["headers"][-3:] == [
            (b"x-layer", b"inner"),
            (b"x-layer", b"middle"),
            (b"x-layer", b"outer"),
        ]
        assert b"".join(m.get("body", b"") for m in srv.sent[1:]) == b"0,1,2,3,4,"
    assert log == ["background"] * 20
    assert len(anyio.get_running_tasks()) == tasks_before
    assert leftovers() == []


def test_stacked_middlewares_through_a_client(client: Callable[..., TestClient]) -> None:
    log: list[str] = []
    test_client = client(stacked(log))
    for _ in range(10):
        response = test_client.get("/")
        assert response.headers.get_list("x-layer") == ["inner", "middle", "outer"]
        assert response.text == "0,1,2,3,4,"
    with test_client.stream("GET", "/") as streamed:  # left unread: closed early
        assert streamed.status_code == 200
    test_client.close()
    assert log.count("background") >= 10
    del test_client, streamed, response  # the client keeps what it received, errors included
    assert leftovers() == []
