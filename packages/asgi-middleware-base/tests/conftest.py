"""Every async test runs on asyncio and trio; so does every sync TestClient."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import anyio
import pytest

from asgi_core.types import ASGIApp, Message, Scope, Send
from asgi_testing import TestClient


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["asyncio", "trio"])
def client(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``client(app, **options)``: a TestClient on the asyncio, then the trio backend."""

    def factory(app: Any, **options: Any) -> TestClient:
        return TestClient(app, backend=request.param, **options)

    return factory


def make_scope(
    method: str = "GET", spec_version: str = "2.4", extensions: dict[str, Any] | None = None
) -> Scope:
    """An HTTP scope as a server sends it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": spec_version},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "extensions": extensions or {},
    }


class Server:
    """A scripted server: the request body in ``chunks``, then ``http.disconnect``.

    ``sent`` records what the application sent; ``send`` may be replaced to fail.
    ``disconnect_after`` (seconds) delays the disconnect, so that it comes after the
    response unless the application keeps streaming.
    """

    def __init__(self, chunks: Sequence[bytes] = (b"",), disconnect_after: float = 0.01) -> None:
        self.incoming: list[Message] = [
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            for index, chunk in enumerate(chunks)
        ]
        self.disconnect_after = disconnect_after
        self.sent: list[Message] = []
        self.receives = 0

    async def receive(self) -> Message:
        self.receives += 1
        if self.incoming:
            return self.incoming.pop(0)
        await anyio.sleep(self.disconnect_after)
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    async def run(self, app: ASGIApp, scope: Scope | None = None, send: Send | None = None) -> None:
        with anyio.fail_after(5):
            await app(scope or make_scope(), self.receive, send or self.send)


Run = Callable[..., Awaitable[list[Message]]]


@pytest.fixture
def run() -> Run:
    """``await run(app, chunks=(b"",), **scope_options)``: the messages ``app`` sends."""

    async def run_app(
        app: ASGIApp, chunks: Sequence[bytes] = (b"",), **options: Any
    ) -> list[Message]:
        server = Server(chunks)
        await server.run(app, make_scope(**options))
        return server.sent

    return run_app


@pytest.fixture
def server() -> type[Server]:
    """The :class:`Server` class: ``server(chunks)`` scripts one request."""
    return Server


@pytest.fixture
def http_scope() -> Callable[..., Scope]:
    """``http_scope(method="GET", spec_version="2.4", extensions=None)``."""
    return make_scope
