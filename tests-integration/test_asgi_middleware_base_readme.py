"""asgi-middleware-base's README: the ten lines on real servers, and inside FastAPI."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from asgi_middleware_base import BaseHTTPMiddleware
from asgi_testing import TestClient

README = Path(__file__).resolve().parent.parent / "packages" / "asgi-middleware-base" / "README.md"


def readme_namespace() -> dict[str, Any]:
    block = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)[0]
    namespace: dict[str, Any] = {}
    exec(compile(block, str(README), "exec"), namespace)
    return namespace


def test_the_ten_lines_on_real_servers(serve: Callable[..., Any]) -> None:
    app = readme_namespace()["app"]
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.get("/")
        assert response.text == "Hello, world!"
        assert re.fullmatch(r"app;dur=\d+\.\d", response.headers["server-timing"])


def test_inside_fastapi_with_a_context_variable() -> None:
    user: contextvars.ContextVar[str] = contextvars.ContextVar("user", default="nobody")
    app = FastAPI()

    @app.get("/")
    async def endpoint() -> dict[str, str]:
        user.set("ada")
        return {"hello": "world"}

    async def dispatch(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["x-user"] = user.get()  # set by the endpoint
        return response

    app.add_middleware(readme_namespace()["Timing"])
    app.add_middleware(BaseHTTPMiddleware, dispatch=dispatch)
    response = TestClient(app).get("/")
    assert response.json() == {"hello": "world"}
    assert response.headers["x-user"] == "ada"
    assert "server-timing" in response.headers


def test_the_docs_page_example() -> None:
    page = README.parent.parent.parent / "docs" / "pages" / "packages" / "asgi-middleware-base.md"
    block = re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL)[0]
    namespace: dict[str, Any] = {}
    exec(compile(block, str(page), "exec"), namespace)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        text = scope["state"]["request_id"].encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": text})

    client = TestClient(namespace["RequestId"](app))
    response = client.get("/", headers={"x-request-id": "abc"})
    assert (response.text, response.headers["x-request-id"]) == ("abc", "abc")
    generated = client.get("/")
    assert generated.text == generated.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated.text)


def test_a_500_passes_back_through_the_middleware_outside_in_the_framework() -> None:
    """asgi-framework's ServerErrorMiddleware sends the 500 through the send the innermost
    ExceptionMiddleware kept; after BaseHTTPMiddleware failed it reaches the layers outside."""
    from asgi_framework import App
    from asgi_framework.middleware import Middleware
    from asgi_routing import Route

    async def boom(request: Any) -> Any:
        raise ValueError("boom")

    class Outer:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            async def add_header(message: Any) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message["headers"], (b"x-outer", b"1")]}
                await send(message)

            await self.app(scope, receive, add_header)

    timing = readme_namespace()["Timing"]
    app = App(routes=[Route("/", boom)], middleware=[Middleware(Outer), Middleware(timing)])
    response = TestClient(app, raise_server_exceptions=False, timeout=5).get("/")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert response.headers["x-outer"] == "1"
