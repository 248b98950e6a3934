"""Every async test runs on asyncio and trio; spans go to the SDK's in-memory exporter.

The middleware is tested on raw ASGI callables driven by hand (``call``), so every message
and the exact ``receive``/``send`` objects the app gets can be checked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    """Keeps the finished spans of ``provider``: ``exporter.get_finished_spans()``."""
    return InMemorySpanExporter()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> Iterator[TracerProvider]:
    """An SDK tracer provider (sample everything) exporting to ``exporter`` at once."""
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield tracer_provider
    tracer_provider.shutdown()


@pytest.fixture
def no_global_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    """No global tracer provider, whatever other tests or the environment did.

    The API sets the global provider once per process; its own test helpers reset the
    module attribute the same way.
    """
    monkeypatch.delenv("OTEL_PYTHON_TRACER_PROVIDER", raising=False)
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", None)


def make_scope(**changes: Any) -> Scope:
    """An ``http`` scope as uvicorn sends it, with ``changes`` applied."""
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/items/5",
        "raw_path": b"/items/5",
        "query_string": b"a=1&b=2",
        "root_path": "",
        "headers": [(b"host", b"example.com:8080"), (b"user-agent", b"probe/1.0")],
        "client": ("10.0.0.1", 5555),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    scope.update(changes)
    return scope


@dataclass
class Exchange:
    """What the server saw of one call of an ASGI app."""

    sent: list[Message] = field(default_factory=list)
    receive: Receive | None = None
    send: Send | None = None


async def call(app: ASGIApp, scope: Scope, messages: list[Message] | None = None) -> Exchange:
    """Call ``app`` like a server would, feeding ``messages`` (one empty request body)."""
    exchange = Exchange()
    pending = list(messages or [{"type": "http.request", "body": b"", "more_body": False}])

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        await anyio.sleep_forever()
        raise AssertionError("unreachable")  # pragma: no cover - sleep_forever never returns

    async def send(message: Message) -> None:
        exchange.sent.append(message)

    exchange.receive, exchange.send = receive, send
    await app(scope, receive, send)
    return exchange


def respond(status: int = 200, **scope_changes: Any) -> ASGIApp:
    """A raw ASGI app answering ``status``; ``scope_changes`` are made to the scope first
    (``route=...`` and ``root_path=...`` simulate a router)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope.update(scope_changes)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


@pytest.fixture(name="make_scope")
def make_scope_fixture() -> Callable[..., Scope]:
    return make_scope


@pytest.fixture(name="call")
def call_fixture() -> Callable[..., Awaitable[Exchange]]:
    return call


@pytest.fixture(name="respond")
def respond_fixture() -> Callable[..., ASGIApp]:
    return respond
