"""The examples of asgi-broadcast's README run and answer as they claim."""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "packages" / "asgi-broadcast" / "README.md"


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def test_ten_lines(capsys: pytest.CaptureFixture[str]) -> None:
    exec(blocks()[0], {})
    assert capsys.readouterr().out == "chat Hello!\n"


def test_every_example_compiles() -> None:
    for number, block in enumerate(blocks()):
        compile(block, f"{README}:block{number}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_application_example(backend: str) -> None:
    from asgi_testing import TestClient

    (example,) = [block for block in blocks() if "App(routes=" in block]
    url = '"redis-stream://localhost:6379/0"'
    assert url in example
    namespace: dict[str, Any] = {}
    exec(example.replace(url, '"memory://", maxlen=100'), namespace)
    broadcast = namespace["broadcast"]
    with TestClient(namespace["app"], backend=backend) as client:  # type: ignore[arg-type]
        with client.websocket_connect("/chat") as ada, client.websocket_connect("/chat") as bob:
            deadline = time.monotonic() + 10
            while broadcast.subscriber_count("chat") < 2:  # both have subscribed
                assert time.monotonic() < deadline
                time.sleep(0.01)
            ada.send_text("hello")
            assert ada.receive_text() == bob.receive_text() == "hello"
        response = client.get("/feed", headers={"Last-Event-ID": "yesterday"})
        assert (response.status_code, response.text) == (400, "Invalid Last-Event-ID")


DOCS_PAGE = README.parent.parent.parent / "docs" / "pages" / "packages" / "asgi-broadcast.md"


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_docs_page_examples(backend: str) -> None:
    from asgi_testing import TestClient

    rooms, feed = re.findall(r"```python\n(.*?)```", DOCS_PAGE.read_text(), re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(rooms, namespace)
    with TestClient(namespace["app"], backend=backend) as client:  # type: ignore[arg-type]
        with (
            client.websocket_connect("/rooms/blue") as ada,
            client.websocket_connect("/rooms/blue") as bob,
            client.websocket_connect("/rooms/red") as eve,
        ):
            deadline = time.monotonic() + 10
            while namespace["broadcast"].subscriber_count() < 3:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            ada.send_text("blue only")
            eve.send_text("red only")
            assert ada.receive_text() == bob.receive_text() == "blue only"
            assert eve.receive_text() == "red only"
    compile(feed, str(DOCS_PAGE), "exec")
