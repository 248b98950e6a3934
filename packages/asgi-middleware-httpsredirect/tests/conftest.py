"""Every async test runs on asyncio and trio; so does every sync TestClient."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest

from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing import TestClient

RawHeaders = Sequence[tuple[bytes, bytes]]


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["asyncio", "trio"])
def client(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``client(app, **options)``: a TestClient on the asyncio, then the trio backend."""

    def factory(app: Any, **options: Any) -> TestClient:
        return TestClient(app, backend=request.param, **options)

    return factory


@pytest.fixture
def call() -> Callable[..., Awaitable[list[Message]]]:
    """``await call(app, scope)``: the messages ``app`` sends for one ``http.request``."""

    async def run(app: ASGIApp, scope: Scope) -> list[Message]:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return sent

    return run


@pytest.fixture
def scope() -> Callable[..., Scope]:
    """``scope(method, headers)``: an HTTP scope for ``/`` with raw ``headers``."""

    def make(method: str = "GET", headers: RawHeaders = ()) -> Scope:
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": "/",
            "raw_path": b"/",
            "query_string": b"",
            "root_path": "",
            "headers": list(headers),
            "server": ("testserver", 80),
            "client": ("testclient", 50000),
        }

    return make
