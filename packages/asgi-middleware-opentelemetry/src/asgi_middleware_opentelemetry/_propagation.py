"""Reading the caller's trace context from the ASGI request headers.

The global propagator (``opentelemetry.propagate``, W3C ``traceparent``/``tracestate`` and
``baggage`` unless ``OTEL_PROPAGATORS`` says otherwise) reads the raw ``scope["headers"]``
through :data:`HEADERS_GETTER`, without building a headers object first. Repeated headers
are all returned, in order, so several ``tracestate`` lines combine as W3C Trace Context
requires.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry import propagate
from opentelemetry.propagators.textmap import Getter, TextMapPropagator

__all__ = ["HEADERS_GETTER", "carries_context"]

RawHeaders = Iterable[tuple[bytes, bytes]]


class _HeadersGetter(Getter[RawHeaders]):
    """A ``Getter`` over ASGI raw headers: lower-case byte names, latin-1 values."""

    def get(self, carrier: RawHeaders, key: str) -> list[str] | None:
        try:
            name = key.lower().encode("latin-1")
        except UnicodeEncodeError:
            return None  # not a possible header name
        values = [value.decode("latin-1") for field, value in carrier if field == name]
        return values or None

    def keys(self, carrier: RawHeaders) -> list[str]:
        return [field.decode("latin-1") for field, _ in carrier]


HEADERS_GETTER = _HeadersGetter()

# (propagator, the header names it reads as bytes); recomputed when the global one changes
_fields: tuple[TextMapPropagator | None, frozenset[bytes]] = (None, frozenset())


def carries_context(headers: RawHeaders) -> bool:
    """Whether the request has a header the global propagator reads (``traceparent``...)."""
    global _fields  # noqa: PLW0603 - a one-entry cache of the global propagator's fields
    propagator = propagate.get_global_textmap()
    if _fields[0] is not propagator:
        names = frozenset(name.lower().encode("latin-1", "ignore") for name in propagator.fields)
        _fields = (propagator, names)
    names = _fields[1]
    for field, _ in headers:  # noqa: SIM110 - per request: a loop is cheaper than any(genexpr)
        if field in names:
            return True
    return False
