"""OpenTelemetryMiddleware on raw ASGI apps: spans, names, status, errors, pass-through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from opentelemetry import trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_opentelemetry import (
    INSTRUMENTATION_NAME,
    OpenTelemetryMiddleware,
    __version__,
)
from asgi_testing import TestClient

Call = Callable[..., Awaitable[Any]]
MakeScope = Callable[..., Scope]
Respond = Callable[..., ASGIApp]

REQUEST_ATTRIBUTES = {
    "http.request.method": "GET",
    "url.path": "/items/5",
    "url.scheme": "http",
    "url.query": "a=1&b=2",
    "server.address": "example.com",
    "server.port": 8080,
    "network.protocol.version": "1.1",
    "client.address": "10.0.0.1",
    "user_agent.original": "probe/1.0",
}


class Route:
    """What routers put in ``scope["route"]``: asgi-routing's and Starlette's ``Route``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.path_format = path.replace(":int", "").replace(":path", "")


class Mount(Route):
    """A ``Mount``: it has ``routes``; a mounted non-router app leaves it as the route."""

    routes: list[Route] = []  # noqa: RUF012 - read-only marker of a mount


class Boom(Exception):
    """An application error."""

    class Inner(Exception):
        """An error class nested in another class."""


class Stop(BaseException):
    """Not an ``Exception``, like ``KeyboardInterrupt`` or a cancellation."""


def raising(exc: BaseException, status: int | None = None, **scope_changes: Any) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope.update(scope_changes)
        if status is not None:
            await send({"type": "http.response.start", "status": status, "headers": []})
        raise exc

    return app


@pytest.mark.anyio
async def test_one_server_span_per_request(
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Respond,
) -> None:
    app = OpenTelemetryMiddleware(respond(200), tracer_provider=provider)
    exchange = await call(app, make_scope())
    assert [m["type"] for m in exchange.sent] == ["http.response.start", "http.response.body"]
    (span,) = exporter.get_finished_spans()
    assert span.name == "GET"
    assert span.kind is SpanKind.SERVER
    assert list(span.attributes.items()) == [  # type: ignore[union-attr]
        *REQUEST_ATTRIBUTES.items(),
        ("http.response.status_code", 200),
    ]
    assert span.status.status_code is StatusCode.UNSET
    assert span.events == ()
    assert span.parent is None
    assert span.instrumentation_scope is not None
    assert (
        span.instrumentation_scope.name == INSTRUMENTATION_NAME == "asgi_middleware_opentelemetry"
    )
    assert span.instrumentation_scope.version == __version__


@pytest.mark.anyio
async def test_request_attributes_are_known_to_the_sampler(
    call: Call, make_scope: MakeScope, respond: Respond
) -> None:
    from opentelemetry.sdk.trace.sampling import ALWAYS_ON, Sampler, SamplingResult

    seen: list[tuple[str, dict[str, Any]]] = []

    class Recording(Sampler):
        def should_sample(self, *args: Any, **kwargs: Any) -> SamplingResult:
            _context, _trace_id, name, _kind, attributes = args[:5]
            seen.append((name, dict(attributes or {})))
            return ALWAYS_ON.should_sample(*args, **kwargs)

        def get_description(self) -> str:
            return "Recording"

    app = OpenTelemetryMiddleware(respond(200), tracer_provider=TracerProvider(Recording()))
    await call(app, make_scope())
    assert seen == [("GET", REQUEST_ATTRIBUTES)]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "error_type"),
    [(101, None), (200, None), (404, None), (499, None), (500, "500"), (503, "503"), (600, "600")],
)
async def test_response_status(
    status: int,
    error_type: str | None,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Respond,
) -> None:
    await call(OpenTelemetryMiddleware(respond(status), tracer_provider=provider), make_scope())
    (span,) = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["http.response.status_code"] == status
    assert span.attributes.get("error.type") == error_type
    # 4xx are the client's errors: a server span is only in error for 5xx (and above)
    expected = StatusCode.UNSET if error_type is None else StatusCode.ERROR
    assert span.status.status_code is expected
    assert span.status.description is None
    assert span.events == ()


@pytest.mark.anyio
async def test_exception_before_the_response(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    app = OpenTelemetryMiddleware(raising(Boom("no way")), tracer_provider=provider)
    with pytest.raises(Boom, match="no way"):
        await call(app, make_scope())
    (span,) = exporter.get_finished_spans()
    assert list(span.attributes.items()) == [  # type: ignore[union-attr]
        *REQUEST_ATTRIBUTES.items(),
        ("error.type", "Boom"),
    ]
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "Boom: no way"
    (event,) = span.events
    assert event.name == "exception"
    assert event.attributes is not None
    assert event.attributes["exception.type"] == f"{__name__}.Boom"
    assert event.attributes["exception.message"] == "no way"
    assert event.attributes["exception.escaped"] == "False"
    assert "raise exc" in str(event.attributes["exception.stacktrace"])


@pytest.mark.anyio
async def test_exception_after_a_500_start_names_the_exception(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    app = OpenTelemetryMiddleware(raising(ValueError("v"), status=500), tracer_provider=provider)
    with pytest.raises(ValueError, match="v"):
        await call(app, make_scope())
    (span,) = exporter.get_finished_spans()
    assert span.attributes is not None
    assert list(span.attributes.items())[-2:] == [
        ("http.response.status_code", 500),
        ("error.type", "ValueError"),
    ]
    assert span.status.description == "ValueError: v"


@pytest.mark.anyio
async def test_error_type_is_the_qualified_class_name(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    app = OpenTelemetryMiddleware(raising(Boom.Inner("i")), tracer_provider=provider)
    with pytest.raises(Boom.Inner):
        await call(app, make_scope())
    (span,) = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["error.type"] == "Boom.Inner"


@pytest.mark.anyio
async def test_base_exceptions_end_the_span_without_error(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    app = OpenTelemetryMiddleware(raising(Stop(), status=200), tracer_provider=provider)
    with pytest.raises(Stop):
        await call(app, make_scope())
    (span,) = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["http.response.status_code"] == 200
    assert "error.type" not in span.attributes
    assert span.status.status_code is StatusCode.UNSET
    assert span.events == ()


@pytest.mark.anyio
async def test_cancelled_request(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    async def endless(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await anyio.sleep_forever()

    with anyio.move_on_after(0.01):
        await call(OpenTelemetryMiddleware(endless, tracer_provider=provider), make_scope())
    (span,) = exporter.get_finished_spans()
    assert span.end_time is not None
    assert span.attributes is not None
    assert span.attributes["http.response.status_code"] == 200
    assert "error.type" not in span.attributes
    assert span.status.status_code is StatusCode.UNSET


@pytest.mark.anyio
async def test_no_response(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    async def silent(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()

    exchange = await call(OpenTelemetryMiddleware(silent, tracer_provider=provider), make_scope())
    assert exchange.sent == []
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes or {}) == REQUEST_ATTRIBUTES


@pytest.mark.anyio
async def test_messages_pass_unchanged(
    provider: TracerProvider, call: Call, make_scope: MakeScope
) -> None:
    body = [
        {"type": "http.request", "body": b"a", "more_body": True},
        {"type": "http.request", "body": b"b", "more_body": False},
    ]
    start = {"type": "http.response.start", "status": 201, "headers": [(b"x-a", b"1")]}
    chunks = [
        {"type": "http.response.body", "body": b"1", "more_body": True},
        {"type": "http.response.body", "body": b"2", "more_body": False},
    ]
    received: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        received.extend([await receive(), await receive()])
        for message in [start, *chunks]:
            await send(message)

    exchange = await call(
        OpenTelemetryMiddleware(app, tracer_provider=provider), make_scope(), body
    )
    assert received == body
    assert exchange.sent == [start, *chunks]
    assert exchange.sent[0] is start


# --- span names and http.route from scope["route"] ---------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("changes", "route"),
    [
        ({"route": Route("/items/{id:int}")}, "/items/{id}"),
        ({"route": Route("/files/{rest:path}")}, "/files/{rest}"),
        ({"route": Route("/")}, "/"),
        # a route inside a Mount: the router extended root_path with the mount's prefix
        ({"route": Route("/u/{name}"), "root_path": "/sub"}, "/sub/u/{name}"),
        ({"route": Route("/u/{name}"), "root_path": None}, "/u/{name}"),
        # a Mount of a non-router app: the prefix it matched, "/" at the top
        ({"route": Mount("/static"), "root_path": "/static"}, "/static"),
        ({"route": Mount("/static")}, "/"),
        # no template to read: Host, a plain string, an object with only a path
        ({"route": type("Host", (), {"host": "{sub}.example.org"})()}, None),
        ({"route": "/items/{id}"}, None),
        ({"route": type("Custom", (), {"path": "/x"})()}, None),
        ({"route": None}, None),
        ({}, None),
    ],
)
async def test_route_names_the_span(
    changes: dict[str, Any],
    route: str | None,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Respond,
) -> None:
    app = OpenTelemetryMiddleware(respond(200, **changes), tracer_provider=provider)
    await call(app, make_scope(method="POST"))
    (span,) = exporter.get_finished_spans()
    assert span.attributes is not None
    if route is None:
        assert span.name == "POST"
        assert "http.route" not in span.attributes
    else:
        assert span.name == f"POST {route}"
        assert list(span.attributes.items())[-1] == ("http.route", route)


@pytest.mark.anyio
async def test_route_is_read_when_the_app_is_done(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        scope["route"] = Route("/late/{x}")

    await call(OpenTelemetryMiddleware(app, tracer_provider=provider), make_scope())
    assert exporter.get_finished_spans()[0].name == "GET /late/{x}"


@pytest.mark.anyio
async def test_route_of_a_failed_request(
    provider: TracerProvider, exporter: InMemorySpanExporter, call: Call, make_scope: MakeScope
) -> None:
    app = raising(Boom("x"), route=Route("/items/{id}"))
    with pytest.raises(Boom):
        await call(OpenTelemetryMiddleware(app, tracer_provider=provider), make_scope())
    (span,) = exporter.get_finished_spans()
    assert span.name == "GET /items/{id}"
    assert span.attributes is not None
    assert list(span.attributes.items())[-2:] == [
        ("error.type", "Boom"),
        ("http.route", "/items/{id}"),
    ]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "name", "original"),
    [
        ("GET", "GET", None),
        ("get", "GET", "get"),
        ("Post", "POST", "Post"),
        ("QUERY", "QUERY", None),
        ("PROPFIND", "PROPFIND", None),
        ("foo", "FOO", "foo"),
    ],
)
async def test_method(
    method: str,
    name: str,
    original: str | None,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Respond,
) -> None:
    app = OpenTelemetryMiddleware(respond(200, route=Route("/r")), tracer_provider=provider)
    await call(app, make_scope(method=method))
    (span,) = exporter.get_finished_spans()
    assert span.name == f"{name} /r"
    assert span.attributes is not None
    assert span.attributes["http.request.method"] == name
    assert span.attributes.get("http.request.method_original") == original
    if original is not None:  # Starlette's place for it: right after url.scheme
        assert list(span.attributes)[3] == "http.request.method_original"


# --- WebSocket and lifespan pass through ---------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("scope_type", ["websocket", "lifespan"])
async def test_other_scopes_pass_through(
    scope_type: str,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
) -> None:
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.extend([scope, receive, send, trace.get_current_span()])

    scope = make_scope(type=scope_type)
    scope["headers"].append((b"traceparent", b"00-" + b"1" * 32 + b"-" + b"2" * 16 + b"-01"))
    exchange = await call(OpenTelemetryMiddleware(app, tracer_provider=provider), scope, [])
    assert seen[:3] == [scope, exchange.receive, exchange.send]
    assert seen[1] is exchange.receive
    assert seen[2] is exchange.send
    assert seen[3] is trace.INVALID_SPAN
    assert exporter.get_finished_spans() == ()


# --- configuration ------------------------------------------------------------------------


async def never(scope: Scope, receive: Receive, send: Send) -> None:
    raise NotImplementedError  # pragma: no cover - configuration tests make no requests


def test_defaults() -> None:
    middleware = OpenTelemetryMiddleware(never)
    assert middleware.app is never


@pytest.mark.parametrize("bad", [object(), "provider", 1])
def test_tracer_provider_must_be_a_tracer_provider(bad: Any) -> None:
    with pytest.raises(TypeError, match="tracer_provider must be an OpenTelemetry TracerProvider"):
        OpenTelemetryMiddleware(never, tracer_provider=bad)


def test_explicit_provider_gives_its_tracer_once() -> None:
    calls: list[tuple[Any, ...]] = []

    class Counting(TracerProvider):
        def get_tracer(self, *args: Any, **kwargs: Any) -> Any:
            calls.append(args)
            return super().get_tracer(*args, **kwargs)

    OpenTelemetryMiddleware(never, tracer_provider=Counting())
    assert calls == [(INSTRUMENTATION_NAME, __version__)]


@pytest.mark.anyio
async def test_meter_provider_is_accepted_and_records_nothing(
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Respond,
) -> None:
    reader = InMemoryMetricReader()
    app = OpenTelemetryMiddleware(
        respond(200), tracer_provider=provider, meter_provider=MeterProvider([reader])
    )
    await call(app, make_scope())
    assert len(exporter.get_finished_spans()) == 1
    assert reader.get_metrics_data() is None


# --- through a test client ----------------------------------------------------------------


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_with_the_test_client(
    backend: Any, provider: TracerProvider, exporter: InMemorySpanExporter, respond: Respond
) -> None:
    app = OpenTelemetryMiddleware(
        respond(200, route=Route("/items/{id}")), tracer_provider=provider
    )
    with TestClient(app, backend=backend) as client:
        response = client.get("/items/7?q=1")
    assert (response.status_code, response.text) == (200, "ok")
    (span,) = exporter.get_finished_spans()  # none for the lifespan
    assert span.name == "GET /items/{id}"
    assert span.attributes is not None
    assert dict(span.attributes) == {
        "http.request.method": "GET",
        "url.path": "/items/7",
        "url.scheme": "http",
        "url.query": "q=1",
        "server.address": "testserver",
        "server.port": 80,
        "network.protocol.version": "1.1",
        "client.address": "testclient",
        "user_agent.original": "testclient",
        "http.response.status_code": 200,
        "http.route": "/items/{id}",
    }
