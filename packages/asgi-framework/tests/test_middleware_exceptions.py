"""ExceptionMiddleware and ServerErrorMiddleware on their own, around raw ASGI apps."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from asgi_core import HTTPException, Request
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import Receive, Scope, Send
from asgi_framework.middleware.errors import ServerErrorMiddleware
from asgi_framework.middleware.exceptions import ExceptionMiddleware
from asgi_responses import PlainTextResponse, Response
from asgi_testing import TestClient

Client = Callable[..., TestClient]


async def raises_404(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope[EXCEPTION_HANDLERS][0][HTTPException]  # the handlers are published
    raise HTTPException(404, "nothing here")


def test_exception_middleware_alone(client: Client) -> None:
    response = client(ExceptionMiddleware(raises_404)).get("/")
    assert (response.status_code, response.text) == (404, "nothing here")

    middleware = ExceptionMiddleware(raises_404)

    async def custom(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("custom", status_code=404)

    middleware.add_exception_handler(404, custom)
    assert client(middleware).get("/").text == "custom"


def test_exception_middleware_passes_lifespan_through(client: Client) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            events.append("lifespan")
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})

    with client(ExceptionMiddleware(app)):
        pass
    assert events == ["lifespan"]


def test_server_error_middleware_alone(client: Client) -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise KeyError("x")

    response = client(ServerErrorMiddleware(broken), raise_server_exceptions=False).get("/")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    debug = client(ServerErrorMiddleware(broken, debug=True), raise_server_exceptions=False).get(
        "/"
    )
    assert "KeyError: 'x'" in debug.text


def test_server_error_middleware_ignores_other_scopes(client: Client) -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise KeyError("websocket")

    with pytest.raises(KeyError):
        with client(ServerErrorMiddleware(broken)).websocket_connect("/"):
            pass  # pragma: no cover - raised
