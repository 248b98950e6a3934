"""``OpenTelemetryMiddleware``: one server span per HTTP request, pure ASGI."""

from __future__ import annotations

from collections.abc import Sequence
from re import Pattern
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import (
    NoOpTracer,
    ProxyTracerProvider,
    SpanKind,
    Status,
    StatusCode,
    Tracer,
    TracerProvider,
)

from asgi_core import URL
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_opentelemetry._attributes import (
    ERROR_TYPE,
    HTTP_REQUEST_METHOD,
    HTTP_RESPONSE_STATUS_CODE,
    HTTP_ROUTE,
    http_route,
    request_attributes,
)
from asgi_middleware_opentelemetry._excluded import compile_excluded_urls
from asgi_middleware_opentelemetry._propagation import HEADERS_GETTER, carries_context
from asgi_middleware_opentelemetry._version import __version__

__all__ = ["INSTRUMENTATION_NAME", "OpenTelemetryMiddleware"]

#: The instrumentation scope name of the spans (with the package version as scope version).
INSTRUMENTATION_NAME = "asgi_middleware_opentelemetry"

_ERROR = Status(StatusCode.ERROR)


def _recording(tracer: Tracer) -> Tracer | None:
    """``None`` for a tracer that never records, so requests skip the span machinery."""
    return None if isinstance(tracer, NoOpTracer) else tracer


class OpenTelemetryMiddleware:
    """Create OpenTelemetry server spans for incoming HTTP requests.

    One span of kind ``SERVER`` per ``http`` request, named ``"METHOD /route/{param}"`` from
    the matched route in ``scope["route"]`` (just ``"METHOD"`` when no route matched), with
    the HTTP semantic-convention attributes, the response status code, ``error.type`` and an
    error status for 5xx responses and exceptions (recorded as ``exception`` events). The
    caller's trace continues from its ``traceparent`` header (the global propagator).
    WebSocket and lifespan connections pass through untouched.

    Experimental in Starlette: its telemetry may change in minor releases.

    Args:
        app: The ASGI application to wrap.
        excluded_urls: Regular expressions searched in the full request URL; a match gets
            no span. A comma-separated string or a sequence. By default, exclude no URLs.
        tracer_provider: The tracer provider to use. If omitted, use the global tracer
            provider, looked up per request so one configured later is picked up; while
            none is configured the middleware only hands the caller's trace context on.
        meter_provider: Accepted for compatibility with Starlette's signature; no metrics
            are recorded (Starlette 1.10 records none either).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        excluded_urls: str | Sequence[str | Pattern[str]] | None = (),
        tracer_provider: TracerProvider | None = None,
        meter_provider: Any | None = None,
    ) -> None:
        self.app = app
        self._excluded_urls = compile_excluded_urls(excluded_urls)
        if tracer_provider is not None and not callable(
            getattr(tracer_provider, "get_tracer", None)
        ):
            raise TypeError(
                "tracer_provider must be an OpenTelemetry TracerProvider (for example "
                f"opentelemetry.sdk.trace.TracerProvider()), got {tracer_provider!r}; "
                "leave it out to use the global tracer provider."
            )
        self._tracer_provider = tracer_provider
        self._meter_provider = meter_provider
        # An explicit provider gives its tracer once; the global one is looked up per
        # request (a ProxyTracerProvider stands for the global provider too).
        self._uses_global = True
        self._tracer: Tracer | None = None
        if tracer_provider is not None and not isinstance(tracer_provider, ProxyTracerProvider):
            self._uses_global = False
            self._tracer = _recording(tracer_provider.get_tracer(INSTRUMENTATION_NAME, __version__))
        self._global: tuple[TracerProvider | None, Tracer | None] = (None, None)

    def _global_tracer(self) -> Tracer | None:
        provider = trace.get_tracer_provider()
        cached, tracer = self._global
        if provider is not cached:
            tracer = None
            if not isinstance(provider, ProxyTracerProvider):  # a provider has been set
                tracer = _recording(provider.get_tracer(INSTRUMENTATION_NAME, __version__))
            self._global = (provider, tracer)
        return tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app inside a server span (``http`` scopes only)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracer = self._global_tracer() if self._uses_global else self._tracer
        headers = scope["headers"]
        if tracer is None and not carries_context(headers):
            await self.app(scope, receive, send)  # nothing to record, nothing to hand on
            return
        url = URL(scope=scope)
        if self._excluded_urls:
            text = str(url)
            for pattern in self._excluded_urls:
                if pattern.search(text):
                    await self.app(scope, receive, send)
                    return
        context = propagate.extract(headers, getter=HEADERS_GETTER)
        if tracer is None:
            await self._hand_on(context, scope, receive, send)
        else:
            await self._traced(tracer, url, context, scope, receive, send)

    async def _hand_on(self, context: Context, scope: Scope, receive: Receive, send: Send) -> None:
        """No tracer provider: make the caller's span current, as the API's no-op tracer does.

        Outgoing requests of the app then carry the caller's trace on.
        """
        span = trace.get_current_span(context)
        token = otel_context.attach(trace.set_span_in_context(span))
        try:
            await self.app(scope, receive, send)
        finally:
            otel_context.detach(token)

    async def _traced(
        self,
        tracer: Tracer,
        url: URL,
        context: Context,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        attributes = request_attributes(scope, url)
        method: str = attributes[HTTP_REQUEST_METHOD]
        status_code: int | None = None

        async def send_with_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        with tracer.start_as_current_span(
            method, context=context, kind=SpanKind.SERVER, attributes=attributes
        ) as span:
            error: Exception | None = None
            try:
                await self.app(scope, receive, send_with_status)
            except Exception as exc:  # recorded as an event and status by the span itself
                error = exc
                raise
            finally:
                if status_code is not None:
                    span.set_attribute(HTTP_RESPONSE_STATUS_CODE, status_code)
                if error is not None:
                    span.set_attribute(ERROR_TYPE, type(error).__qualname__)
                elif status_code is not None and status_code >= 500:
                    span.set_attribute(ERROR_TYPE, str(status_code))
                    span.set_status(_ERROR)
                route = http_route(scope)
                if route is not None:
                    span.set_attribute(HTTP_ROUTE, route)
                    span.update_name(f"{method} {route}")
