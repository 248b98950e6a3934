"""asgi-middleware-compress's README examples run and answer as they claim."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from asgi_testing import TestClient

README = (
    Path(__file__).resolve().parent.parent / "packages" / "asgi-middleware-compress" / "README.md"
)


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def test_the_ten_lines() -> None:
    namespace: dict[str, Any] = {}
    exec(python_blocks()[0], namespace)
    client = TestClient(namespace["app"])
    for accept in ("gzip", "br"):
        response = client.get("/", headers={"accept-encoding": accept})
        assert response.headers["content-encoding"] == accept
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.text == "Hello, world! " * 100
    response = client.get("/", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in response.headers
    gzip_client = TestClient(namespace["gzip_app"])
    response = gzip_client.get("/", headers={"accept-encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == "Hello, world! " * 100


def test_the_fastapi_example() -> None:
    namespace: dict[str, Any] = {}
    exec(python_blocks()[1], namespace)
    response = TestClient(namespace["api"]).get("/items", headers={"accept-encoding": "br"})
    assert response.headers["content-encoding"] == "br"
    assert response.json() == [{"id": i} for i in range(200)]
