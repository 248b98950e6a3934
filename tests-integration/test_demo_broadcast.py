"""The demo's chat and live feed go through asgi-broadcast (examples/demo).

Two chat clients and an SSE client see each other's messages and the new notes: in one
process on ``memory://`` (TestClient, asyncio and trio); across two demo processes (two
uvicorn servers) sharing a real redis-server when ``REDIS_URL`` is set, which no
in-process fan-out could do; and through a broadcast that loses its backend and finds it
again (the chat says so, the feed keeps going).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from _servers import serving
from websockets.sync.client import connect

from asgi_broadcast import Broadcast, BroadcastConnectionError, Listener, MemoryBackend
from asgi_testing import TestClient

ROOT = Path(__file__).resolve().parent.parent
DEMO = "examples.demo.app:app"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("DEMO_DATABASE", str(tmp_path / "demo.sqlite3"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    demo = importlib.import_module("examples.demo.app")
    # a closed feed is noticed at its next ping (ASGI 2.4): soon, so that the test ends soon
    monkeypatch.setattr(demo, "SSE_PING", 0.1)
    return demo


def next_note(lines: Iterator[str]) -> dict[str, Any]:
    """The next ``note`` event of an event stream (comments and pings skipped)."""
    fields: dict[str, str] = {}
    for line in lines:
        if line.startswith(":"):
            continue
        if line:
            name, _, value = line.partition(": ")
            fields[name] = value
        elif fields:
            assert fields["event"] == "note"
            note: dict[str, Any] = json.loads(fields["data"])
            assert fields["id"] == str(note["id"])
            return note
    raise AssertionError("the event stream ended")


def until_connected(lines: Iterator[str]) -> Iterator[str]:
    """``lines`` after the feed's ``: connected`` comment (it is subscribed from then on)."""
    for line in lines:
        if line == ": connected":
            return lines
    raise AssertionError("the event stream ended before ': connected'")


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_chat_and_feed_in_one_process(demo: Any, backend: str) -> None:
    with TestClient(demo.app, backend=backend) as client:  # type: ignore[arg-type]
        # a logged-in visitor chats under the session's name; the anonymous one gives its own
        client.post("/login", data={"username": "ada", "password": "demo"})
        with client.websocket_connect("/ws/chat?name=ignored") as ada:
            assert ada.receive_json() == {"from": "server", "text": "ada joined"}
            client.cookies.clear()  # the next visitor is anonymous
            with client.websocket_connect("/ws/chat?name=bob") as bob:
                joined = {"from": "server", "text": "bob joined"}
                assert ada.receive_json() == bob.receive_json() == joined
                ada.send_text("hello bob")
                said = {"from": "ada", "text": "hello bob"}
                assert ada.receive_json() == bob.receive_json() == said
                bob.send_text("x" * 600)  # cut to 500 characters
                said = {"from": "bob", "text": "x" * 500}
                assert ada.receive_json() == bob.receive_json() == said
        with client.stream("GET", "/api/events") as feed:
            assert feed.headers["content-type"] == "text/event-stream; charset=utf-8"
            lines = until_connected(feed.iter_lines())
            note = client.post("/api/notes", json={"title": "t", "body": "b"}).json()
            assert next_note(lines) == note == {"id": 1, "title": "t", "body": "b"}


def test_chat_and_feed_across_two_demo_processes_over_redis(
    redis_server: str, tmp_path: Path
) -> None:
    """Two demo processes, each with its own broadcast, share only the Redis server."""
    url = f"redis://{redis_server}/0"
    env = {"REDIS_URL": url, "DEMO_SSE_PING": "0.1"}
    first_env = {**env, "DEMO_DATABASE": str(tmp_path / "first.sqlite3")}
    second_env = {**env, "DEMO_DATABASE": str(tmp_path / "second.sqlite3")}
    server = redis.Redis.from_url(url)
    with (
        serving("uvicorn-httptools", DEMO, cwd=ROOT, env=first_env) as one,
        serving("uvicorn-h11", DEMO, cwd=ROOT, env=second_env) as two,
        httpx.Client(base_url=two.url, timeout=10) as other,
        other.stream("GET", "/api/events") as feed,
    ):
        lines = until_connected(feed.iter_lines())
        with connect(one.ws_url + "/ws/chat?name=ada") as ada:
            assert json.loads(ada.recv(timeout=10)) == {"from": "server", "text": "ada joined"}
            with connect(two.ws_url + "/ws/chat?name=bob") as bob:
                joined = {"from": "server", "text": "bob joined"}
                assert (
                    json.loads(bob.recv(timeout=10)) == json.loads(ada.recv(timeout=10)) == joined
                )
                assert {b"asgi-demo:chat", b"asgi-demo:notes"} <= set(server.pubsub_channels())
                ada.send("from the first process")
                said = {"from": "ada", "text": "from the first process"}
                assert json.loads(bob.recv(timeout=10)) == json.loads(ada.recv(timeout=10)) == said
                bob.send("from the second")
                said = {"from": "bob", "text": "from the second"}
                assert json.loads(ada.recv(timeout=10)) == json.loads(bob.recv(timeout=10)) == said
        # a note created by the first process reaches the feed served by the second
        created = httpx.post(one.url + "/api/notes", json={"title": "over", "body": "redis"})
        assert created.status_code == 201
        assert next_note(lines) == created.json()
    for process in (one, two):
        assert "Traceback" not in process.log(), process.log()


class FlakyBackend(MemoryBackend):
    """``memory://`` that can be down: publishing fails, then the recovery is reported."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.was_down = False
        self.listener: Listener | None = None

    async def connect(self, listener: Listener) -> None:
        self.listener = listener
        await super().connect(listener)

    async def publish(self, channel: str, message: str) -> str:
        if self.down:
            self.was_down = True
            raise BroadcastConnectionError("the test took the backend down")
        if self.was_down and self.listener is not None:
            self.was_down = False
            self.listener.reconnected(0.5)  # as a Redis backend reports it when back
        return await super().publish(channel, message)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_an_outage_is_told_not_hidden(
    demo: Any, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = FlakyBackend()
    monkeypatch.setattr(demo, "make_broadcast", lambda: Broadcast(backend=flaky))
    with (
        TestClient(demo.app, backend=backend) as client,  # type: ignore[arg-type]
        client.websocket_connect("/ws/chat?name=ada") as ada,
        client.stream("GET", "/api/events") as feed,
    ):
        lines = until_connected(feed.iter_lines())
        assert ada.receive_json() == {"from": "server", "text": "ada joined"}
        flaky.down = True
        ada.send_text("lost")
        assert ada.receive_json() == {"from": "server", "text": demo.NOT_DELIVERED}
        # the note is saved even though the feed cannot announce it
        note = client.post("/api/notes", json={"title": "quiet", "body": "b"})
        assert note.status_code == 201
        assert client.get("/api/notes/1").json()["title"] == "quiet"
        flaky.down = False
        ada.send_text("back")
        assert ada.receive_json() == {"from": "server", "text": demo.RECONNECTED}
        assert ada.receive_json() == {"from": "ada", "text": "back"}
        # the feed says so as a comment, then goes on
        client.post("/api/notes", json={"title": "loud", "body": "b"})
        comments = (line for line in lines if line and line != ": ping")
        assert next(comments) == ": reconnected: some notes may be missing"
        assert next_note(lines)["title"] == "loud"
