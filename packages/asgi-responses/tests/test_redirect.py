from __future__ import annotations

from collections.abc import Callable

from asgi_core import URL
from asgi_responses import PlainTextResponse, RedirectResponse
from asgi_testing import TestClient


def test_defaults() -> None:
    response = RedirectResponse("/next")
    assert response.status_code == 307
    assert response.body == b""
    assert response.headers["location"] == "/next"
    assert response.headers["content-length"] == "0"


def test_quoting_keeps_structure() -> None:
    response = RedirectResponse("https://example.org/a path/é?q=a b&x=1#frag")
    assert response.headers["location"] == "https://example.org/a%20path/%C3%A9?q=a%20b&x=1#frag"
    assert RedirectResponse(URL("/already%20quoted")).headers["location"] == "/already%20quoted"


def test_status_and_headers() -> None:
    response = RedirectResponse("/x", status_code=301, headers={"x-a": "1"})
    assert response.status_code == 301
    assert response.headers["x-a"] == "1"


def test_followed_by_the_client(client_for: Callable[..., TestClient]) -> None:
    def make(scope: dict[str, object]) -> object:
        if scope["path"] == "/old":
            return RedirectResponse("/new")
        return PlainTextResponse(f"at {scope['path']}")

    response = client_for(make).get("/old")
    assert response.text == "at /new"
    assert response.history[0].status_code == 307
