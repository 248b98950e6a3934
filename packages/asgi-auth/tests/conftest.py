"""Every async test runs on asyncio and trio; so does every sync TestClient."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest

from asgi_auth import AuthCredentials, AuthenticationBackend, AuthenticationError, SimpleUser
from asgi_core import HTTPConnection
from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing import TestClient

RawHeaders = Sequence[tuple[bytes, bytes]]


class HeaderBackend(AuthenticationBackend):
    """``X-User: name`` authenticates ``name``; ``X-Scopes: a,b`` grants the scopes.

    ``X-User: bad`` raises ``AuthenticationError("Invalid credentials")``; no ``X-User``
    means no credentials (``None``). Every connection it saw is kept in :attr:`seen`.
    """

    def __init__(self) -> None:
        self.seen: list[HTTPConnection] = []

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, SimpleUser] | None:
        self.seen.append(conn)
        user = conn.headers.get("x-user")
        if user is None:
            return None
        if user == "bad":
            raise AuthenticationError("Invalid credentials")
        scopes = conn.headers.get("x-scopes")
        return AuthCredentials(scopes.split(",") if scopes else []), SimpleUser(user)


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
    """``await call(app, scope)``: the messages ``app`` sends; it receives ``incoming``."""

    async def run(app: ASGIApp, scope: Scope, incoming: Sequence[Message] = ()) -> list[Message]:
        sent: list[Message] = []
        pending = list(incoming) or [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> Message:
            return pending.pop(0)

        async def send(message: Message) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return sent

    return run


def _make_scope(kind: str = "http", headers: RawHeaders = (), path: str = "/") -> Scope:
    scope: Scope = {
        "type": kind,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http" if kind == "http" else "ws",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": list(headers),
        "server": ("testserver", 80),
        "client": ("testclient", 50000),
    }
    if kind == "http":
        scope["method"] = "GET"
    return scope


@pytest.fixture
def scope() -> Callable[..., Scope]:
    """``scope(kind="http", headers=(), path="/")``: an HTTP or WebSocket scope."""
    return _make_scope


@pytest.fixture
def backend() -> HeaderBackend:
    """A :class:`HeaderBackend`."""
    return HeaderBackend()
