"""asgi-core's Request behind real servers (uvicorn, hypercorn) and a real client (httpx)."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from asgi_core import HTTPException, Request, UploadFile
from asgi_core.types import Receive, Scope, Send


async def send_json(send: Send, status: int, payload: Any) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """A hand-written ASGI app that uses only asgi-core."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    request = Request(scope, receive, send)
    try:
        if request.url.path == "/url":
            await send_json(send, 200, {"url": str(request.url), "base": str(request.base_url)})
        elif request.url.path == "/json":
            await send_json(send, 200, await request.json())
        elif request.url.path == "/form":
            async with request.form(max_file_size=1024 * 1024, max_fields=10) as form:
                fields: dict[str, Any] = {}
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        fields[key] = {
                            "filename": value.filename,
                            "size": value.size,
                            "data": (await value.read()).decode(),
                        }
                    else:
                        fields[key] = value
            await send_json(send, 200, fields)
        else:
            await send_json(send, 404, {"detail": "Not Found"})
    except HTTPException as exc:
        await send_json(send, exc.status_code, {"detail": exc.detail})


def test_url_and_query(serve: Callable[..., Any]) -> None:
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.get("/url?a=1&b=2")
        assert response.status_code == 200
        port = urlsplit(base).port
        assert response.json() == {
            "url": f"http://127.0.0.1:{port}/url?a=1&b=2",
            "base": f"http://127.0.0.1:{port}/",
        }


def test_invalid_host_header_never_becomes_the_authority(serve: Callable[..., Any]) -> None:
    with serve(app) as base:
        port = urlsplit(base).port
        assert port is not None
        for host in (b"evil.com/x", b"user@evil.com", b"evil.com?q"):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(
                    b"GET /url HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n"
                )
                raw = b""
                while chunk := sock.recv(65536):
                    raw += chunk
            status_line, _, rest = raw.partition(b"\r\n")
            assert b" 200 " in status_line, status_line
            payload = json.loads(rest.partition(b"\r\n\r\n")[2])
            assert urlsplit(payload["url"]).hostname == "127.0.0.1", payload
            assert "evil" not in payload["url"]


def test_json_body(serve: Callable[..., Any]) -> None:
    with serve(app) as base, httpx.Client(base_url=base) as client:
        assert client.post("/json", json={"a": [1, 2]}).json() == {"a": [1, 2]}
        response = client.post("/json", content=b"{not json")
        assert response.status_code == 400
        assert response.json()["detail"].startswith(
            "Invalid JSON in request body: Expecting property name"
        )


def test_multipart_upload(serve: Callable[..., Any]) -> None:
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.post(
            "/form",
            data={"name": "José"},
            files={"upload": ("hello.txt", b"hello world", "text/plain")},
        )
        assert response.status_code == 200
        assert response.json() == {
            "name": "José",
            "upload": {"filename": "hello.txt", "size": 11, "data": "hello world"},
        }


def test_multipart_file_over_the_limit_is_a_400(serve: Callable[..., Any]) -> None:
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.post("/form", files={"upload": ("big.bin", b"x" * (2 * 1024 * 1024))})
        assert response.status_code == 400
        assert response.json() == {"detail": "File 'big.bin' exceeded maximum size of 1MB."}


def test_urlencoded_limits(serve: Callable[..., Any]) -> None:
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.post("/form", data={f"f{i}": "x" for i in range(11)})
        assert response.status_code == 400
        assert response.json() == {"detail": "Too many fields. Maximum number of fields is 10."}
        response = client.post(
            "/form",
            content=b"a=1;b=2",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.json() == {"a": "1;b=2"}
