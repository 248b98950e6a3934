"""asgi-middleware-sessions' README: the ten lines on real servers and with the test client."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from asgi_middleware_sessions import RedisSessionStore, SessionMiddleware
from asgi_testing import TestClient

README = (
    Path(__file__).resolve().parent.parent / "packages" / "asgi-middleware-sessions" / "README.md"
)


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def ten_lines() -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(blocks()[0], str(README), "exec"), namespace)
    return namespace["app"]


def test_the_ten_lines_count_visits_per_browser() -> None:
    app = ten_lines()
    assert isinstance(app, SessionMiddleware)
    client = TestClient(app)
    first = client.get("/")
    assert first.text == "visit 1"
    assert first.headers["set-cookie"].startswith("session=")
    assert first.headers["set-cookie"].endswith("; path=/; Max-Age=1209600; httponly; samesite=lax")
    assert client.get("/").text == "visit 2"
    assert TestClient(app).get("/").text == "visit 1"  # another browser


def test_the_ten_lines_on_real_servers(serve: Callable[..., Any]) -> None:
    with serve(ten_lines()) as base, httpx.Client(base_url=base) as client:
        assert [client.get("/").text for _ in range(3)] == ["visit 1", "visit 2", "visit 3"]


def test_the_store_example_builds() -> None:
    store_example = next(block for block in blocks() if "RedisSessionStore(" in block)
    namespace: dict[str, Any] = {"app": ten_lines(), "KEY": "a key"}
    exec(compile(store_example, str(README), "exec"), namespace)
    assert isinstance(namespace["app"].store, RedisSessionStore)


def test_the_docs_page_example() -> None:
    page = (
        README.parent.parent.parent / "docs" / "pages" / "packages" / "asgi-middleware-sessions.md"
    )
    block = re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL)[0]
    namespace: dict[str, Any] = {}
    exec(compile(block, str(page), "exec"), namespace)
    client = TestClient(namespace["app"], base_url="https://testserver")
    response = client.post("/login?user=ada")
    assert response.json() == {"user": "ada"}
    (login,) = response.history
    assert login.status_code == 303
    assert login.headers["set-cookie"].endswith("; httponly; samesite=lax; secure")
    assert "ada" not in login.headers["set-cookie"]  # in the store, not in the cookie
    assert client.get("/me").json() == {"user": "ada"}
    response = client.post("/logout")
    assert response.headers["set-cookie"].startswith("session=null; path=/; expires=")
    assert client.get("/me").json() == {"user": None}
    assert TestClient(namespace["app"]).get("/me").json() == {"user": None}  # plain http
