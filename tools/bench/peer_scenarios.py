"""Issue 16: the whole application against its peers, scenario by scenario.

Variants: ``ours`` (an ``asgi_framework.App``), ``raw`` (a hand-written ASGI app, the
floor), ``starlette`` (1.10.0), ``fastapi``, ``litestar`` and ``blacksheep``, each an
application written as that framework's documentation shows, run through its lifespan
start-up first (BlackSheep and Litestar need it). A framework without a way to implement a
scenario is left out of it.
"""

from __future__ import annotations

from typing import Any

import peer_common as c
import peers_blacksheep
import peers_litestar
import peers_ours
import peers_raw
import peers_starlette
from scenarios import COMMON_HEADERS, Scenario

from asgi_core.types import ASGIApp

#: the variants, in table order
VARIANTS: dict[str, dict[str, ASGIApp]] = {
    "ours": peers_ours.APPS,
    "raw": peers_raw.APPS,
    "starlette": peers_starlette.STARLETTE_APPS,
    "fastapi": peers_starlette.FASTAPI_APPS,
    "litestar": peers_litestar.APPS,
    "blacksheep": peers_blacksheep.APPS,
}


def _scenario(
    name: str,
    description: str,
    path: str = "/",
    *,
    method: str = "GET",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
    **kwargs: Any,
) -> Scenario:
    return Scenario(
        name,
        description,
        method,
        path,
        b"",
        [*COMMON_HEADERS, *(headers or [])],
        body,
        {variant: apps[name] for variant, apps in VARIANTS.items() if name in apps},
        suite="peers",
        lifespan=True,
        **kwargs,
    )


def peer_scenarios() -> dict[str, Scenario]:
    scenarios = [
        _scenario("plaintext", "GET / answering 'Hello, world!' as text/plain"),
        _scenario("json", "GET / answering a small JSON document", normalise=c.canonical_json),
        _scenario(
            "route-params",
            "100 routes /r{i}/users/{user:int}/items/{item}; the last one, both parameters used",
            c.ROUTE_PATH,
        ),
        _scenario(
            "not-found",
            "the same 100 routes; a path none matches (each framework's own 404 body)",
            c.NOT_FOUND_PATH,
            status=404,
            normalise=c.status_only,
        ),
        _scenario(
            "cors-gzip-stack",
            "CORS + GZip middleware around the plain-text route; an allowed Origin",
            headers=[(b"origin", c.ORIGIN.encode())],
        ),
        _scenario(
            "base-http-middleware",
            "a pass-through BaseHTTPMiddleware (each framework's own middleware) + plain text",
        ),
        _scenario(
            "session",
            "signed cookie session: read the count, write count + 1 (Set-Cookie)",
            session_cookie=c.SESSION_COOKIE,
        ),
        _scenario(
            "form-post",
            "POST a ten-field urlencoded form; parse it",
            method="POST",
            headers=[(b"content-type", b"application/x-www-form-urlencoded")],
            body=c.FORM_BODY.encode(),
            normalise=c.sorted_fields,
        ),
        _scenario(
            "upload-1mb",
            "POST a 1 MB multipart upload (a field and a file) in 64 KiB chunks; read it",
            method="POST",
            headers=[(b"content-type", c.UPLOAD_CONTENT_TYPE.encode())],
            body=c.UPLOAD_BODY,
            chunk_size=65536,
            calls=40,
        ),
        _scenario("download-1mb", "GET a 1 MB file (FileResponse or equivalent)", calls=60),
        _scenario(
            "static-file-1mb",
            "GET a 1 MB file from a static-files mount",
            c.STATIC_PATH,
            calls=60,
        ),
        _scenario(
            "websocket-echo",
            "a WebSocket session echoing 1,000 text messages",
            kind="websocket",
            status=101,
            calls=10,
            e2e=False,
        ),
        _scenario(
            "sse-1000",
            "an event stream of 1,000 events (the framework's streaming response)",
            normalise=c.sse_normalise,
            calls=40,
        ),
        _scenario("template", "a Jinja2 page: a loop of 20 escaped items, a filter, a cycle"),
    ]
    return {scenario.name: scenario for scenario in scenarios}
