"""The ten-line examples of the READMEs run and answer as they claim."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def first_python_block(path: Path) -> Callable[..., Any]:
    text = path.read_text()
    match = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert match is not None, f"{path} has no python example"
    namespace: dict[str, Any] = {}
    exec(compile(match[1], str(path), "exec"), namespace)
    app: Callable[..., Any] = namespace["app"]
    return app


def test_root_readme_example(serve: Callable[..., Any]) -> None:
    namespace: dict[str, Any] = {}
    exec(python_blocks(ROOT / "README.md")[0], namespace)
    with serve(namespace["app"]) as base, httpx.Client(base_url=base) as client:
        response = client.post("/upload?name=Ada", data={"a": "1", "b": "2"})
        assert response.status_code == 200
        assert response.json() == {"hello": "Ada", "fields": 2}
        files = {f"f{i}": (f"{i}.txt", b"x") for i in range(11)}
        response = client.post("/upload", files=files)
        assert response.status_code == 400
        assert response.text == "Too many files. Maximum number of files is 10."


def test_asgi_core_readme_example(serve: Callable[..., Any]) -> None:
    app = first_python_block(ROOT / "packages" / "asgi-core" / "README.md")
    with serve(app) as base, httpx.Client(base_url=base) as client:
        response = client.post("/items", json={"b": 1, "a": 2})
        assert response.status_code == 200
        assert response.text == "/items: ['a', 'b']"
        response = client.post("/items", content=b"{")
        assert response.status_code == 400
        assert response.text.startswith("Invalid JSON in request body: Expecting property name")


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.DOTALL)


def test_asgi_testing_readme_example() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
        elif scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            message = await receive()
            await send({"type": "websocket.send", "text": '{"echo": ' + message["text"] + "}"})
            await receive()
        else:
            await receive()
            await send({"type": "http.response.start", "status": 201, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})

    namespace: dict[str, Any] = {"app": app}
    exec(python_blocks(ROOT / "packages" / "asgi-testing" / "README.md")[0], namespace)
    namespace["test_app"]()


def test_asgi_responses_readme_example() -> None:
    from asgi_testing import TestClient

    namespace: dict[str, Any] = {}
    exec(python_blocks(ROOT / "packages" / "asgi-responses" / "README.md")[0], namespace)
    client = TestClient(namespace["app"])
    assert client.get("/").json() == {"hello": "world"}
    events = client.get("/events")
    assert events.text == 'data: {"n":0}\n\ndata: {"n":1}\n\ndata: {"n":2}\n\n'


def test_asgi_websockets_readme_example() -> None:
    from asgi_testing import TestClient

    namespace: dict[str, Any] = {}
    exec(python_blocks(ROOT / "packages" / "asgi-websockets" / "README.md")[0], namespace)
    with TestClient(namespace["app"]).websocket_connect("/", subprotocols=["chat"]) as session:
        assert session.accepted_subprotocol == "chat"
        session.send_json({"a": 1})
        assert session.receive_json() == {"echo": {"a": 1}}


def test_asgi_routing_readme_example() -> None:
    from asgi_testing import TestClient

    namespace: dict[str, Any] = {}
    exec(python_blocks(ROOT / "packages" / "asgi-routing" / "README.md")[0], namespace)
    client = TestClient(namespace["app"])
    assert client.get("/users/5").json() == {"id": 5, "url": "http://testserver/users/1"}
    assert client.get("/v1/me").json() == {"id": None, "url": "http://testserver/users/1"}
