"""Every async test runs on asyncio and trio; so does every sync TestClient.

Also: a hand-written ASGI app whose paths use the session, and a real ``redis-server`` on a
free loopback port in a temporary directory (skipped with a reason when it is not installed,
a failure under ``ASGI_STRICT=1``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
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


async def session_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A raw ASGI app: each path does one thing with ``scope["session"]``, answers JSON.

    ``/health`` does not touch the session; ``/read`` reads it as ``request.session`` does
    (``mark_accessed``); ``/set?k=v&...`` and ``/set-int?k=1`` set keys; ``/clear`` empties it;
    ``/login?user=u`` regenerates it and sets ``user``; ``/big?size=n`` stores ``n`` x's;
    ``/peek`` reads it without marking it accessed. WebSockets get the session as JSON.
    """
    session = scope["session"]
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": json.dumps(dict(session))})
        session["from_websocket"] = True  # not saved: WebSockets have no Set-Cookie
        await send({"type": "websocket.close", "code": 1000})
        return
    path = scope["path"]
    query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
    result: Any = "ok"
    if path == "/read":
        session.mark_accessed()
        result = dict(session)
    elif path == "/peek":
        result = session.get("user")
    elif path == "/set":
        session.update(query)
        result = dict(session)
    elif path == "/set-int":
        for key, value in query.items():
            session[key] = int(value)
        result = dict(session)
    elif path == "/clear":
        session.clear()
    elif path == "/login":
        session.regenerate()
        session["user"] = query["user"]
    elif path == "/big":
        session["x"] = "x" * int(query["size"])
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(result).encode()})


@pytest.fixture
def app() -> ASGIApp:
    """The raw ASGI session app (see :func:`session_app`)."""
    return session_app


def http_scope(headers: list[tuple[bytes, bytes]] | None = None, **extra: Any) -> Scope:
    """An HTTP GET scope for ``/`` with raw ``headers``."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": headers or [],
        "server": ("testserver", 80),
        "client": ("testclient", 50000),
        **extra,
    }


@pytest.fixture
def make_scope() -> Callable[..., Scope]:
    """``make_scope(headers, **extra)``: an HTTP GET scope for ``/``."""
    return http_scope


async def run(app: ASGIApp, scope: Scope) -> list[Message]:
    """The messages ``app`` sends for one ``http.request``."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


@pytest.fixture
def call() -> Callable[[ASGIApp, Scope], Awaitable[list[Message]]]:
    """``await call(app, scope)``: the messages ``app`` sends for one ``http.request``."""
    return run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A ``redis-server`` process on 127.0.0.1 that a test may kill and start again.

    Data is appended to a file synced on every write, so a session survives a kill.
    """

    def __init__(self, executable: str, directory: Path) -> None:
        self.executable = executable
        self.directory = directory
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            self.executable,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.directory),
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--daemonize",
            "no",
            "--logfile",
            str(self.directory / "redis.log"),
        ]
        self.process = subprocess.Popen(command)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        self.kill()
        log = (self.directory / "redis.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"redis-server did not answer on port {self.port}; its log:\n{log}")

    def kill(self) -> None:
        """Kill the server at once, as a crash would."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server for the session; tests use their own key prefixes."""
    executable = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if executable is None:
        reason = (
            "redis-server is not installed, so the RedisSessionStore tests cannot run: "
            "install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) "
            "or set REDIS_SERVER=/path/to/redis-server."
        )
        if os.environ.get("ASGI_STRICT") == "1":
            pytest.fail(f"ASGI_STRICT=1: {reason}")
        pytest.skip(reason)
    server = RedisServer(executable, tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.kill()
