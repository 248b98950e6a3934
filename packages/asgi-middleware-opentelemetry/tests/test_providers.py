"""Which tracer records: an explicit provider, the global one, or none (near-zero cost)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, NoOpTracerProvider, ProxyTracerProvider

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_opentelemetry import INSTRUMENTATION_NAME, OpenTelemetryMiddleware

Call = Callable[..., Awaitable[Any]]
MakeScope = Callable[..., Scope]

TRACEPARENT = b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C
PARENT_ID = 0xB7AD6B7169203331


class Observed:
    """A raw app that notes the receive/send it was given and the current span."""

    def __init__(self) -> None:
        self.calls: list[tuple[Receive, Send, Any]] = []
        self.recording: list[bool] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        current = trace.get_current_span()
        self.calls.append((receive, send, current))
        self.recording.append(current.is_recording())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def recording_provider() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


@pytest.mark.anyio
@pytest.mark.parametrize("explicit", [None, NoOpTracerProvider(), ProxyTracerProvider()])
async def test_without_a_tracer_provider_the_app_is_called_directly(
    explicit: Any, no_global_provider: None, call: Call, make_scope: MakeScope
) -> None:
    app = Observed()
    exchange = await call(OpenTelemetryMiddleware(app, tracer_provider=explicit), make_scope())
    ((receive, send, current),) = app.calls
    assert receive is exchange.receive
    assert send is exchange.send  # no wrapper, no span: nothing to pay for
    assert current is trace.INVALID_SPAN
    assert [m["type"] for m in exchange.sent] == ["http.response.start", "http.response.body"]


@pytest.mark.anyio
async def test_without_a_tracer_provider_the_callers_trace_is_handed_on(
    no_global_provider: None, call: Call, make_scope: MakeScope
) -> None:
    app = Observed()
    headers = [(b"traceparent", TRACEPARENT), (b"tracestate", b"a=1")]
    exchange = await call(OpenTelemetryMiddleware(app), make_scope(headers=headers))
    ((_, send, current),) = app.calls
    assert send is exchange.send
    assert isinstance(current, NonRecordingSpan)
    context = current.get_span_context()
    assert (context.trace_id, context.span_id, context.is_remote) == (TRACE_ID, PARENT_ID, True)
    assert list(context.trace_state.items()) == [("a", "1")]
    assert trace.get_current_span() is trace.INVALID_SPAN  # detached again


@pytest.mark.anyio
async def test_without_a_tracer_provider_an_error_still_detaches(
    no_global_provider: None, call: Call, make_scope: MakeScope
) -> None:
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise LookupError("x")

    scope = make_scope(headers=[(b"traceparent", TRACEPARENT)])
    with pytest.raises(LookupError):
        await call(OpenTelemetryMiddleware(failing), scope)
    assert trace.get_current_span() is trace.INVALID_SPAN


@pytest.mark.anyio
@pytest.mark.parametrize("explicit", [None, ProxyTracerProvider()])
async def test_a_global_provider_set_later_is_used(
    explicit: Any,
    no_global_provider: None,
    monkeypatch: pytest.MonkeyPatch,
    call: Call,
    make_scope: MakeScope,
) -> None:
    app = Observed()
    middleware = OpenTelemetryMiddleware(app, tracer_provider=explicit)
    await call(middleware, make_scope())
    first, first_spans = recording_provider()
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", first)  # what set_tracer_provider does
    await call(middleware, make_scope())
    await call(middleware, make_scope())
    second, second_spans = recording_provider()
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", second)
    await call(middleware, make_scope())
    assert [len(first_spans.get_finished_spans()), len(second_spans.get_finished_spans())] == [2, 1]
    assert app.recording == [False, True, True, True]
    scope = second_spans.get_finished_spans()[0].instrumentation_scope
    assert scope is not None
    assert scope.name == INSTRUMENTATION_NAME


@pytest.mark.anyio
async def test_the_global_tracer_is_fetched_once_per_provider(
    no_global_provider: None,
    monkeypatch: pytest.MonkeyPatch,
    call: Call,
    make_scope: MakeScope,
) -> None:
    fetched: list[Any] = []

    class Counting(TracerProvider):
        def get_tracer(self, *args: Any, **kwargs: Any) -> Any:
            fetched.append(args)
            return super().get_tracer(*args, **kwargs)

    monkeypatch.setattr(trace, "_TRACER_PROVIDER", Counting())
    middleware = OpenTelemetryMiddleware(Observed())
    for _ in range(3):
        await call(middleware, make_scope())
    assert len(fetched) == 1


@pytest.mark.anyio
async def test_a_global_no_op_provider_records_nothing(
    no_global_provider: None,
    monkeypatch: pytest.MonkeyPatch,
    call: Call,
    make_scope: MakeScope,
) -> None:
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", NoOpTracerProvider())
    app = Observed()
    exchange = await call(OpenTelemetryMiddleware(app), make_scope())
    ((_, send, current),) = app.calls
    assert send is exchange.send
    assert current is trace.INVALID_SPAN


@pytest.mark.anyio
async def test_an_explicit_provider_wins_over_the_global_one(
    no_global_provider: None,
    monkeypatch: pytest.MonkeyPatch,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
) -> None:
    global_provider, global_spans = recording_provider()
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", global_provider)
    await call(OpenTelemetryMiddleware(Observed(), tracer_provider=provider), make_scope())
    assert len(exporter.get_finished_spans()) == 1
    assert global_spans.get_finished_spans() == ()
