"""Every async test runs on asyncio and trio; so does every sync TestClient."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing import TestClient

#: The templates folder of most tests: name -> source.
TEMPLATES = {
    "index.html": "Hello {{ name }} at {{ request.url.path }}",
    "escape.html": "{{ value }}",
    "user.html": "{{ url_for('user', id=user_id) }}",
    "sub/page.html": "page {{ request.method }}",
}


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["asyncio", "trio"])
def client(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``client(app, **options)``: a TestClient on the asyncio, then the trio backend."""

    def factory(app: Any, **options: Any) -> TestClient:
        return TestClient(app, backend=request.param, **options)

    return factory


def write_templates(folder: Path, templates: dict[str, str]) -> Path:
    """Write ``templates`` (name -> source) under ``folder``; return ``folder``."""
    for name, source in templates.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return folder


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    """A folder holding :data:`TEMPLATES`."""
    return write_templates(tmp_path / "templates", TEMPLATES)


def _http_scope(**extra: Any) -> Scope:
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"example.org")],
        "server": ("example.org", 80),
    }
    scope.update(extra)
    return scope


@pytest.fixture
def make_scope() -> Callable[..., Scope]:
    """``make_scope(**extra)``: an HTTP GET scope for ``/`` on ``example.org``, plus ``extra``."""
    return _http_scope


@pytest.fixture
def make_request() -> Callable[..., Request]:
    """``make_request(**extra)``: a :class:`Request` of ``make_scope(**extra)``."""
    return lambda **extra: Request(_http_scope(**extra))


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
