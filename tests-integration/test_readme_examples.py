"""The ten-line examples of the READMEs run and answer as they claim."""

from __future__ import annotations

import importlib
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def first_python_block(path: Path) -> Callable[..., Any]:
    text = path.read_text()
    match = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert match is not None, f"{path} has no python example"
    namespace: dict[str, Any] = {}
    exec(compile(match[1], str(path), "exec"), namespace)
    app: Callable[..., Any] = namespace["app"]
    return app


def test_root_readme_first_example_is_an_app_with_routes(serve: Callable[..., Any]) -> None:
    first = python_blocks(ROOT / "README.md")[0]
    assert "App(routes=[" in first
    namespace: dict[str, Any] = {}
    exec(first, namespace)
    with serve(namespace["app"]) as base, httpx.Client(base_url=base) as client:
        assert client.get("/").text == "Hello, world!"
        assert client.get("/users/5?q=x").json() == {"id": 5, "q": "x"}
        assert client.get("/users/five").status_code == 404


def test_root_readme_upload_example(serve: Callable[..., Any]) -> None:
    (upload,) = [block for block in python_blocks(ROOT / "README.md") if "request.form(" in block]
    namespace: dict[str, Any] = {}
    exec(upload, namespace)
    with serve(namespace["app"]) as base, httpx.Client(base_url=base) as client:
        response = client.post("/upload?name=Ada", data={"a": "1", "b": "2"})
        assert response.status_code == 200
        assert response.json() == {"hello": "Ada", "fields": 2}
        files = {f"f{i}": (f"{i}.txt", b"x") for i in range(11)}
        response = client.post("/upload", files=files)
        assert response.status_code == 400
        assert response.text == "Too many files. Maximum number of files is 10."


def test_the_readme_names_the_forms_extra_next_to_the_upload_example() -> None:
    text = (ROOT / "README.md").read_text()
    start = text.index("## Forms and uploads")
    section = text[start : text.index("```python", start)]
    assert "`forms` extra (`asgi-core[forms]`" in section
    assert "PEP 668" in text


GETTING_STARTED = ROOT / "docs" / "pages" / "getting-started.md"


def test_getting_started_examples(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from asgi_testing import TestClient

    first, test_module, upload, core = python_blocks(GETTING_STARTED)
    assert "App(routes=[" in first
    (tmp_path / "main.py").write_text(first)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "main", raising=False)
    namespace: dict[str, Any] = {}
    exec(test_module, namespace)
    namespace["test_user"]()

    namespace = {}
    exec(upload, namespace)
    client = TestClient(namespace["app"])
    files = [("files", ("a.txt", b"abc")), ("files", ("b.txt", b"hello"))]
    response = client.post("/upload", files=files)
    assert response.json() == {
        "files": [{"name": "a.txt", "size": 3}, {"name": "b.txt", "size": 5}]
    }
    too_many = client.post("/upload", files=[("files", (f"{i}", b"x")) for i in range(6)])
    assert (too_many.status_code, too_many.text) == (
        400,
        "Too many files. Maximum number of files is 5.",
    )

    namespace = {}
    exec(core, namespace)
    response = TestClient(namespace["app"]).post("/", files=[("files", ("c.txt", b"c"))])
    assert response.text == "got ['c.txt']"


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


def test_asgi_framework_readme_example() -> None:
    from asgi_testing import TestClient

    namespace: dict[str, Any] = {}
    exec(python_blocks(ROOT / "packages" / "asgi-framework" / "README.md")[0], namespace)
    client = TestClient(namespace["app"])
    assert client.get("/users/7?q=a").json() == {"id": 7, "q": "a"}


def test_each_package_readme_installs_from_a_checkout() -> None:
    """The checkout command names the package's folder and those of its asgi-* dependencies."""
    workspace = importlib.import_module("_workspace")
    by_name = {package.name: package for package in workspace.packages()}

    def needed(name: str) -> set[str]:
        found = {name}
        for requirement in by_name[name].dependencies:
            dependency = workspace.requirement_name(requirement)
            if dependency in by_name:
                found |= needed(dependency)
        return found

    for name in by_name:
        readme = (ROOT / "packages" / name / "README.md").read_text()
        (command,) = re.findall(r"^pip install (\./packages/[^#\n]*)", readme, re.MULTILINE)
        folders = {folder.removeprefix("./packages/") for folder in shlex.split(command)}
        assert folders == needed(name), name


def test_migration_is_replacing_the_import_root() -> None:
    """In the migration guide's example, "after" is "before" with the imports renamed."""
    from asgi_testing import TestClient

    example = python_blocks(ROOT / "docs" / "pages" / "migration.md")[0]
    before, after = example.split("# after\n")
    before = before.removeprefix("# before\n").strip()
    assert before.replace("from starlette.", "from asgi_framework.") == after.strip()

    async def home(request: Any) -> Any:
        from asgi_framework.responses import PlainTextResponse

        return PlainTextResponse("home")

    namespace: dict[str, Any] = {"home": home}
    exec(after, namespace)
    assert TestClient(namespace["app"]).get("/").text == "home"
    assert type(namespace["app"]).__name__ == "App"
