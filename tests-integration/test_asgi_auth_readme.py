"""The examples of asgi-auth's README run and answer as they claim."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "packages" / "asgi-auth" / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def test_readme_example() -> None:
    from asgi_testing import TestClient

    namespace: dict[str, Any] = {}
    exec(python_blocks()[0], namespace)
    client = TestClient(namespace["app"])
    assert client.get("/", headers={"Authorization": "Bearer let-me-in"}).text == "Hello, ada"
    assert client.get("/").text == "Hello, stranger"
    assert client.get("/", headers={"Authorization": "Bearer nope"}).text == "Hello, stranger"


def test_readme_requires_example() -> None:
    from asgi_auth import (
        AuthCredentials,
        AuthenticationBackend,
        AuthenticationMiddleware,
        SimpleUser,
    )
    from asgi_core import HTTPConnection
    from asgi_testing import TestClient, WebSocketDisconnect

    class Backend(AuthenticationBackend):
        async def authenticate(self, conn: HTTPConnection) -> Any:
            scopes = conn.headers.get("x-scopes")
            if scopes is None:
                return None
            return AuthCredentials(scopes.split(",")), SimpleUser("ada")

    block = next(block for block in python_blocks() if "@requires(" in block)
    namespace: dict[str, Any] = {}
    exec(block, namespace)
    client = TestClient(
        AuthenticationMiddleware(namespace["router"], Backend()), follow_redirects=False
    )

    response = client.get("/?page=2")
    assert (response.status_code, response.headers["location"]) == (
        303,
        "http://testserver/login?next=http%3A%2F%2Ftestserver%2F%3Fpage%3D2",
    )
    assert client.get("/", headers={"X-Scopes": "authenticated"}).text == "Hello, ada"
    response = client.get("/admin", headers={"X-Scopes": "authenticated"})
    assert (response.status_code, response.text) == (403, "Forbidden")
    assert client.get("/admin", headers={"X-Scopes": "authenticated,admin"}).text == "admin"
    assert client.get("/reports", headers={"X-Scopes": "authenticated"}).status_code == 404
    assert client.get("/reports", headers={"X-Scopes": "reports"}).text == "reports"
    with client.websocket_connect("/chat", headers={"X-Scopes": "chat"}) as websocket:
        assert websocket.receive_text() == "welcome"
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/chat"):
        pass  # pragma: no cover - refused before the block runs
    assert info.value.code == 1000
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/chat", headers={"X-Scopes": "authenticated"}),
    ):
        pass  # pragma: no cover - refused before the block runs


PAGE = README.parent.parent.parent / "docs" / "pages" / "packages" / "asgi-auth.md"


def test_docs_page_example() -> None:
    import importlib.util

    from asgi_testing import TestClient

    (example,) = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.DOTALL)
    if importlib.util.find_spec("asgi_framework.authentication") is None:
        # until asgi_framework lays out the facade modules, run the page on the package itself
        example = example.replace("asgi_framework.middleware.authentication", "asgi_auth")
        example = example.replace("asgi_framework.authentication", "asgi_auth")
    namespace: dict[str, Any] = {}
    exec(example, namespace)
    client = TestClient(namespace["app"])
    response = client.get("/", headers={"Authorization": "Bearer let-me-in"})
    assert (response.status_code, response.text) == (200, "Hello, ada")
    response = client.get("/")
    assert (response.status_code, response.text) == (403, "Forbidden")
    response = client.get("/", headers={"Authorization": "Bearer nope"})
    assert (response.status_code, response.text) == (400, "Invalid token")
