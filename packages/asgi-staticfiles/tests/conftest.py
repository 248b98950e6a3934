"""Every async test runs on asyncio and trio; so does every sync TestClient.

``tree`` is a served directory (``root``) beside a file that must never be served
(``secret.txt``). ``call`` sends one request with a hand-made scope, so paths reach the
application exactly as a server could pass them (``..``, NUL bytes, backslashes).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest

from asgi_core.types import ASGIApp, Message, Scope
from asgi_staticfiles import StaticFiles
from asgi_testing import TestClient

MTIME = 1_700_000_000  # Tue, 14 Nov 2023 22:13:20 GMT
LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"
SECRET = "top secret"

FILES = {
    "a.txt": "hello world",
    "index.html": "<h1>home</h1>",
    "404.html": "<h1>not here</h1>",
    "app.js": "console.log(1)",
    "style.css": "body{}",
    "data.json": "{}",
    "noext": "x",
    "with space.txt": "spaced",
    "docs/index.html": "<h1>docs</h1>",
    "docs/guide.html": "<h1>guide</h1>",
    "empty/.keep": "",
}


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def write(root: Path, name: str, content: str | bytes) -> Path:
    """Write ``root/name`` (folders included) with a fixed modification time."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    os.utime(path, (MTIME, MTIME))
    return path


@pytest.fixture(name="write")
def write_fixture() -> Callable[[Path, str, str | bytes], Path]:
    """``write(root, name, content)``: a file with the fixed modification time ``MTIME``."""
    return write


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``tmp_path/root`` holding FILES; ``tmp_path/secret.txt`` is outside it."""
    root = tmp_path / "root"
    for name, content in FILES.items():
        write(root, name, content)
    write(tmp_path, "secret.txt", SECRET)
    return root


@pytest.fixture(params=["asyncio", "trio"])
def client_for(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``client_for(app)``: a TestClient for ``app`` on each event loop."""

    def factory(app: ASGIApp, **options: Any) -> TestClient:
        return TestClient(app, backend=request.param, **options)

    return factory


@pytest.fixture
def static(tree: Path, client_for: Callable[..., TestClient]) -> Callable[..., TestClient]:
    """``static(**options)``: a TestClient for ``StaticFiles(directory=tree, **options)``."""

    def factory(**options: Any) -> TestClient:
        return client_for(StaticFiles(directory=tree, **options), follow_redirects=False)

    return factory


def make_scope(
    path: str,
    method: str = "GET",
    headers: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> Scope:
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers or []],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
    }
    scope.update(extra)
    return scope


@dataclass
class Sent:
    """The messages an application sent for one request."""

    messages: list[Message] = field(default_factory=list)

    @property
    def status(self) -> int:
        status: int = self.messages[0]["status"]
        return status

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        headers: list[tuple[bytes, bytes]] = self.messages[0]["headers"]
        return headers

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name.encode():
                return value.decode("latin-1")
        return None

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])


async def _call(app: ASGIApp, path: str, method: str = "GET", **options: Any) -> Sent:
    """Send one request with a hand-made scope (``make_scope``'s options) and record it."""
    sent = Sent()

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")  # pragma: no cover - sleep_forever never returns

    async def send(message: Message) -> None:
        sent.messages.append(message)

    await app(make_scope(path, method, **options), receive, send)
    return sent


Call = Callable[..., Awaitable[Sent]]


@pytest.fixture
def call() -> Call:
    """``await call(app, path, method="GET", headers=[...], **scope)``: the messages sent."""
    return _call


@pytest.fixture(name="make_scope")
def make_scope_fixture() -> Callable[..., Scope]:
    """``make_scope(path, method="GET", headers=[...], **scope)``: an HTTP scope."""
    return make_scope
