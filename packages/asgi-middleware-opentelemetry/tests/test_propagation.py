"""The caller's trace context: read from the headers through the global propagator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from opentelemetry import baggage, propagate, trace
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_opentelemetry import OpenTelemetryMiddleware
from asgi_middleware_opentelemetry._propagation import HEADERS_GETTER, carries_context

Call = Callable[..., Awaitable[Any]]
MakeScope = Callable[..., Scope]

TRACEPARENT = b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C
PARENT_ID = 0xB7AD6B7169203331


def test_getter() -> None:
    headers = [(b"tracestate", b"a=1"), (b"host", b"h"), (b"tracestate", b"b=\xe9")]
    assert HEADERS_GETTER.get(headers, "tracestate") == ["a=1", "b=é"]
    assert HEADERS_GETTER.get(headers, "TraceState") == ["a=1", "b=é"]
    assert HEADERS_GETTER.get(headers, "traceparent") is None
    assert HEADERS_GETTER.get(headers, "☃") is None  # not a possible header name
    assert HEADERS_GETTER.keys(headers) == ["tracestate", "host", "tracestate"]


class XParent(TextMapPropagator):
    """A propagator reading ``x-parent: <trace id hex>:<span id hex>``."""

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        values = getter.get(carrier, "X-Parent")
        if not values:
            return context or Context()
        trace_id, span_id = (int(part, 16) for part in values[0].split(":"))
        parent = SpanContext(trace_id, span_id, is_remote=True, trace_flags=TraceFlags(1))
        return trace.set_span_in_context(NonRecordingSpan(parent), context)

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        raise NotImplementedError  # pragma: no cover - the middleware only extracts

    @property
    def fields(self) -> set[str]:
        return {"X-Parent"}


@pytest.fixture
def x_parent() -> Iterator[None]:
    previous = propagate.get_global_textmap()
    propagate.set_global_textmap(XParent())
    yield
    propagate.set_global_textmap(previous)


def test_carries_context_follows_the_global_propagator(x_parent: None) -> None:
    assert carries_context([(b"x-parent", b"1:2")])
    assert not carries_context([(b"traceparent", TRACEPARENT)])
    propagate.set_global_textmap(XParent())  # another propagator: its fields are read again
    assert carries_context([(b"x-parent", b"1:2")])


def test_carries_context_with_the_default_propagator() -> None:
    assert carries_context([(b"host", b"h"), (b"traceparent", b"x")])
    assert carries_context([(b"tracestate", b"x")])
    assert carries_context([(b"baggage", b"a=b")])
    assert not carries_context([(b"host", b"h"), (b"x-parent", b"1:2")])
    assert not carries_context([])


def current_span_app(found: list[Any]) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        found.append((trace.get_current_span(), dict(baggage.get_all())))
        await send({"type": "http.response.start", "status": 200, "headers": []})

    return app


@pytest.mark.anyio
async def test_the_callers_trace_continues(
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
) -> None:
    found: list[Any] = []
    headers = [
        (b"traceparent", TRACEPARENT),
        (b"tracestate", b"a=1"),
        (b"tracestate", b"b=2"),
        (b"baggage", b"user=ada"),
    ]
    app = OpenTelemetryMiddleware(current_span_app(found), tracer_provider=provider)
    await call(app, make_scope(headers=headers))
    (span,) = exporter.get_finished_spans()
    assert span.parent is not None
    assert (span.parent.trace_id, span.parent.span_id) == (TRACE_ID, PARENT_ID)
    assert span.parent.is_remote
    assert span.context is not None
    assert span.context.trace_id == TRACE_ID
    assert list(span.context.trace_state.items()) == [("a", "1"), ("b", "2")]
    ((current, baggage_seen),) = found
    assert current.get_span_context() == span.context  # the app runs inside the span
    # Only the span is taken from the headers, as in Starlette: not the baggage.
    assert baggage_seen == {}


@pytest.mark.anyio
async def test_the_first_traceparent_wins(
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Any,
) -> None:
    other = b"00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01"
    headers = [(b"traceparent", TRACEPARENT), (b"traceparent", other)]
    await call(
        OpenTelemetryMiddleware(respond(), tracer_provider=provider), make_scope(headers=headers)
    )
    (span,) = exporter.get_finished_spans()
    assert span.parent is not None
    assert span.parent.trace_id == TRACE_ID


@pytest.mark.anyio
@pytest.mark.parametrize(
    "traceparent", [b"garbage", b"\xff", b"00-" + b"0" * 32 + b"-" + b"1" * 16 + b"-01"]
)
async def test_an_invalid_traceparent_starts_a_new_trace(
    traceparent: bytes,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Any,
) -> None:
    headers = [(b"traceparent", traceparent)]
    await call(
        OpenTelemetryMiddleware(respond(), tracer_provider=provider), make_scope(headers=headers)
    )
    (span,) = exporter.get_finished_spans()
    assert span.parent is None


@pytest.mark.anyio
async def test_an_unsampled_caller_is_not_recorded(
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
) -> None:
    found: list[Any] = []
    headers = [(b"traceparent", TRACEPARENT[:-2] + b"00")]
    app = OpenTelemetryMiddleware(current_span_app(found), tracer_provider=provider)
    exchange = await call(app, make_scope(headers=headers))
    assert exchange.sent[0]["status"] == 200
    assert exporter.get_finished_spans() == ()  # the SDK's default sampler follows the parent
    ((current, _),) = found
    assert not current.is_recording()
    assert current.get_span_context().trace_id == TRACE_ID


@pytest.mark.anyio
async def test_the_global_propagator_is_used(
    x_parent: None,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
    respond: Any,
) -> None:
    headers = [(b"x-parent", b"abc:def"), (b"traceparent", TRACEPARENT)]
    await call(
        OpenTelemetryMiddleware(respond(), tracer_provider=provider), make_scope(headers=headers)
    )
    (span,) = exporter.get_finished_spans()
    assert span.parent is not None
    assert (span.parent.trace_id, span.parent.span_id) == (0xABC, 0xDEF)
