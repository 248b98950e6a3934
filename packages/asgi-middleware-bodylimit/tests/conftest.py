"""Every async test runs on asyncio and trio; so does every sync TestClient."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import anyio
import pytest

from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing import TestClient

Headers = Sequence[tuple[bytes, bytes]]


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["asyncio", "trio"])
def client(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``client(app, **options)``: a TestClient on the asyncio, then the trio backend."""

    def factory(app: Any, **options: Any) -> TestClient:
        return TestClient(app, backend=request.param, **options)

    return factory


def make_scope(headers: Headers = (), method: str = "POST") -> Scope:
    """An HTTP scope as a server sends it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


Run = Callable[..., Awaitable[list[Message]]]


@pytest.fixture
def http_scope() -> Callable[..., Scope]:
    """``http_scope(headers=(), method="POST")``: an HTTP scope as a server sends it."""
    return make_scope


@pytest.fixture
def run() -> Run:
    """``await run(app, scope, chunks)``: the messages ``app`` sends for that request body.

    The body arrives in ``chunks`` (one message each); after it, ``receive()`` waits
    briefly and returns ``http.disconnect``.
    """

    async def run_app(
        app: ASGIApp, scope: Scope, chunks: Sequence[bytes] = (b"",)
    ) -> list[Message]:
        incoming: list[Message] = [
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            for index, chunk in enumerate(chunks)
        ]
        sent: list[Message] = []

        async def receive() -> Message:
            if incoming:
                return incoming.pop(0)
            await anyio.sleep(0.01)
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return sent

    return run_app
