"""Every async test runs on asyncio and trio; so does every sync TestClient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_core.types import Message, Receive, Scope, Send
from asgi_testing import TestClient


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["asyncio", "trio"])
def client_for(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``client_for(response_factory)``: a TestClient for an app answering with that response."""

    def factory(make_response: Callable[[Scope], Any], **options: Any) -> TestClient:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await make_response(scope)(scope, receive, send)

        return TestClient(app, backend=request.param, **options)

    return factory


class Recorder:
    """A ``send`` that records messages, and a ``receive`` that never disconnects."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    async def receive(self) -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()
