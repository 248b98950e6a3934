"""A real Flask app mounted in an App through asgi_framework.middleware.wsgi (a2wsgi)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest
from flask import Flask, jsonify, request  # type: ignore[import-not-found,unused-ignore]

from asgi_core import AsgiDeprecationWarning
from asgi_framework import App
from asgi_framework.responses import PlainTextResponse
from asgi_framework.routing import Mount, Route
from asgi_testing import TestClient


@pytest.fixture
def wsgi() -> ModuleType:
    sys.modules.pop("asgi_framework.middleware.wsgi", None)
    with pytest.warns(
        AsgiDeprecationWarning, match="Please refer to https://github.com/abersheeran/a2wsgi"
    ):
        return importlib.import_module("asgi_framework.middleware.wsgi")


def make_flask() -> Any:
    """Flask (not installed where the types are checked) with three views."""
    flask_app = Flask("legacy")

    def hello() -> Any:
        response = jsonify(
            name=request.args.get("name", "world"),
            script_root=request.script_root,
            path=request.path,
            agent=request.headers.get("X-Agent"),
        )
        response.headers["X-Flask"] = "1"
        return response

    def echo() -> Any:
        body = request.get_data()
        return (
            body[::-1],
            201,
            {"Content-Type": "application/octet-stream", "X-Length": str(len(body))},
        )

    def missing() -> Any:
        return "gone", 410

    flask_app.add_url_rule("/hello", view_func=hello, methods=["GET"])
    flask_app.add_url_rule("/echo", view_func=echo, methods=["POST"])
    flask_app.add_url_rule("/missing-thing", view_func=missing, methods=["GET"])
    return flask_app


async def home(request: Any) -> PlainTextResponse:
    return PlainTextResponse("asgi home")


def make_app(wsgi: ModuleType) -> App:
    return App(routes=[Route("/", home), Mount("/legacy", app=wsgi.WSGIMiddleware(make_flask()))])


def check(client: httpx.Client | TestClient) -> None:
    assert client.get("/").text == "asgi home"
    response = client.get("/legacy/hello", params={"name": "ada"}, headers={"X-Agent": "t"})
    assert response.status_code == 200
    assert response.headers["x-flask"] == "1"
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "name": "ada",
        "script_root": "/legacy",
        "path": "/hello",
        "agent": "t",
    }
    payload = bytes(range(256)) * 64
    posted = client.post("/legacy/echo", content=payload)
    assert posted.status_code == 201
    assert posted.headers["x-length"] == str(len(payload))
    assert posted.content == payload[::-1]
    assert client.get("/legacy/missing-thing").status_code == 410
    assert client.get("/legacy/nowhere").status_code == 404  # Flask's own 404


def test_flask_under_a_mount_with_the_test_client(wsgi: ModuleType) -> None:
    # a2wsgi talks to the WSGI app through asyncio: there is no trio variant to run
    with TestClient(make_app(wsgi), backend="asyncio") as client:
        check(client)


# uvicorn runs on asyncio, which a2wsgi needs (hypercorn runs on trio in these tests)
@pytest.mark.parametrize("serve", ["uvicorn"], indirect=True)
def test_flask_under_a_mount_on_a_real_server(wsgi: ModuleType, serve: Callable[..., Any]) -> None:
    with serve(make_app(wsgi)) as base, httpx.Client(base_url=base) as client:
        check(client)
