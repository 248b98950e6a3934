"""Shared fixtures: every async test runs on asyncio and on trio."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from asgi_core.types import Message, Receive, Scope


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


ScopeFactory = Callable[..., Scope]
ReceiveFactory = Callable[..., Receive]


@pytest.fixture
def make_scope() -> ScopeFactory:
    """Build an HTTP scope the way a server would."""

    def factory(
        path: str = "/",
        *,
        method: str = "GET",
        query_string: bytes = b"",
        headers: Iterable[tuple[bytes, bytes]] | None = None,
        scheme: str = "http",
        server: tuple[str, int | None] | None = ("testserver", 80),
        type: str = "http",
        **extra: Any,
    ) -> Scope:
        scope: Scope = {
            "type": type,
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": scheme,
            "path": path,
            "raw_path": path.encode(),
            "query_string": query_string,
            "root_path": "",
            "headers": list(headers) if headers is not None else [],
            "server": server,
            "client": ("127.0.0.1", 50000),
        }
        scope.update(extra)
        return scope

    return factory


@pytest.fixture
def body_receiver() -> ReceiveFactory:
    """A ``receive`` that delivers ``chunks`` as body messages, then a disconnect."""

    def factory(*chunks: bytes, disconnect_after: bool = True) -> Receive:
        messages: list[Message] = [
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
            for index, chunk in enumerate(chunks)
        ]
        if not chunks:
            messages.append({"type": "http.request", "body": b"", "more_body": False})

        async def receive() -> Message:
            if messages:
                return messages.pop(0)
            if disconnect_after:
                return {"type": "http.disconnect"}
            raise AssertionError("receive() called after the body was delivered")

        return receive

    return factory
