"""Both frameworks' TestClients against the same hand-written ASGI app.

What is compared is what the application sees (the scope each client builds: headers and
their order, client, server, scheme, paths) and what the test sees (status, headers, body,
cookies, redirects, exceptions).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from lib import Lib

Message = dict[str, Any]


async def scope_echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answer with the parts of the scope a client decides, and the request body."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope["path"]
    if path == "/redirect":
        await send(
            {"type": "http.response.start", "status": 302, "headers": [(b"location", b"/final")]}
        )
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/cookie":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"set-cookie", b"sid=abc; Path=/"), (b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})
        return
    if path == "/boom":
        raise RuntimeError("boom")
    seen = {
        "type": scope["type"],
        "http_version": scope.get("http_version"),
        "method": scope.get("method"),
        "scheme": scope.get("scheme"),
        "path": scope.get("path"),
        "raw_path": scope.get("raw_path", b"").decode("latin-1"),
        "root_path": scope.get("root_path"),
        "query_string": scope.get("query_string", b"").decode("latin-1"),
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
        "client": list(scope["client"]) if scope.get("client") else None,
        "server": list(scope["server"]) if scope.get("server") else None,
        "asgi": scope.get("asgi"),
        "extensions": sorted(scope.get("extensions", {})),
        "state": "state" in scope,
        "body": body.decode("latin-1"),
    }
    data = json.dumps(seen).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def _observe(response: Any) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "headers": [list(item) for item in response.headers.multi_items()],
        "url": str(response.url),
        "history": [r.status_code for r in response.history],
        "body": _json_or_text(response.text),
    }


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _client(lib: Lib, **kw: Any) -> Any:
    return lib.testclient.TestClient(scope_echo, **kw)


def _call(
    lib: Lib, method: str, url: str, client_kw: dict[str, Any] | None = None, **kw: Any
) -> Any:
    with _client(lib, **(client_kw or {})) as client:
        return _observe(client.request(method, url, **kw))


def _cookies(lib: Lib) -> Any:
    with _client(lib) as client:
        client.get("/cookie")
        return _observe(client.get("/"))


def _boom(lib: Lib) -> Any:
    with _client(lib) as client:
        try:
            client.get("/boom")
        except RuntimeError as exc:
            return f"raised {exc}"
    return "not raised"


def _boom_no_raise(lib: Lib) -> Any:
    with _client(lib, raise_server_exceptions=False) as client:
        return _observe(client.get("/boom"))


def _reuse(lib: Lib) -> Any:
    client = _client(lib)
    with client:
        client.get("/")
    with client:
        return _observe(client.get("/again"))


def _multipart(lib: Lib) -> Any:
    with _client(lib) as client:
        result = _observe(
            client.post("/", data={"a": "1"}, files={"f": ("x.txt", b"hi", "text/plain")})
        )
    seen = result["body"]
    content_type = dict(seen["headers"])["content-type"]
    boundary = content_type.split("boundary=")[1]
    seen["headers"] = [[k, v.replace(boundary, "BOUNDARY")] for k, v in seen["headers"]]
    seen["body"] = seen["body"].replace(boundary, "BOUNDARY")
    result["headers"] = [h for h in result["headers"] if h[0] != "content-length"]
    return result


CLIENT_CASES: dict[str, Callable[[Lib], Any]] = {
    "get": lambda lib: _call(lib, "GET", "/"),
    "get-query": lambda lib: _call(lib, "GET", "/p%20q?x=1", params={"a": "b c"}),
    "head": lambda lib: _call(lib, "HEAD", "/"),
    "post-json": lambda lib: _call(lib, "POST", "/", json={"a": [1, 2]}),
    "post-form": lambda lib: _call(lib, "POST", "/", data={"a": "1", "b": "x y"}),
    "post-content": lambda lib: _call(lib, "POST", "/", content=b"raw"),
    "put-empty": lambda lib: _call(lib, "PUT", "/"),
    "headers": lambda lib: _call(lib, "GET", "/", headers={"X-Custom": "1", "User-Agent": "mine"}),
    "client-headers": lambda lib: _call(lib, "GET", "/", client_kw={"headers": {"X-Default": "d"}}),
    "absolute-url": lambda lib: _call(lib, "GET", "http://other.org:8080/x"),
    "https-base": lambda lib: _call(
        lib, "GET", "/", client_kw={"base_url": "https://example.org:8443"}
    ),
    "ipv6-base": lambda lib: _call(lib, "GET", "/", client_kw={"base_url": "http://[::1]:8000"}),
    "root-path": lambda lib: _call(lib, "GET", "/x", client_kw={"root_path": "/api"}),
    "client-address": lambda lib: _call(lib, "GET", "/", client_kw={"client": ("1.2.3.4", 9)}),
    "redirect": lambda lib: _call(lib, "GET", "/redirect"),
    "redirect-not-followed": lambda lib: _call(lib, "GET", "/redirect", follow_redirects=False),
    "cookies": _cookies,
    "multipart": _multipart,
    "raise": _boom,
    "no-raise": _boom_no_raise,
    "reuse": _reuse,
}
