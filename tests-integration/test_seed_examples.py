"""The example applications in examples/ answer as documented."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from asgi_testing import TestClient


@pytest.fixture(params=["asyncio", "trio"])
def backend(request: pytest.FixtureRequest) -> Any:
    return request.param


def load(name: str) -> Any:
    return importlib.import_module(f"examples.{name}.app")


def test_rest_api(backend: Any) -> None:
    client = TestClient(load("rest_api").app, backend=backend)
    assert client.get("/books").json()["total"] == 3
    assert client.get("/books?since=1979&limit=1").json() == {
        "total": 2,
        "items": [{"id": 2, "title": "Kindred", "year": 1979}],
    }
    assert client.get("/books?offset=2").json()["items"][0]["id"] == 3
    assert client.get("/books/1").json()["title"] == "The Left Hand of Darkness"
    missing_book = client.get("/books/99")
    assert (missing_book.status_code, missing_book.json()) == (
        404,
        {"detail": "No book with id 99."},
    )
    bad = client.get("/books?limit=ten")
    assert bad.status_code == 400
    assert bad.json() == {
        "detail": "Query parameter 'limit' must be a non-negative integer, got 'ten'."
    }
    anything = client.get("/no/such/thing")
    assert (anything.status_code, anything.json()) == (404, {"detail": "Nothing at /no/such/thing"})


def test_error_handlers(backend: Any) -> None:
    client = TestClient(load("error_handlers").app, backend=backend, raise_server_exceptions=False)
    assert client.get("/").text == "home"
    missing = client.get("/missing")
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    premium = client.get("/premium")
    assert (premium.status_code, premium.json()) == (
        402,
        {"detail": "5 credits needed", "amount": 5},
    )
    crash = client.get("/crash")
    assert crash.status_code == 500
    assert "Something went wrong" in crash.text
    not_allowed = client.post("/")
    assert (not_allowed.status_code, not_allowed.text) == (405, "Method Not Allowed")


def test_lifespan_state(backend: Any) -> None:
    module = load("lifespan_state")
    with TestClient(module.app, backend=backend) as client:
        assert client.get("/").json() == {"hits": 1, "started": True}
        assert client.get("/").json() == {"hits": 2, "started": True}
    assert module.app.state.started is False


def test_background_tasks(backend: Any) -> None:
    module = load("background_tasks")
    module.OUTBOX.clear()
    client = TestClient(module.app, backend=backend)
    response = client.post("/signup", json={"email": "ada@example.org"})
    assert (response.status_code, response.json()) == (
        201,
        {"status": "registered", "email": "ada@example.org"},
    )
    assert client.get("/outbox").json() == [
        "welcome ada@example.org",
        "audit signup ada@example.org",
    ]


def test_demo_through_the_test_client(
    backend: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    demo = load("demo")
    with TestClient(demo.app, backend=backend, raise_server_exceptions=False) as client:
        assert "asgi-framework demo" in client.get("/").text
        created = client.post("/api/notes", json={"title": "First", "body": "Hello"})
        assert created.status_code == 201
        note_id = created.json()["id"]
        assert client.get(f"/api/notes/{note_id}").json() == {
            "id": note_id,
            "title": "First",
            "body": "Hello",
        }
        assert client.get("/api/notes").json()[0]["title"] == "First"
        assert client.get("/api/activity").json() == [{"message": f"created note {note_id}"}]
        assert client.post("/api/notes", json={"title": ""}).status_code == 400
        assert client.post("/api/notes", content=b"{").json()["detail"].startswith("Invalid JSON")
        assert client.get("/api/notes?limit=0").status_code == 400
        assert client.get("/api/notes/999").json() == {"detail": "No note with id 999."}
        page = client.get("/nowhere")
        assert (page.status_code, "Page not found" in page.text) == (404, True)
        crash = client.get("/crash")
        assert (crash.status_code, "Something went wrong" in crash.text) == (500, True)
        upload = client.post(
            "/upload", files=[("file", ("a.txt", b"abc", "text/plain"))], data={"note": "x"}
        )
        assert upload.json() == {
            "files": [
                {"field": "file", "filename": "a.txt", "size": 3, "content_type": "text/plain"}
            ],
            "fields": {"note": "x"},
        }
        too_big = client.post("/upload", files=[("file", ("big.bin", b"x" * (1024 * 1024 + 1)))])
        assert (too_big.status_code, too_big.json()) == (
            400,
            {"detail": "File 'big.bin' exceeded maximum size of 1MB."},
        )
        schema = client.get("/openapi.yaml")
        assert "/api/notes" in schema.text
        with client.websocket_connect("/ws/chat?name=ada") as first:
            assert first.receive_json() == {"from": "server", "text": "ada joined"}
            first.send_text("hello")
            assert first.receive_json() == {"from": "ada", "text": "hello"}


def test_demo_on_a_real_server(
    serve: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    demo = load("demo")
    with serve(demo.app) as base, httpx.Client(base_url=base) as client:
        with client.stream("GET", "/api/events") as events:
            lines = events.iter_lines()
            assert next(lines) == ": connected"
            assert (
                client.post("/api/notes", json={"title": "Live", "body": "update"}).status_code
                == 201
            )
            received = [next(lines) for _ in range(4)]
        assert received[1:4] == [
            "id: 1",
            "event: note",
            'data: {"id":1,"title":"Live","body":"update"}',
        ]
