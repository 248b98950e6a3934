"""``excluded_urls``: parsing at configuration time, matching against the full URL."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_opentelemetry import OpenTelemetryMiddleware
from asgi_middleware_opentelemetry._excluded import compile_excluded_urls

Call = Callable[..., Awaitable[Any]]
MakeScope = Callable[..., Scope]

TRACEPARENT = b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.mark.parametrize(
    ("value", "patterns"),
    [
        ((), []),
        (None, []),
        ("", []),
        ("health", ["health"]),
        ("health,metrics", ["health", "metrics"]),
        (" health , metrics ", ["health", "metrics"]),
        # Starlette's rules: every entry is a pattern, even an empty one (it matches all)
        ("health,", ["health", ""]),
        ("   ", [""]),
        # a sequence is used as given: no splitting at commas, no stripping
        ([" x", "a{1,2}"], [" x", "a{1,2}"]),
        (("a,b",), ["a,b"]),
        ({"k": 1}, ["k"]),
        ((p for p in ["gen"]), ["gen"]),
    ],
)
def test_parsing(value: Any, patterns: list[str]) -> None:
    assert [p.pattern for p in compile_excluded_urls(value)] == patterns


def test_compiled_patterns_are_kept() -> None:
    pattern = re.compile("HEALTH", re.IGNORECASE)
    assert compile_excluded_urls([pattern, "x"])[0] is pattern


@pytest.mark.parametrize("value", [5, 1.5, b"health", bytearray(b"x"), re.compile("x"), object()])
def test_not_a_string_or_sequence(value: Any) -> None:
    with pytest.raises(TypeError) as info:
        compile_excluded_urls(value)
    message = str(info.value)
    assert message.startswith("excluded_urls must be a comma-separated string or a sequence")
    assert repr(value) in message


@pytest.mark.parametrize("entry", [b"health", 1, None, re.compile(b"x")])
def test_entries_must_be_text_patterns(entry: Any) -> None:
    with pytest.raises(TypeError, match="every entry must be a regular expression as str") as info:
        compile_excluded_urls(["ok", entry])
    assert repr(entry) in str(info.value)


async def never(scope: Scope, receive: Receive, send: Send) -> None:
    raise NotImplementedError  # pragma: no cover - configuration tests make no requests


def test_invalid_regular_expression() -> None:
    with pytest.raises(re.error) as info:
        OpenTelemetryMiddleware(never, excluded_urls="ok,(unclosed")
    assert str(info.value).startswith(
        "excluded_urls: '(unclosed' is not a valid regular expression (missing ), "
        "unterminated subpattern); escape special characters with re.escape()"
    )
    assert info.value.pattern == "(unclosed"
    assert isinstance(info.value.__cause__, re.error)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("excluded_urls", "changes", "excluded"),
    [
        ("items", {}, True),
        ("ITEMS", {}, False),  # case-sensitive
        ("^/items", {}, False),  # searched in the full URL, not the path
        (r"^http://example\.com:8080/items/5\?a=1&b=2$", {}, True),
        ("a=1", {}, True),
        ("health, items", {}, True),
        (["zz", "yy"], {}, False),
        ("", {}, False),
        (",", {}, True),
        ("^https://", {"scheme": "https"}, True),
        ("//127.0.0.1:8000/", {"headers": []}, True),  # no Host header: the server address
        ("//127.0.0.1:8000/", {"headers": [(b"host", b"a b")]}, True),  # invalid Host
        ("a b", {"path": "/a b"}, True),  # the decoded path
        ("/api/items", {"root_path": "/api", "path": "/api/items/5"}, True),
    ],
)
async def test_matching(
    excluded_urls: Any,
    changes: dict[str, Any],
    excluded: bool,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    call: Call,
    make_scope: MakeScope,
) -> None:
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.extend([send, trace.get_current_span()])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    scope = make_scope(**changes)
    scope["headers"] = [*scope["headers"], (b"traceparent", TRACEPARENT)]
    middleware = OpenTelemetryMiddleware(app, excluded_urls=excluded_urls, tracer_provider=provider)
    exchange = await call(middleware, scope)
    assert len(exchange.sent) == 2
    if excluded:
        assert exporter.get_finished_spans() == ()
        assert seen[0] is exchange.send  # not wrapped
        assert seen[1] is trace.INVALID_SPAN  # not even the caller's context
    else:
        assert len(exporter.get_finished_spans()) == 1


@pytest.mark.anyio
async def test_excluded_without_a_tracer_provider(
    no_global_provider: None, call: Call, make_scope: MakeScope
) -> None:
    current: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        current.append(trace.get_current_span())

    scope = make_scope(headers=[(b"host", b"h"), (b"traceparent", TRACEPARENT)])
    await call(OpenTelemetryMiddleware(app, excluded_urls=["//h/"]), scope)
    await call(OpenTelemetryMiddleware(app, excluded_urls=["//other/"]), scope)
    excluded, kept = current
    assert excluded is trace.INVALID_SPAN
    assert kept.get_span_context().trace_id == 0x0AF7651916CD43DD8448EB211C80319C
