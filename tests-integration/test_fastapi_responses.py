"""Our responses returned from FastAPI endpoints, wrapped with ``for_starlette``.

FastAPI sends a returned object only if it is a ``starlette.responses.Response``; without
the wrapper it serialises the object's attributes as JSON (status 200, a file's path in the
body) or fails with a 500 for streams. These tests run a real FastAPI application through
our TestClient on asyncio and trio, and through httpx's own ASGI transport.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import BackgroundTasks, FastAPI

from asgi_core import BackgroundTask
from asgi_responses import (
    EventSourceResponse,
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
    for_starlette,
)
from asgi_testing import TestClient

DATA = bytes(range(256)) * 16  # 4 KiB


def make_app(data_file: Path, done: list[str]) -> FastAPI:
    app = FastAPI()

    @app.get("/json")
    def json_endpoint() -> Any:
        return for_starlette(
            JSONResponse({"created": True}, status_code=201, headers={"x-custom": "yes"})
        )

    @app.api_route("/file", methods=["GET", "HEAD"])
    def file_endpoint() -> Any:
        return for_starlette(FileResponse(data_file, filename="data.bin"))

    @app.get("/stream")
    def stream_endpoint() -> Any:
        def lines() -> Iterator[str]:
            for number in range(3):
                yield f"line {number}\n"

        return for_starlette(StreamingResponse(lines(), media_type="text/plain"))

    @app.get("/events")
    async def events_endpoint() -> Any:
        async def events() -> AsyncIterator[dict[str, Any]]:
            for number in range(2):
                yield {"data": {"n": number}, "id": number}
                await anyio.sleep(0)

        return for_starlette(EventSourceResponse(events(), ping=None))

    @app.get("/redirect")
    def redirect_endpoint() -> Any:
        return for_starlette(RedirectResponse("/json", status_code=303))

    @app.get("/our-background")
    def our_background() -> Any:
        task = BackgroundTask(done.append, "our task")
        return for_starlette(PlainTextResponse("ok", background=task))

    @app.get("/fastapi-background")
    def fastapi_background(tasks: BackgroundTasks) -> Any:
        tasks.add_task(done.append, "FastAPI task")
        response = for_starlette(PlainTextResponse("ok"))
        response.set_cookie("seen", "1")
        return response

    return app


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(DATA)
    return path


@pytest.fixture(params=["asyncio", "trio"])
def client(request: pytest.FixtureRequest, data_file: Path) -> Iterator[TestClient]:
    done: list[str] = []
    with TestClient(make_app(data_file, done), backend=request.param) as test_client:
        test_client.done = done  # type: ignore[attr-defined]
        yield test_client


def test_status_headers_and_body(client: TestClient) -> None:
    response = client.get("/json")
    assert response.status_code == 201
    assert response.headers["x-custom"] == "yes"
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"created": True}
    redirect = client.get("/redirect", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/json"


def test_file_with_range_and_conditional_requests(client: TestClient) -> None:
    whole = client.get("/file")
    assert whole.status_code == 200
    assert whole.content == DATA
    assert whole.headers["content-disposition"] == 'attachment; filename="data.bin"'
    assert "path" not in whole.text
    part = client.get("/file", headers={"range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(DATA)}"
    assert part.content == DATA[100:200]
    assert client.get("/file", headers={"if-none-match": whole.headers["etag"]}).status_code == 304
    assert client.head("/file").headers["content-length"] == str(len(DATA))


def test_streaming(client: TestClient) -> None:
    with client.stream("GET", "/stream") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert list(response.iter_lines()) == ["line 0", "line 1", "line 2"]


def test_server_sent_events(client: TestClient) -> None:
    response = client.get("/events")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == 'id: 0\ndata: {"n":0}\n\nid: 1\ndata: {"n":1}\n\n'


def test_background_tasks(client: TestClient) -> None:
    done: list[str] = client.done  # type: ignore[attr-defined]
    assert client.get("/our-background").text == "ok"
    response = client.get("/fastapi-background")
    assert response.text == "ok"
    assert response.cookies["seen"] == "1"
    assert done == ["our task", "FastAPI task"]


@pytest.mark.anyio
async def test_through_httpx_asgi_transport(data_file: Path) -> None:
    transport = httpx.ASGITransport(app=make_app(data_file, []))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/file", headers={"range": "bytes=0-9"})
        assert response.status_code == 206
        assert response.content == DATA[:10]
        assert (await client.get("/json")).status_code == 201


def test_without_the_wrapper_fastapi_does_not_send_it(data_file: Path) -> None:
    # why for_starlette exists: this documents the FastAPI behaviour it works around
    app = FastAPI()

    @app.get("/unannotated")
    def unannotated():  # type: ignore[no-untyped-def]
        return FileResponse(data_file)

    @app.get("/annotated")
    def annotated() -> Any:
        return FileResponse(data_file)

    client = TestClient(app, raise_server_exceptions=False)
    leaked = client.get("/unannotated")
    assert leaked.status_code == 200
    assert leaked.json()["path"] == str(data_file)  # the object's attributes, as JSON
    assert client.get("/annotated").status_code == 500
