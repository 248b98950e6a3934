"""The example apps answer as documented, on a real server."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / name / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hello = load("hello")


def test_hello_home_page(serve: Callable[..., Any]) -> None:
    with serve(hello.app) as base, httpx.Client(base_url=base) as client:
        response = client.get('/?x="quoted"')
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "Hello from asgi-core" in response.text
        assert "x=%22quoted%22" in response.text


def test_hello_upload_and_limits(serve: Callable[..., Any]) -> None:
    with serve(hello.app) as base, httpx.Client(base_url=base) as client:
        response = client.post("/upload", data={"note": "hi"}, files={"file": ("a.txt", b"abc")})
        assert response.json() == {"note": "hi", "file": {"filename": "a.txt", "size": 3}}
        response = client.post("/upload", files={"file": ("big", b"x" * (1024 * 1024 + 1))})
        assert response.status_code == 400
        assert response.json() == {"detail": "File 'big' exceeded maximum size of 1MB."}


def test_hello_json_echo_and_errors(serve: Callable[..., Any]) -> None:
    with serve(hello.app) as base, httpx.Client(base_url=base) as client:
        assert client.post("/echo", json={"a": 1}).json() == {"a": 1}
        response = client.post("/echo", content=b"nope")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Invalid JSON in request body")
        assert client.get("/missing").status_code == 404
        assert client.get("/missing").json() == {"detail": "Not Found"}
