"""Benchmark scenarios: one request shape, and the same app written three ways.

Each scenario has an app built on this project's packages (``ours``), the same app on
Starlette (``starlette``), and a hand-written ASGI app that does the same work with the
standard library only (``raw``, the floor). All three return the same response bytes, which
the drivers check before timing anything. Later issues add scenarios here.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import anyio
from starlette.requests import Request as StarletteRequest
from starlette.responses import FileResponse as StarletteFileResponse
from starlette.responses import JSONResponse as StarletteJSONResponse
from starlette.responses import PlainTextResponse as StarlettePlainTextResponse
from starlette.routing import Route as StarletteRoute
from starlette.routing import Router as StarletteRouter

from asgi_core import Request
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_responses import FileResponse, JSONResponse, PlainTextResponse
from asgi_routing import Route, Router


@dataclass
class Scenario:
    """A request to send and the three apps that answer it."""

    name: str
    description: str
    method: str
    path: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes
    apps: dict[str, ASGIApp] = field(default_factory=dict)
    #: a fixed number of calls per timed batch (for slow requests such as big files)
    calls: int | None = None
    #: also report the peak memory (tracemalloc) of one call
    measure_memory: bool = False
    #: include in the end-to-end run
    e2e: bool = True
    #: the status every variant answers with
    status: int = 200
    #: applied to the body before variants are compared (e.g. gunzip: gzip headers hold a time)
    normalise: Callable[[bytes], bytes] | None = None
    #: "classic" (ours, Starlette, raw) or "peers" (issue 16: every framework, whole apps)
    suite: str = "classic"
    #: run each variant's lifespan start-up before timing it (frameworks that need it)
    lifespan: bool = False
    #: "http", or "websocket" (connect, WS_MESSAGES sent and echoed back, disconnect)
    kind: str = "http"
    #: deliver the request body in chunks of this size, as a server does
    chunk_size: int | None = None
    #: a session cookie: each variant is called once without it, and the cookie it sets is
    #: sent with every timed request (``variant_headers``)
    session_cookie: str | None = None
    #: extra request headers per variant (filled in by ``prepare``)
    variant_headers: dict[str, list[tuple[bytes, bytes]]] = field(default_factory=dict)

    def headers_for(self, variant: str) -> list[tuple[bytes, bytes]]:
        extra = self.variant_headers.get(variant, [])
        replaced = {key for key, _ in extra}
        return [*((k, v) for k, v in self.headers if k not in replaced), *extra]


COMMON_HEADERS = [
    (b"host", b"bench.local"),
    (b"user-agent", b"bench/1.0"),
    (b"accept", b"application/json"),
    (b"accept-encoding", b"gzip, br"),
    (b"accept-language", b"en-GB,en;q=0.9"),
    (b"cookie", b"session=abc123; theme=dark; tracking=xyz"),
    (b"x-request-id", b"5d0f2c4e"),
    (b"connection", b"keep-alive"),
]


async def respond(
    send: Send, body: bytes, content_type: bytes = b"text/plain; charset=utf-8"
) -> None:
    """Plain ASGI response messages, shared by all three variants so only parsing differs."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _lifespan_aware(app: Callable[[Scope, Receive, Send], Any]) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return wrapped


# --- request-parse: URL, query parameters, headers and cookies --------------------------


def _parse_result(path: str, limit: str, agent: str, session: str) -> bytes:
    return f"{path} {limit} {agent} {session}".encode()


async def parse_ours(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    body = _parse_result(
        request.url.path,
        request.query_params["limit"],
        request.headers["user-agent"],
        request.cookies["session"],
    )
    await respond(send, body)


async def parse_starlette(scope: Scope, receive: Receive, send: Send) -> None:
    request = StarletteRequest(scope, receive)
    body = _parse_result(
        request.url.path,
        request.query_params["limit"],
        request.headers["user-agent"],
        request.cookies["session"],
    )
    await respond(send, body)


async def parse_raw(scope: Scope, receive: Receive, send: Send) -> None:
    query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
    agent = session = ""
    for key, value in scope["headers"]:
        if key == b"user-agent":
            agent = value.decode("latin-1")
        elif key == b"cookie":
            for chunk in value.decode("latin-1").split(";"):
                name, _, cookie = chunk.strip().partition("=")
                if name == "session":
                    session = cookie
    await respond(send, _parse_result(scope["path"], query["limit"], agent, session))


# --- json-body: read and decode a JSON body -------------------------------------------

JSON_BODY = json.dumps(
    {"user": {"id": 42, "name": "Ada", "roles": ["admin", "dev"]}, "items": list(range(50))}
).encode()


def _json_result(data: Any) -> bytes:
    return str(len(data["items"]) + data["user"]["id"]).encode()


async def json_ours(scope: Scope, receive: Receive, send: Send) -> None:
    await respond(send, _json_result(await Request(scope, receive).json()))


async def json_starlette(scope: Scope, receive: Receive, send: Send) -> None:
    await respond(send, _json_result(await StarletteRequest(scope, receive).json()))


async def json_raw(scope: Scope, receive: Receive, send: Send) -> None:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    await respond(send, _json_result(json.loads(b"".join(chunks))))


# --- form-urlencoded: parse a ten-field form -------------------------------------------

FORM_BODY = "&".join(f"field{i}=value+{i}%21" for i in range(10)).encode()


def _form_result(items: list[tuple[str, Any]]) -> bytes:
    return ",".join(f"{k}={v}" for k, v in items).encode()


async def form_ours(scope: Scope, receive: Receive, send: Send) -> None:
    form = await Request(scope, receive).form()
    await respond(send, _form_result(form.multi_items()))


async def form_starlette(scope: Scope, receive: Receive, send: Send) -> None:
    form = await StarletteRequest(scope, receive).form()
    await respond(send, _form_result(form.multi_items()))


async def form_raw(scope: Scope, receive: Receive, send: Send) -> None:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    items = parse_qsl(b"".join(chunks).decode("latin-1"), keep_blank_values=True)
    await respond(send, _form_result(items))


# --- plaintext-response / json-response: build and send a small response ---------------

TEXT = "Hello, world!"
JSON_DATA = {"message": "Hello, world!", "id": 42, "tags": ["a", "b"], "ok": True}
TEXT_HEADERS = [(b"content-length", b"13"), (b"content-type", b"text/plain; charset=utf-8")]


async def text_ours(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse(TEXT)(scope, receive, send)


async def text_starlette(scope: Scope, receive: Receive, send: Send) -> None:
    await StarlettePlainTextResponse(TEXT)(scope, receive, send)


async def text_raw(scope: Scope, receive: Receive, send: Send) -> None:
    body = TEXT.encode()
    headers = [
        (b"content-length", b"%d" % len(body)),
        (b"content-type", b"text/plain; charset=utf-8"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def json_response_ours(scope: Scope, receive: Receive, send: Send) -> None:
    await JSONResponse(JSON_DATA)(scope, receive, send)


async def json_response_starlette(scope: Scope, receive: Receive, send: Send) -> None:
    await StarletteJSONResponse(JSON_DATA)(scope, receive, send)


_ENCODER = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False
)  # built once, as a careful hand would


async def json_response_raw(scope: Scope, receive: Receive, send: Send) -> None:
    body = _ENCODER.encode(JSON_DATA).encode()
    headers = [(b"content-length", b"%d" % len(body)), (b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# --- file-100mb: send a 100 MB file -------------------------------------------------------

BIG_FILE = os.path.join(tempfile.gettempdir(), "asgi-bench-100mb.bin")


def ensure_big_file() -> str:
    """Create the 100 MB benchmark file once (random bytes, so nothing compresses it)."""
    if not os.path.exists(BIG_FILE) or os.path.getsize(BIG_FILE) != 100 * 1024 * 1024:
        with open(BIG_FILE, "wb") as file:
            for _ in range(100):
                file.write(os.urandom(1024 * 1024))
    return BIG_FILE


async def file_ours(scope: Scope, receive: Receive, send: Send) -> None:
    await FileResponse(BIG_FILE)(scope, receive, send)


async def file_starlette(scope: Scope, receive: Receive, send: Send) -> None:
    await StarletteFileResponse(BIG_FILE)(scope, receive, send)


async def file_raw(scope: Scope, receive: Receive, send: Send) -> None:
    """The floor: one open file, 64 KiB reads in a worker thread, no headers worth the name."""
    size = os.path.getsize(BIG_FILE)  # noqa: ASYNC240 - measured alike for every variant
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", b"%d" % size)],
        }
    )
    file = await anyio.open_file(BIG_FILE, "rb")
    async with file:
        while chunk := await file.read(65536):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


# --- routing: 100 routes of the shape /r{i}/users/{user:int}/items/{item} ----------------


async def item_ours(request: Request) -> PlainTextResponse:
    params = request.path_params
    return PlainTextResponse(f"{params['user']} {params['item']}")


async def item_starlette(request: StarletteRequest) -> StarlettePlainTextResponse:
    params = request.path_params
    return StarlettePlainTextResponse(f"{params['user']} {params['item']}")


ROUTES_OURS = Router(
    [Route(f"/r{i}/users/{{user:int}}/items/{{item}}", item_ours) for i in range(100)]
)
ROUTES_STARLETTE = StarletteRouter(
    [StarletteRoute(f"/r{i}/users/{{user:int}}/items/{{item}}", item_starlette) for i in range(100)]
)


async def routes_raw(scope: Scope, receive: Receive, send: Send) -> None:
    """The floor: split the path, check it by hand, answer."""
    parts = scope["path"].split("/")
    ok = (
        len(parts) == 6
        and parts[1][:1] == "r"
        and parts[1][1:].isdigit()
        and int(parts[1][1:]) < 100
        and parts[2] == "users"
        and parts[3].isdigit()
        and parts[4] == "items"
        and parts[5] != ""
    )
    if ok:
        body = f"{int(parts[3])} {parts[5]}".encode()
        headers = [
            (b"content-length", b"%d" % len(body)),
            (b"content-type", b"text/plain; charset=utf-8"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
    else:
        body = b"Not Found"
        headers = [(b"content-length", b"9"), (b"content-type", b"text/plain; charset=utf-8")]
        await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def single_ours(request: Request) -> PlainTextResponse:
    return PlainTextResponse("Hello, world!")


async def single_starlette(request: StarletteRequest) -> StarlettePlainTextResponse:
    return StarlettePlainTextResponse("Hello, world!")


SINGLE_OURS = Router([Route("/", single_ours)])
SINGLE_STARLETTE = StarletteRouter([StarletteRoute("/", single_starlette)])


def _routing(name: str, description: str, path: str, status: int = 200) -> Scenario:
    return Scenario(
        name,
        description,
        "GET",
        path,
        b"",
        COMMON_HEADERS,
        b"",
        {"ours": ROUTES_OURS, "starlette": ROUTES_STARLETTE, "raw": routes_raw},
        status=status,
    )


SCENARIOS: dict[str, Scenario] = {
    "request-parse": Scenario(
        "request-parse",
        "GET with a query string, 8 headers and cookies; read path, query, header, cookie",
        "GET",
        "/items/list",
        b"limit=10&offset=20&sort=name",
        COMMON_HEADERS,
        b"",
        {"ours": parse_ours, "starlette": parse_starlette, "raw": parse_raw},
    ),
    "json-body": Scenario(
        "json-body",
        "POST a 200-byte JSON document and decode it",
        "POST",
        "/api/users",
        b"",
        [*COMMON_HEADERS, (b"content-type", b"application/json")],
        JSON_BODY,
        {"ours": json_ours, "starlette": json_starlette, "raw": json_raw},
    ),
    "form-urlencoded": Scenario(
        "form-urlencoded",
        "POST a ten-field urlencoded form and parse it",
        "POST",
        "/submit",
        b"",
        [*COMMON_HEADERS, (b"content-type", b"application/x-www-form-urlencoded")],
        FORM_BODY,
        {"ours": form_ours, "starlette": form_starlette, "raw": form_raw},
    ),
    "plaintext-response": Scenario(
        "plaintext-response",
        "build a PlainTextResponse and send it (a bare ASGI call)",
        "GET",
        "/",
        b"",
        COMMON_HEADERS,
        b"",
        {"ours": text_ours, "starlette": text_starlette, "raw": text_raw},
    ),
    "json-response": Scenario(
        "json-response",
        "build a JSONResponse of a small document and send it",
        "GET",
        "/",
        b"",
        COMMON_HEADERS,
        b"",
        {
            "ours": json_response_ours,
            "starlette": json_response_starlette,
            "raw": json_response_raw,
        },
    ),
    "routes-100-first": _routing(
        "routes-100-first",
        "100 routes /r{i}/users/{user:int}/items/{item}; hit the first",
        "/r0/users/42/items/pen",
    ),
    "routes-100-last": _routing(
        "routes-100-last",
        "100 routes /r{i}/users/{user:int}/items/{item}; hit the last",
        "/r99/users/42/items/pen",
    ),
    "routes-100-404": _routing(
        "routes-100-404", "100 routes; an unmatched path (404)", "/nothing/here", status=404
    ),
    "single-route": Scenario(
        "single-route",
        "a Router with one route answering a PlainTextResponse",
        "GET",
        "/",
        b"",
        COMMON_HEADERS,
        b"",
        {"ours": SINGLE_OURS, "starlette": SINGLE_STARLETTE, "raw": text_raw},
    ),
    "file-100mb": Scenario(
        "file-100mb",
        "send a 100 MB file with FileResponse (throughput and peak memory)",
        "GET",
        "/big.bin",
        b"",
        COMMON_HEADERS,
        b"",
        {"ours": file_ours, "starlette": file_starlette, "raw": file_raw},
        calls=3,
        measure_memory=True,
        e2e=False,
    ),
}


def _middleware_scenarios() -> dict[str, Scenario]:
    import middleware_scenarios as m

    origin_headers = [*COMMON_HEADERS, (b"origin", m.ORIGIN)]
    return {
        "cors-gzip": Scenario(
            "cors-gzip",
            "CORS + GZip around one route; a small response, a request with an allowed Origin",
            "GET",
            "/",
            b"",
            origin_headers,
            b"",
            {"ours": m.CORS_GZIP_OURS, "starlette": m.CORS_GZIP_STARLETTE, "raw": m.cors_gzip_raw},
        ),
        "base-middleware": Scenario(
            "base-middleware",
            "BaseHTTPMiddleware with a pass-through dispatch around one route",
            "GET",
            "/",
            b"",
            COMMON_HEADERS,
            b"",
            {"ours": m.BASE_OURS, "starlette": m.BASE_STARLETTE, "raw": m.small_raw},
        ),
        "gzip-1mb": Scenario(
            "gzip-1mb",
            "GZip of a 1 MB JSON body (compresslevel 9)",
            "GET",
            "/",
            b"",
            COMMON_HEADERS,
            b"",
            {"ours": m.GZIP_OURS, "starlette": m.GZIP_STARLETTE, "raw": m.gzip_raw},
            calls=20,
            normalise=gzip.decompress,
        ),
    }


SCENARIOS.update(_middleware_scenarios())


def _static_scenarios() -> dict[str, Scenario]:
    import static_scenarios as s

    return {
        "static-1mb": Scenario(
            "static-1mb",
            "StaticFiles serving a 1 MB file (lookup, validators, the file in chunks)",
            "GET",
            f"/{s.FILE_NAME}",
            b"",
            COMMON_HEADERS,
            b"",
            {"ours": s.STATIC_OURS, "starlette": s.STATIC_STARLETTE, "raw": s.static_raw},
            calls=50,
        ),
    }


SCENARIOS.update(_static_scenarios())


def _peer_scenarios() -> dict[str, Scenario]:
    import peer_scenarios

    return peer_scenarios.peer_scenarios()


_PEERS = _peer_scenarios()
if set(_PEERS) & set(SCENARIOS):  # one name, one scenario
    raise RuntimeError(f"scenario names used twice: {set(_PEERS) & set(SCENARIOS)}")
SCENARIOS.update(_PEERS)

#: ASGI apps importable by a server: ``scenarios:APPS`` keyed "<scenario>:<variant>".
#: Applications that run a lifespan of their own keep it; the others answer it politely.
APPS: dict[str, ASGIApp] = {
    f"{scenario.name}:{variant}": (
        app if scenario.lifespan and variant != "raw" else _lifespan_aware(app)
    )
    for scenario in SCENARIOS.values()
    for variant, app in scenario.apps.items()
}
