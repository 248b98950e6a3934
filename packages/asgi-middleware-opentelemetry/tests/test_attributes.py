"""Request attributes: what each part of the scope becomes, and bad input never fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from asgi_core import URL
from asgi_core.types import Receive, Scope, Send
from asgi_middleware_opentelemetry import OpenTelemetryMiddleware
from asgi_middleware_opentelemetry._attributes import http_route, request_attributes

MakeScope = Callable[..., Scope]


def attributes(scope: Scope) -> dict[str, Any]:
    return request_attributes(scope, URL(scope=scope))


def where(make_scope: MakeScope, **changes: Any) -> dict[str, Any]:
    """The server/client/url attributes of a request with ``changes``."""
    found = attributes(make_scope(**changes))
    return {k: v for k, v in found.items() if k.split(".")[0] in ("server", "url", "client")}


def test_minimal_scope() -> None:
    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    assert attributes(scope) == {
        "http.request.method": "GET",
        "url.path": "/",
        "url.scheme": "http",
    }


@pytest.mark.parametrize(
    ("host", "server", "expected"),
    [
        # a valid Host header names the server; without a port, the socket's port is used
        (b"example.com:8080", ("127.0.0.1", 8000), ("example.com", 8080)),
        (b"example.com", ("127.0.0.1", 8000), ("example.com", 8000)),
        (b"EXAMPLE.com:80", ("127.0.0.1", 8000), ("example.com", 80)),
        (b"[::1]:9000", ("127.0.0.1", 8000), ("::1", 9000)),
        (b"[::1]", ("127.0.0.1", 8000), ("::1", 8000)),
        (b"[v1.x]:443", ("127.0.0.1", 8000), ("v1.x", 443)),
        (b"h:0080", ("127.0.0.1", 8000), ("h", 80)),
        (b"h:65535", ("127.0.0.1", 8000), ("h", 65535)),
        (b"my_host", ("127.0.0.1", 8000), ("my_host", 8000)),
        (b"example.com", None, ("example.com", None)),
        # an invalid Host header is ignored: the server address is used instead
        (b"h:abc", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"h:65536", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"h:", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"user@h:8", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"a b", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"[::1", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"[zz]:1", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"::1", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"\xe9", ("127.0.0.1", 8000), ("127.0.0.1", 8000)),
        (b"", ("s", 81), ("s", 81)),
        (None, ("s", 81), ("s", 81)),
        (None, ("::1", 8000), ("::1", 8000)),
        # a Unix socket: the server has no port (Starlette fails here without a Host header)
        (None, ("/tmp/app.sock", None), ("/tmp/app.sock", None)),
        (b"h", ("/tmp/app.sock", None), ("h", None)),
        (None, None, (None, None)),
    ],
)
def test_server(
    host: bytes | None,
    server: tuple[str, int | None] | None,
    expected: tuple[str | None, int | None],
    make_scope: MakeScope,
) -> None:
    headers = [] if host is None else [(b"host", host)]
    found = attributes(make_scope(headers=headers, server=server))
    assert (found.get("server.address"), found.get("server.port")) == expected
    if expected[1] is not None:  # the order of the attributes
        names = list(found)
        assert names.index("server.port") == names.index("server.address") + 1


def test_https_scope_keeps_the_server_port(make_scope: MakeScope) -> None:
    found = where(make_scope, scheme="https", headers=[(b"host", b"example.com")])
    assert found["url.scheme"] == "https"
    assert found["server.port"] == 8000  # Starlette's choice: the socket's port, not 443


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (b"a=1&b=2", "a=1&b=2"),
        (b"", None),
        ("é=1".encode(), "é=1"),
        (b"a=%20", "a=%20"),
        # not UTF-8: kept percent-encoded instead of failing the request (Starlette fails)
        (b"a=\xff", "a=%FF"),
    ],
)
def test_query(query: bytes, expected: str | None, make_scope: MakeScope) -> None:
    assert where(make_scope, query_string=query).get("url.query") == expected


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"path": "/a b/é"}, "/a b/é"),  # the decoded path, as the scope has it
        ({"root_path": "/api", "path": "/api/items/5"}, "/api/items/5"),
        ({"path": "/x?y#z"}, "/x?y#z"),
    ],
)
def test_path(changes: dict[str, Any], path: str, make_scope: MakeScope) -> None:
    assert where(make_scope, **changes)["url.path"] == path


def test_scheme_is_the_scopes(make_scope: MakeScope) -> None:
    assert where(make_scope, scheme="HTTPS")["url.scheme"] == "HTTPS"


@pytest.mark.parametrize(
    ("client", "expected"),
    [(("10.0.0.1", 5555), "10.0.0.1"), (["c", 1], "c"), (("c", None), "c"), (None, None)],
)
def test_client(client: Any, expected: str | None, make_scope: MakeScope) -> None:
    assert where(make_scope, client=client).get("client.address") == expected


@pytest.mark.parametrize(("version", "expected"), [("1.1", "1.1"), ("2", "2"), ("1.0", "1.0")])
def test_protocol_version(version: str, expected: str, make_scope: MakeScope) -> None:
    assert attributes(make_scope(http_version=version))["network.protocol.version"] == expected


def test_no_protocol_version(make_scope: MakeScope) -> None:
    scope = make_scope()
    del scope["http_version"]
    assert "network.protocol.version" not in attributes(scope)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([(b"user-agent", b"curl/8.0")], "curl/8.0"),
        ([(b"user-agent", b"a"), (b"user-agent", b"b")], "a"),
        ([(b"user-agent", b"\xff\xfe")], "\xff\xfe"),  # latin-1, as header values are
        ([(b"user-agent", "é".encode())], "Ã©"),
        ([(b"user-agent", b"")], ""),
        ([], None),
    ],
)
def test_user_agent(
    headers: list[tuple[bytes, bytes]], expected: str | None, make_scope: MakeScope
) -> None:
    assert attributes(make_scope(headers=headers)).get("user_agent.original") == expected


def test_order_of_all_attributes(make_scope: MakeScope) -> None:
    assert list(attributes(make_scope(method="get"))) == [
        "http.request.method",
        "url.path",
        "url.scheme",
        "http.request.method_original",
        "url.query",
        "server.address",
        "server.port",
        "network.protocol.version",
        "client.address",
        "user_agent.original",
    ]


class Route:
    def __init__(self, path_format: str) -> None:
        self.path_format = path_format


class Mount(Route):
    routes = ()


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({}, None),
        ({"route": None}, None),
        ({"route": Route("/a/{x}")}, "/a/{x}"),
        ({"route": Route("/a/{x}"), "root_path": "/p"}, "/p/a/{x}"),
        ({"route": Route("/a/{x}"), "root_path": None}, "/a/{x}"),
        ({"route": Mount("/m")}, "/"),
        ({"route": Mount("/m/{x}"), "root_path": "/m/1"}, "/m/1"),  # root_path holds values
        ({"route": Route(None)}, None),  # type: ignore[arg-type]
        ({"route": object()}, None),
    ],
)
def test_http_route(scope: Scope, expected: str | None) -> None:
    assert http_route(scope) == expected


HEADER_BYTES = st.binary(max_size=40)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    host=HEADER_BYTES,
    user_agent=HEADER_BYTES,
    query=HEADER_BYTES,
    traceparent=HEADER_BYTES,
    method=st.text(max_size=10),
    path=st.text(max_size=20),
    backend=st.sampled_from(["asyncio", "trio"]),
)
def test_client_input_never_fails_the_request(
    host: bytes,
    user_agent: bytes,
    query: bytes,
    traceparent: bytes,
    method: str,
    path: str,
    backend: str,
    make_scope: MakeScope,
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    headers = [
        (b"host", host),
        (b"user-agent", user_agent),
        (b"traceparent", traceparent),
        (b"tracestate", traceparent),
        (b"baggage", traceparent),
    ]
    scope = make_scope(method=method, path=path, query_string=query, headers=headers)
    sent: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        raise NotImplementedError  # pragma: no cover - the app does not read the body

    middleware = OpenTelemetryMiddleware(app, tracer_provider=provider)
    anyio.run(middleware, scope, receive, send, backend=backend)
    assert sent == [{"type": "http.response.start", "status": 204, "headers": []}]
    (span,) = exporter.get_finished_spans()
    assert span.attributes is not None
    assert span.attributes["http.response.status_code"] == 204
