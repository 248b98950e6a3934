"""The examples of asgi-middleware-opentelemetry's README run and record what they claim."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = (
    Path(__file__).resolve().parent.parent
    / "packages"
    / "asgi-middleware-opentelemetry"
    / "README.md"
)

pytest.importorskip(
    "opentelemetry.sdk",
    reason="needs opentelemetry-sdk (listed for the hatch-test env): pip install opentelemetry-sdk",
)

from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)


def examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def test_ten_line_example() -> None:
    from asgi_testing import TestClient

    namespace: dict[str, Any] = {}
    exec(examples()[0], namespace)
    provider: TracerProvider = namespace["provider"]
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    client = TestClient(namespace["app"])

    assert client.get("/?page=2").text == "Hello, world!"
    assert client.get("/healthz").text == "Hello, world!"
    provider.shutdown()

    (span,) = exporter.get_finished_spans()  # none for /healthz
    assert span.name == "GET"
    assert span.kind is trace.SpanKind.SERVER
    assert span.attributes is not None
    assert span.attributes["url.path"] == "/"
    assert span.attributes["url.query"] == "page=2"
    assert span.attributes["http.response.status_code"] == 200


def test_router_example(monkeypatch: pytest.MonkeyPatch) -> None:
    from asgi_testing import TestClient

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # the global provider, which the API lets a process set only once
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", provider)
    namespace: dict[str, Any] = {}
    exec(examples()[1], namespace)
    client = TestClient(namespace["app"])

    assert client.get("/users/7").json() == {"id": 7}
    assert client.get("/users/seven").status_code == 404

    found, not_found = exporter.get_finished_spans()
    assert found.name == "GET /users/{user_id}"
    assert found.attributes is not None
    assert found.attributes["http.route"] == "/users/{user_id}"
    assert not_found.name == "GET"
    assert not_found.attributes is not None
    assert not_found.attributes["http.response.status_code"] == 404


def test_inside_fastapi(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fastapi", reason="needs fastapi: pip install fastapi")
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from asgi_middleware_opentelemetry import OpenTelemetryMiddleware

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = FastAPI()

    @app.get("/users/{user_id}")
    async def user(user_id: int) -> dict[str, int]:
        return {"id": user_id}

    app.add_middleware(OpenTelemetryMiddleware, tracer_provider=provider)
    with TestClient(app) as client:
        assert client.get("/users/3", headers={"traceparent": TRACEPARENT}).json() == {"id": 3}

    (span,) = exporter.get_finished_spans()
    assert span.name == "GET /users/{user_id}"
    assert span.parent is not None
    assert span.parent.trace_id == 0x0AF7651916CD43DD8448EB211C80319C


TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
