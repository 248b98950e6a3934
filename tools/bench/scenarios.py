"""Benchmark scenarios: one request shape, and the same app written three ways.

Each scenario has an app built on this project's packages (``ours``), the same app on
Starlette (``starlette``), and a hand-written ASGI app that does the same work with the
standard library only (``raw``, the floor). All three return the same response bytes, which
the drivers check before timing anything. Later issues add scenarios here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request as StarletteRequest

from asgi_core import Request
from asgi_core.types import ASGIApp, Receive, Scope, Send


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
}

#: ASGI apps importable by a server: ``scenarios:APPS`` keyed "<scenario>:<variant>".
APPS: dict[str, ASGIApp] = {
    f"{scenario.name}:{variant}": _lifespan_aware(app)
    for scenario in SCENARIOS.values()
    for variant, app in scenario.apps.items()
}
