"""asgi-middleware-bodylimit's README: the ten lines on real servers, and inside FastAPI."""

from __future__ import annotations

import re
import select
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request

from asgi_middleware_bodylimit import RequestBodyLimitMiddleware
from asgi_testing import TestClient

README = (
    Path(__file__).resolve().parent.parent / "packages" / "asgi-middleware-bodylimit" / "README.md"
)
MIB = 1024 * 1024


def readme_app() -> Any:
    (block,) = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)[:1]
    namespace: dict[str, Any] = {}
    exec(compile(block, str(README), "exec"), namespace)
    return namespace["app"]


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    while total > 0:
        yield b"x" * min(size, total)
        total -= size


def post_until_answered(base: str, total: int, *, chunked: bool) -> tuple[int, bytes]:
    """POST ``total`` bytes over a raw socket, stopping as soon as the server has answered.

    A server that refuses a body early (413) may close the connection without reading the
    rest; a client that kept writing would then see a reset instead of the answer. Browsers
    and careful clients stop sending once an answer arrives, and so does this one.
    """
    host, port = base.removeprefix("http://").split(":")
    framing = b"transfer-encoding: chunked" if chunked else b"content-length: %d" % total
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nhost: %s\r\n%s\r\n\r\n" % (host.encode(), framing))
        answer = b""
        pending = b""
        sent = 0
        while not answer and (pending or sent < total):
            if not pending:
                piece = b"x" * min(64 * 1024, total - sent)
                pending = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
                sent += len(piece)
            readable, writable, _ = select.select([sock], [sock], [], 10)
            if readable:
                answer = sock.recv(65536)
                break
            if not writable:
                break  # neither reading nor answering for 10 s: the asserts below say so
            try:
                pending = pending[sock.send(pending) :]
            except ConnectionError:
                break  # the server stopped reading: its answer is waiting to be read
        if chunked and not answer:
            sock.sendall(b"0\r\n\r\n")
        while not answer.endswith(b"Content Too Large"):
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    status = int(answer.split(b" ", 2)[1])
    return status, answer.rsplit(b"\r\n\r\n", 1)[-1]


def test_the_ten_lines_on_real_servers(serve: Callable[..., Any]) -> None:
    with serve(readme_app()) as base, httpx.Client(base_url=base) as client:
        assert client.post("/", content=b"x" * MIB).text == f"{MIB} bytes"
        assert client.post("/", content=chunks(MIB)).text == f"{MIB} bytes"
        # declared over the limit: refused before the body is read
        assert post_until_answered(base, MIB + 1, chunked=False) == (413, b"Content Too Large")
        # streamed over the limit: refused once the limit is crossed
        assert post_until_answered(base, 2 * MIB, chunked=True) == (413, b"Content Too Large")


def test_inside_fastapi() -> None:
    app = FastAPI()

    @app.post("/")
    async def endpoint(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=10)
    client = TestClient(app)
    assert client.post("/", content=b"x" * 10).json() == {"size": 10}
    response = client.post("/", content=b"x" * 11)
    assert (response.status_code, response.text) == (413, "Content Too Large")
    response = client.post("/", content=iter([b"x" * 6, b"x" * 6]))
    assert (response.status_code, response.text) == (413, "Content Too Large")


def test_the_docs_page_example() -> None:
    page = (
        README.parent.parent.parent / "docs" / "pages" / "packages" / "asgi-middleware-bodylimit.md"
    )
    block = re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL)[0]
    namespace: dict[str, Any] = {}
    exec(compile(block, str(page), "exec"), namespace)
    client = TestClient(namespace["app"])
    assert client.post("/", json={"b": 1, "a": 2}).json() == {"keys": ["a", "b"]}
    response = client.post("/", json={"a": "x" * 64 * 1024})
    assert (response.status_code, response.text) == (413, "Content Too Large")


def test_in_the_framework_with_an_exception_handler() -> None:
    from asgi_framework import App
    from asgi_framework.middleware import Middleware
    from asgi_responses import PlainTextResponse
    from asgi_routing import Route

    async def upload(request: Any) -> Any:
        return PlainTextResponse(f"{len(await request.body())} bytes")

    async def too_large(request: Any, exc: Any) -> Any:
        return PlainTextResponse(f"handled {exc.detail}", status_code=exc.status_code)

    app = App(
        routes=[Route("/", upload, methods=["POST"])],
        middleware=[Middleware(RequestBodyLimitMiddleware, max_body_size=10)],
        exception_handlers={413: too_large},
    )
    client = TestClient(app)
    assert client.post("/", content=b"x" * 10).text == "10 bytes"
    streamed = client.post("/", content=iter([b"x" * 6, b"x" * 6]))
    assert (streamed.status_code, streamed.text) == (413, "handled Content Too Large")
    declared = client.post("/", content=b"x" * 11)  # as Starlette: always the plain 413
    assert (declared.status_code, declared.text) == (413, "Content Too Large")
    invalid = client.post("/", content=b"x", headers={"content-length": "1_1"})
    assert invalid.status_code == 400
    assert invalid.text.startswith("Invalid Content-Length header: '1_1'.")
