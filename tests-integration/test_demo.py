"""The demo (examples/demo) behaves as its page promises: chat, upload, notes, API docs, cleanup."""

from __future__ import annotations

import importlib
import json
import logging
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from asgi_testing import TestClient

HARNESS = Path(__file__).resolve().parent / "js" / "demo_page.mjs"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    return importlib.import_module("examples.demo.app")


@pytest.fixture(params=["asyncio", "trio"])
def client(request: pytest.FixtureRequest, demo: Any) -> Iterator[TestClient]:
    with TestClient(demo.app, backend=request.param) as client:
        yield client


class Errors(logging.Handler):
    """Collects the error records the servers log (an app traceback is one)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def server_errors() -> Iterator[list[logging.LogRecord]]:
    handler = Errors()
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "hypercorn.error")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_binary_chat_frame_closes_with_1003(client: TestClient, demo: Any) -> None:
    with client.websocket_connect("/ws/chat?name=ada") as session:
        assert session.receive_json() == {"from": "server", "text": "ada joined"}
        session.send_bytes(b"\x00\x01")
        assert session.receive() == {
            "type": "websocket.close",
            "code": 1003,
            "reason": demo.BINARY_REFUSED,
        }


def test_a_binary_chat_frame_on_a_real_server(
    serve: Callable[..., Any], demo: Any, server_errors: list[logging.LogRecord]
) -> None:
    with serve(demo.app) as base:
        url = base.replace("http://", "ws://") + "/ws/chat?name=ada"
        with connect(url) as websocket:
            assert json.loads(websocket.recv()) == {"from": "server", "text": "ada joined"}
            websocket.send("hi")
            assert json.loads(websocket.recv()) == {"from": "ada", "text": "hi"}
            websocket.send(b"\x00\x01")
            with pytest.raises(ConnectionClosedError) as closed:
                websocket.recv()
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1003, demo.BINARY_REFUSED)
    assert [record.getMessage() for record in server_errors] == []


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_temporary_database_folder_is_removed_at_shutdown(
    backend: Literal["asyncio", "trio"], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DEMO_DATABASE", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    demo = importlib.import_module("examples.demo.app")
    with TestClient(demo.app, backend=backend) as client:
        assert client.post("/api/notes", json={"title": "a", "body": "b"}).status_code == 201
        (folder,) = tmp_path.glob("asgi-demo-*")
        assert (folder / "demo.sqlite3").is_file()
    assert list(tmp_path.glob("asgi-demo-*")) == []


def test_existing_notes_are_listed_on_page_load(client: TestClient) -> None:
    assert '<ul id="notes">\n</ul>' in client.get("/").text
    client.post("/api/notes", json={"title": "First", "body": "one"})
    client.post("/api/notes", json={"title": "<b>Second</b>", "body": "two & more"})
    page = client.get("/").text
    assert (
        '<ul id="notes">\n<li>&lt;b&gt;Second&lt;/b&gt;: two &amp; more</li>\n'
        "<li>First: one</li>\n</ul>"
    ) in page


def test_the_schema_as_json_and_a_docs_page(client: TestClient) -> None:
    schema = client.get("/openapi.json")
    assert schema.headers["content-type"] == "application/json"
    body = schema.json()
    assert body["info"] == {"title": "asgi-framework demo", "version": "0.1"}
    assert body["paths"]["/api/notes"]["get"]["summary"] == "List notes, newest first."
    assert set(body["paths"]["/api/notes"]) == {"get", "post"}
    assert "/docs" not in body["paths"]
    docs = client.get("/docs")
    assert docs.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>asgi-framework demo 0.1: operations</title>" in docs.text
    assert (
        "<tr><td><code>POST</code></td><td><code>/api/notes</code></td><td>Create a note.</td></tr>"
    ) in docs.text
    assert '<a href="/openapi.json">JSON</a>' in docs.text
    assert "Upload up to 3 files of at most 1 MB each." in docs.text


def test_the_docs_page_escapes_the_schema(demo: Any) -> None:
    operations = demo.operations(
        {"paths": {"/<x>": {"get": {"summary": "<script>"}, "parameters": []}}}
    )
    template = demo.templates.get_template("docs.html")
    page = template.render(
        title="API", operations=operations, user=None, url_for=lambda *a, **k: ""
    )
    assert "<title>API: operations</title>" in page
    assert "<td><code>/&lt;x&gt;</code></td><td>&lt;script&gt;</td>" in page
    assert "<script>" not in page
    assert "<td><code>PARAMETERS</code></td><td><code>/&lt;x&gt;</code></td><td></td>" in page


def test_the_upload_form_stays_on_the_page(serve: Callable[..., Any], demo: Any) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js not found (it runs the page's script): apt-get install nodejs")
    with serve(demo.app) as base:
        page = httpx.get(base + "/").text
        # the harness runs the page's inline script: inline the one StaticFiles serves
        (src,) = re.findall(r'<script src="([^"]+)"></script>', page)
        script = httpx.get(src)
        assert script.headers["content-type"] == "text/javascript; charset=utf-8"
        page = page.replace(f'<script src="{src}"></script>', f"<script>{script.text}</script>")
        run = subprocess.run(
            [node, str(HARNESS), base],
            input=page,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode == 0, run.stderr
    small, too_big = (json.loads(line) for line in run.stdout.splitlines())
    assert small == {
        "step": "small",
        "defaultPrevented": True,  # the browser does not leave the page
        "result": "Received 2 file(s)\na.txt: 3 bytes, text/plain\nb.txt: 5 bytes, text/plain",
        "reset": True,
    }
    assert too_big == {
        "step": "too big",
        "defaultPrevented": True,
        "result": "Upload refused (400): File 'big.bin' exceeded maximum size of 1MB.",
        "reset": False,
    }


def test_the_middleware_are_active(client: TestClient) -> None:
    # CORS: a page on another origin may call the JSON API
    response = client.get("/api/notes", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/api/notes",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-methods"] == "GET, POST"
    # compression: the page is large enough, the small API answer is not
    with client.stream("GET", "/", headers={"Accept-Encoding": "gzip"}) as page:
        assert page.headers["content-encoding"] == "gzip"
        # CORS varies on Origin; the page shows who is logged in, from the session cookie
        assert page.headers["vary"] == "Cookie, Accept-Encoding, Origin"
        raw = b"".join(page.iter_raw())
    assert zlib.decompress(raw, 31).decode().startswith("<!doctype html>")
    assert (
        "content-encoding"
        not in client.get("/api/notes", headers={"Accept-Encoding": "gzip"}).headers
    )
    # trusted hosts: the demo answers only for its own names
    for host in ("127.0.0.1:8000", "localhost:8000", "testserver"):
        assert client.get("/api/notes", headers={"Host": host}).status_code == 200
    refused = client.get("/", headers={"Host": "evil.example"})
    assert (refused.status_code, refused.text) == (400, "Invalid host header")
