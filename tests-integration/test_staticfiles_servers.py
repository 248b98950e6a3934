"""asgi-staticfiles behind real servers (uvicorn on asyncio, hypercorn on trio) and httpx.

Real TCP: a 1 MiB file, ranges, 304s, precompressed copies, HTML mode and bad paths sent
byte for byte (httpx would normalise them); then mounted inside a FastAPI application and
dispatched to beside Django's ASGI handler.
"""

from __future__ import annotations

import gzip
import os
import socket
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_staticfiles import StaticFiles

DATA = os.urandom(1024 * 1024)
SECRET = b"never served"
JS = b"console.log('precompressed');" * 50
Serve = Callable[[ASGIApp], Any]


@pytest.fixture
def public(tmp_path: Path) -> Path:
    root = tmp_path / "public"
    (root / "docs").mkdir(parents=True)
    (root / "big.bin").write_bytes(DATA)
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "404.html").write_text("<h1>lost</h1>")
    (root / "docs" / "index.html").write_text("<h1>docs</h1>")
    (root / "app.js").write_bytes(JS)
    (root / "app.js.gz").write_bytes(gzip.compress(JS))
    (root / "app.js.br").write_bytes(b"pretend brotli")
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (root / "outside").symlink_to(tmp_path / "secret.txt")
    return root


def with_lifespan(app: ASGIApp) -> ASGIApp:
    """StaticFiles is mounted in applications, which answer the lifespan; so is it here."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return wrapped


def raw_get(base: str, target: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    """Send ``GET target`` exactly as written, and return the status and the raw answer."""
    parts = urlsplit(base)
    with socket.create_connection((str(parts.hostname), int(str(parts.port))), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    return int(answer.split(b" ", 2)[1]), answer


def test_files_ranges_and_304(serve: Serve, public: Path) -> None:
    app = with_lifespan(StaticFiles(directory=public))
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.get("/big.bin")
        assert response.status_code == 200
        assert response.content == DATA
        assert response.headers["content-length"] == str(len(DATA))
        assert response.headers["content-type"] == "application/octet-stream"
        etag, modified = response.headers["etag"], response.headers["last-modified"]

        response = client.get("/big.bin", headers={"range": "bytes=1000-1999"})
        assert response.status_code == 206
        assert response.content == DATA[1000:2000]
        assert response.headers["content-range"] == f"bytes 1000-1999/{len(DATA)}"
        response = client.get("/big.bin", headers={"range": "bytes=0-9,-10"})
        assert response.status_code == 206
        assert response.headers["content-type"].startswith("multipart/byteranges")
        assert DATA[:10] in response.content
        assert DATA[-10:] in response.content
        response = client.get("/big.bin", headers={"range": f"bytes={len(DATA)}-"})
        assert response.status_code == 416

        response = client.get("/big.bin", headers={"if-none-match": etag})
        assert (response.status_code, response.content) == (304, b"")
        assert response.headers["etag"] == etag
        response = client.get("/big.bin", headers={"if-modified-since": modified})
        assert response.status_code == 304
        response = client.head("/big.bin")
        assert (response.status_code, response.content) == (200, b"")
        response = client.post("/big.bin")
        assert (response.status_code, response.headers["allow"]) == (405, "GET, HEAD")


def test_precompressed(serve: Serve, public: Path) -> None:
    app = with_lifespan(StaticFiles(directory=public, precompressed=True))
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.get("/app.js", headers={"accept-encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.content == JS  # decoded by httpx
        gzip_tag = response.headers["etag"]
        headers = {"accept-encoding": "gzip", "if-none-match": gzip_tag}
        assert client.get("/app.js", headers=headers).status_code == 304
        with client.stream("GET", "/app.js", headers={"accept-encoding": "br, gzip"}) as stream:
            assert stream.headers["content-encoding"] == "br"
            assert b"".join(stream.iter_raw()) == b"pretend brotli"
        headers = {"accept-encoding": "gzip", "range": "bytes=0-1"}
        with client.stream("GET", "/app.js", headers=headers) as stream:
            assert stream.status_code == 206
            assert b"".join(stream.iter_raw()) == b"\x1f\x8b"  # the gzip magic bytes
        response = client.get("/app.js", headers={"accept-encoding": "identity"})
        assert ("content-encoding" not in response.headers, response.content) == (True, JS)


def test_html_mode(serve: Serve, public: Path) -> None:
    app = with_lifespan(StaticFiles(directory=public, html=True))
    with serve(app) as base, httpx.Client(base_url=base) as client:
        assert client.get("/").text == "<h1>home</h1>"
        response = client.get("/docs?x=1")
        assert response.status_code == 307
        assert response.headers["location"] == f"{base}/docs/?x=1"
        assert client.get("/docs", follow_redirects=True).text == "<h1>docs</h1>"
        response = client.get("/missing")
        assert (response.status_code, response.text) == (404, "<h1>lost</h1>")


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/docs/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/outside",
        "/big.bin%00",
        "/" + "x" * 1000,
    ],
)
def test_bad_paths_over_tcp(serve: Serve, public: Path, target: str) -> None:
    app = with_lifespan(StaticFiles(directory=public))
    with serve(app) as base:
        status, answer = raw_get(base, target)
    assert status in (400, 404)  # 400: the server refused the request line itself
    assert SECRET not in answer


# --- inside FastAPI, beside Django -------------------------------------------------------


def test_mounted_in_fastapi(serve: Serve, public: Path) -> None:
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    api = FastAPI()

    @api.get("/api/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    @api.exception_handler(StarletteHTTPException)
    async def custom_errors(request: Any, exc: StarletteHTTPException) -> PlainTextResponse:
        return PlainTextResponse(f"custom {exc.status_code}", status_code=exc.status_code)

    api.mount("/static", StaticFiles(directory=public, html=True), name="static")
    with serve(api) as base, httpx.Client(base_url=base) as client:
        assert client.get("/api/hello").json() == {"hello": "world"}
        assert client.get("/static/big.bin").content == DATA
        assert client.get("/static/docs").headers["location"] == f"{base}/static/docs/"
        assert client.get("/static/docs/").text == "<h1>docs</h1>"
        assert client.get("/static/missing").text == "<h1>lost</h1>"  # html mode
        response = client.post("/static/big.bin")
        assert (response.status_code, response.text) == (405, "custom 405")
    api = FastAPI()
    api.mount("/static", StaticFiles(directory=public), name="static")
    with serve(api) as base, httpx.Client(base_url=base) as client:
        response = client.get("/static/missing.css")
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
        assert api.url_path_for("static", path="/app.js") == "/static/app.js"


def django_handler() -> ASGIApp:
    """Django's ASGI handler with a view at /hello, whoever configured the settings first."""
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

    if "staticfiles_django_urls" not in sys.modules:
        urls = types.ModuleType("staticfiles_django_urls")

        def hello(request: HttpRequest) -> HttpResponse:
            return HttpResponse("hello from django", content_type="text/plain")

        urls.urlpatterns = [path("hello", hello)]  # type: ignore[attr-defined]
        sys.modules["staticfiles_django_urls"] = urls

    class Handler(ASGIHandler):  # type: ignore[misc,unused-ignore]
        def create_request(self, scope: Any, body_file: Any) -> Any:
            request, error = super().create_request(scope, body_file)
            if request is not None:
                request.urlconf = "staticfiles_django_urls"
            return request, error

    handler: ASGIApp = Handler()
    return handler


def test_beside_django(public: Path, serve_uvicorn: Callable[[ASGIApp], Any]) -> None:
    # uvicorn only: Django's ASGI handler runs on asyncio (hypercorn's trio worker fails it)
    django_app = django_handler()
    static = StaticFiles(directory=public, precompressed=["gzip"])

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/static/"):
            await static({**scope, "root_path": "/static"}, receive, send)
        elif scope["type"] == "lifespan":
            await with_lifespan(static)(scope, receive, send)
        else:
            await django_app(scope, receive, send)

    headers = {"host": "testserver"}  # the host Django's settings allow
    with (
        serve_uvicorn(application) as base,
        httpx.Client(base_url=base, headers=headers) as client,
    ):
        assert client.get("/hello").text == "hello from django"
        assert client.get("/static/big.bin").content == DATA
        response = client.get("/static/app.js", headers={"accept-encoding": "gzip"})
        assert (response.headers["content-encoding"], response.content) == ("gzip", JS)
        response = client.get("/static/missing.css")
        assert (response.status_code, response.text) == (404, "Not Found")
        assert client.get("/missing").status_code == 404  # Django's own 404
