"""Each middleware package wraps a real FastAPI app and a Django ASGI app and behaves as in ours.

The same checks run against three applications serving the same two routes: our ``App``
(the middleware in ``middleware=[...]``), FastAPI (``add_middleware``) and Django's ASGI
handler (wrapped by hand, as a Django project's ``asgi.py`` does).
"""

from __future__ import annotations

import sys
import types
import zlib
from collections.abc import Callable, Iterator
from typing import Any, Literal

import brotli  # type: ignore[import-untyped,unused-ignore]
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse as FastAPIText
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from asgi_core.types import ASGIApp
from asgi_framework import App
from asgi_framework.middleware import Middleware
from asgi_framework.requests import Request as OurRequest
from asgi_framework.responses import PlainTextResponse
from asgi_framework.routing import Route
from asgi_middleware_base import BaseHTTPMiddleware, RequestResponseEndpoint
from asgi_middleware_bodylimit import RequestBodyLimitMiddleware
from asgi_middleware_compress import CompressMiddleware, GZipMiddleware
from asgi_middleware_cors import CORSMiddleware
from asgi_middleware_httpsredirect import HTTPSRedirectMiddleware
from asgi_middleware_opentelemetry import OpenTelemetryMiddleware
from asgi_middleware_trustedhost import TrustedHostMiddleware
from asgi_testing import TestClient

TEXT = "hello middleware " * 100  # large enough to be compressed
Framework = Literal["ours", "fastapi", "django"]
Wrap = Callable[..., ASGIApp]

# --- the three applications --------------------------------------------------------------


def ours(cls: type, **options: Any) -> ASGIApp:
    async def text(request: OurRequest) -> PlainTextResponse:
        return PlainTextResponse(TEXT)

    async def echo(request: OurRequest) -> PlainTextResponse:
        return PlainTextResponse(f"{len(await request.body())} bytes")

    routes = [Route("/text", text), Route("/echo", echo, methods=["POST"])]
    return App(routes=routes, middleware=[Middleware(cls, **options)])


def fastapi(cls: Any, **options: Any) -> ASGIApp:
    api = FastAPI()

    @api.get("/text", response_class=FastAPIText)
    async def text() -> str:
        return TEXT

    @api.post("/echo", response_class=FastAPIText)
    async def echo(request: Request) -> str:
        return f"{len(await request.body())} bytes"

    api.add_middleware(cls, **options)
    return api


def django_handler() -> ASGIApp:
    """Django's ASGI handler serving this module's URL patterns, whatever ROOT_URLCONF is.

    Django's settings belong to the process, and other tests configure them too: the same
    settings are configured here when nobody has yet, and this handler points each request
    at its own URL patterns (``request.urlconf``), so the tests never depend on each other.
    """
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="test-only-secret-key-of-sufficient-length-1234567890",
            ROOT_URLCONF="interop_django_urls",
            ALLOWED_HOSTS=["testserver"],
            MIDDLEWARE=[],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    from django.core.handlers.asgi import ASGIHandler
    from django.http import HttpRequest, HttpResponse
    from django.urls import path

    if "middleware_interop_urls" not in sys.modules:
        urls = types.ModuleType("middleware_interop_urls")

        def text(request: HttpRequest) -> HttpResponse:
            return HttpResponse(TEXT, content_type="text/plain; charset=utf-8")

        def echo(request: HttpRequest) -> HttpResponse:
            return HttpResponse(f"{len(request.body)} bytes", content_type="text/plain")

        urls.urlpatterns = [path("text", text), path("echo", echo)]  # type: ignore[attr-defined]
        sys.modules["middleware_interop_urls"] = urls

    class Handler(ASGIHandler):  # type: ignore[misc,unused-ignore]
        def create_request(self, scope: Any, body_file: Any) -> Any:
            request, error = super().create_request(scope, body_file)
            if request is not None:
                request.urlconf = "middleware_interop_urls"
            return request, error

    handler: ASGIApp = Handler()
    return handler


def django(cls: type, **options: Any) -> ASGIApp:
    wrapped: ASGIApp = cls(django_handler(), **options)
    return wrapped


WRAPS: dict[Framework, Wrap] = {"ours": ours, "fastapi": fastapi, "django": django}
CASES = [
    pytest.param((framework, backend), id=f"{framework}-{backend}")
    for framework in WRAPS
    # Django's ASGI handler (asgiref) needs asyncio
    for backend in (["asyncio"] if framework == "django" else ["asyncio", "trio"])
]


@pytest.fixture(params=CASES)
def client_for(request: pytest.FixtureRequest) -> Iterator[Callable[..., TestClient]]:
    """``client_for(MiddlewareClass, **options)``: a client of the framework under test."""
    framework, backend = request.param
    clients: list[TestClient] = []

    def make(cls: type, base_url: str = "http://testserver", **options: Any) -> TestClient:
        client = TestClient(WRAPS[framework](cls, **options), base_url=base_url, backend=backend)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# --- the checks --------------------------------------------------------------------------

ORIGIN = "https://app.example.org"


def test_cors(client_for: Callable[..., TestClient]) -> None:
    client = client_for(
        CORSMiddleware,
        allow_origins=[ORIGIN],
        allow_methods=["GET", "POST"],
        allow_headers=["X-Token"],
        expose_headers=["X-Id"],
    )
    preflight = client.options(
        "/text",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-Token",
        },
    )
    assert preflight.status_code == 200
    assert preflight.text == "OK"
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert preflight.headers["access-control-allow-methods"] == "GET, POST"
    assert preflight.headers["access-control-allow-headers"] == (
        "Accept, Accept-Language, Content-Language, Content-Type, X-Token"
    )
    assert preflight.headers["access-control-max-age"] == "600"
    assert preflight.headers["vary"] == (
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
        "Access-Control-Request-Private-Network"
    )

    refused = client.options(
        "/text", headers={"Origin": "https://evil.org", "Access-Control-Request-Method": "PUT"}
    )
    assert refused.status_code == 400
    assert refused.text == "Disallowed CORS origin, method"

    simple = client.get("/text", headers={"Origin": ORIGIN})
    assert simple.text == TEXT
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert simple.headers["access-control-expose-headers"] == "X-Id"
    assert "Origin" in simple.headers["vary"]
    posted = client.post("/echo", content=b"abc", headers={"Origin": ORIGIN})
    assert posted.text == "3 bytes"
    assert posted.headers["access-control-allow-origin"] == ORIGIN

    other = client.get("/text", headers={"Origin": "https://evil.org"})
    assert other.status_code == 200
    assert "access-control-allow-origin" not in other.headers


def test_trusted_host(client_for: Callable[..., TestClient]) -> None:
    client = client_for(TrustedHostMiddleware, allowed_hosts=["testserver", "*.example.org"])
    assert client.get("/text").text == TEXT
    assert client.get("/text", headers={"Host": "TestServer:8000"}).status_code == 200
    for host in ("evil.org", "example.org", "testserver.evil.org", "a b"):
        refused = client.get("/text", headers={"Host": host})
        assert (refused.status_code, refused.text) == (400, "Invalid host header"), host

    www = client_for(TrustedHostMiddleware, allowed_hosts=["www.testserver"])
    redirect = www.get("/text?x=1", follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "http://www.testserver/text?x=1"


def test_https_redirect(client_for: Callable[..., TestClient]) -> None:
    client = client_for(HTTPSRedirectMiddleware)
    redirect = client.post("/echo?x=1", content=b"abc", follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "https://testserver/echo?x=1"
    assert client.get("/text", headers={"Host": "testserver:8080"}, follow_redirects=False).headers[
        "location"
    ] == ("https://testserver:8080/text")
    secure = client_for(HTTPSRedirectMiddleware, base_url="https://testserver")
    assert secure.post("/echo", content=b"abcd").text == "4 bytes"


def test_gzip(client_for: Callable[..., TestClient]) -> None:
    client = client_for(GZipMiddleware, minimum_size=500)
    response = client.get("/text", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert int(response.headers["content-length"]) < len(TEXT)
    assert response.text == TEXT  # decoded by the client
    plain = client.get("/text", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.text == TEXT
    small = client.post("/echo", content=b"x", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    assert small.text == "1 bytes"


def test_compress(client_for: Callable[..., TestClient]) -> None:
    client = client_for(CompressMiddleware, encodings=("br", "gzip"))
    with client.stream("GET", "/text", headers={"Accept-Encoding": "gzip, br"}) as response:
        assert response.headers["content-encoding"] == "br"
        assert brotli.decompress(b"".join(response.iter_raw())).decode() == TEXT
    with client.stream("GET", "/text", headers={"Accept-Encoding": "br;q=0.5, gzip"}) as response:
        assert response.headers["content-encoding"] == "gzip"
        body = zlib.decompress(b"".join(response.iter_raw()), 31)
        assert body.decode() == TEXT


def test_opentelemetry(client_for: Callable[..., TestClient]) -> None:
    provider = TracerProvider()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    client = client_for(OpenTelemetryMiddleware, tracer_provider=provider)
    assert client.get("/text?q=1").text == TEXT
    assert client.post("/echo", content=b"ab").text == "2 bytes"
    provider.shutdown()
    get, post = exporter.get_finished_spans()
    assert get.kind is trace.SpanKind.SERVER
    assert get.name in {"GET /text", "GET"}  # Django sets no scope["route"]
    assert get.attributes is not None
    assert post.attributes is not None
    assert get.attributes["http.request.method"] == "GET"
    assert get.attributes["url.path"] == "/text"
    assert get.attributes["url.query"] == "q=1"
    assert get.attributes["http.response.status_code"] == 200
    assert post.attributes["http.request.method"] == "POST"
    assert post.attributes["http.response.status_code"] == 200


async def dispatch(request: OurRequest, call_next: RequestResponseEndpoint) -> Any:
    if request.headers.get("x-block"):
        return PlainTextResponse("blocked", status_code=403)
    body = await request.body()  # read here, and still there for the application
    response = await call_next(request)
    response.headers["x-dispatch"] = f"{response.status_code} {len(body)}"
    return response


def test_base_http_middleware(client_for: Callable[..., TestClient]) -> None:
    client = client_for(BaseHTTPMiddleware, dispatch=dispatch)
    response = client.get("/text")
    assert response.text == TEXT
    assert response.headers["x-dispatch"] == "200 0"
    posted = client.post("/echo", content=b"abcdef")
    assert posted.text == "6 bytes"
    assert posted.headers["x-dispatch"] == "200 6"
    blocked = client.get("/text", headers={"X-Block": "1"})
    assert (blocked.status_code, blocked.text) == (403, "blocked")
    assert client.get("/missing").headers["x-dispatch"] == "404 0"


# Django's ASGI handler spools the body to a temporary file and does not close it when
# receive() raises (here: the 413), so the file is closed by the garbage collector.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <function SpooledTemporaryFile.__del__"
    ":pytest.PytestUnraisableExceptionWarning"
)
def test_body_limit(client_for: Callable[..., TestClient]) -> None:
    client = client_for(RequestBodyLimitMiddleware, max_body_size=5)
    assert client.post("/echo", content=b"x" * 5).text == "5 bytes"
    declared = client.post("/echo", content=b"x" * 6)
    assert (declared.status_code, declared.text) == (413, "Content Too Large")
    streamed = client.post("/echo", content=iter([b"xxx", b"xxx"]))  # no Content-Length
    assert (streamed.status_code, streamed.text) == (413, "Content Too Large")
    invalid = client.post("/echo", content=b"x", headers={"Content-Length": "-1"})
    assert invalid.status_code == 400
    assert client.get("/text").text == TEXT
