"""Scale-out: two worker processes on loopback sharing one real redis-server.

``scaleout_app`` keeps its sessions in Redis (``RedisSessionStore``) and its chat and news
feed on a ``redis://`` broadcast. Served by ``uvicorn --workers 2`` and by gunicorn with two
uvicorn workers, it must behave as one application whichever process a connection lands on:

- a session written through one worker is read through the other;
- a chat message sent by a WebSocket client of one worker reaches a client of the other;
- a Server-Sent Events client receives what another process publishes, both another worker
  and a process outside the server.

The kernel decides which worker accepts each new connection; every answer names its worker
(``x-worker-pid``), and the helpers open new connections until both workers have answered.
Real processes, so these tests are synchronous, on the server's own asyncio loop (redis-py's
asyncio client has no trio counterpart).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import anyio
import httpx
import pytest
from _ports import free_port, wait_for_port
from websockets.sync.client import ClientConnection, connect

from asgi_framework.broadcast import Broadcast

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
T = TypeVar("T")
#: How many new connections to try before deciding that one worker never gets any.
ATTEMPTS = 200


def uvicorn_command(port: int) -> list[str]:
    return [
        *(sys.executable, "-m", "uvicorn", "scaleout_app:app", "--app-dir", str(HERE)),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--log-level", "warning"),
    ]


def gunicorn_command(port: int) -> list[str]:
    return [
        *(sys.executable, "-m", "gunicorn", "scaleout_app:app", "--chdir", str(HERE)),
        *("--workers", "2", "--worker-class", "uvicorn_worker.UvicornWorker"),
        *("--bind", f"127.0.0.1:{port}", "--log-level", "warning"),
    ]


SERVERS: dict[str, Callable[[int], list[str]]] = {
    "uvicorn --workers 2": uvicorn_command,
    "gunicorn -k uvicorn_worker.UvicornWorker -w 2": gunicorn_command,
    "uvicorn --workers 2 behind nginx": uvicorn_command,
}
DEPLOYMENT_GUIDE = ROOT / "docs" / "pages" / "deployment.md"


def nginx_config(guide: str, upstream_port: int, port: int, folder: Path) -> str:
    """The deployment guide's nginx example, on loopback without TLS, as a whole nginx.conf."""
    (example,) = re.findall(r"```nginx\n(.*?)```", guide, re.DOTALL)
    upstream = re.sub(
        r"(?m)^(\s*)server \d+\.\d+\.\d+\.\d+:\d+;.*\n", "", example, count=0
    ).replace("upstream app {", f"upstream app {{\n    server 127.0.0.1:{upstream_port};")
    site = upstream.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    assert f"server 127.0.0.1:{upstream_port};" in site
    assert f"listen 127.0.0.1:{port};" in site
    temporary = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temporary}\nuwsgi_temp_path {folder / 'uwsgi'};\n"
        f"scgi_temp_path {folder / 'scgi'};\n{site}}}\n"
    )


@contextlib.contextmanager
def nginx_in_front(upstream_port: int, folder: Path) -> Iterator[int]:
    """nginx with the deployment guide's configuration, proxying to ``upstream_port``."""
    executable = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if executable is None:
        reason = (
            "nginx is not installed, so the deployment guide's nginx example cannot be "
            "tested: apt-get install nginx (Debian/Ubuntu) or brew install nginx (macOS)"
        )
        if os.environ.get("ASGI_STRICT") == "1":
            pytest.fail(f"ASGI_STRICT=1: {reason}")
        pytest.skip(reason)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(DEPLOYMENT_GUIDE.read_text(), upstream_port, port, folder))
    process = subprocess.Popen([executable, "-p", str(folder), "-c", str(config)])
    try:
        wait_for_port(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def pid_of(response: httpx.Response) -> str:
    return response.headers["x-worker-pid"]


def until_other_worker(than: str, attempt: Callable[[], tuple[str, T]]) -> T:
    """Run ``attempt`` (one new connection each time) until a worker other than ``than`` answers."""
    seen = set()
    for _ in range(ATTEMPTS):
        pid, result = attempt()
        if pid != than:
            return result
        seen.add(pid)
    raise AssertionError(f"{ATTEMPTS} new connections all went to worker {seen}")


@pytest.fixture(params=sorted(SERVERS))
def server(
    request: pytest.FixtureRequest, redis_server: str, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """The scale-out app on two worker processes: ``(base_url, redis_url)``."""
    name = str(request.param)
    port = free_port()
    redis_url = f"redis://{redis_server}/0"
    env = {**os.environ, "REDIS_URL": redis_url}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    process = subprocess.Popen(SERVERS[name](port), env=env, start_new_session=True)
    try:
        wait_for_port(port, timeout=30)
        with contextlib.ExitStack() as stack:
            if name.endswith("behind nginx"):
                port = stack.enter_context(nginx_in_front(port, tmp_path))
            base_url = f"http://127.0.0.1:{port}"
            yield from both_workers_ready(base_url, redis_url)
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the supervisor and its workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when shutdown hangs
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        assert process.returncode is not None


def both_workers_ready(base_url: str, redis_url: str) -> Iterator[tuple[str, str]]:
    """Yield once each worker has answered: both ran their lifespan (connected the broadcast)."""
    first = pid_of(httpx.get(f"{base_url}/whoami"))
    until_other_worker(first, lambda: (pid_of(r := httpx.get(f"{base_url}/whoami")), r))
    yield base_url, redis_url


def test_a_session_written_by_one_worker_is_read_by_the_other(server: tuple[str, str]) -> None:
    base_url, _ = server
    written = httpx.post(f"{base_url}/session/colour", content="blue")
    assert written.status_code == 200
    cookie = written.cookies["session"]

    def read() -> tuple[str, httpx.Response]:
        response = httpx.get(f"{base_url}/session/colour", cookies={"session": cookie})
        return pid_of(response), response

    response = until_other_worker(pid_of(written), read)
    assert response.status_code == 200
    assert response.json() == {"value": "blue"}
    # and a visitor without the cookie has no such session on either worker
    assert httpx.get(f"{base_url}/session/colour").json() == {"value": None}


@pytest.fixture
def chat_clients(server: tuple[str, str]) -> Iterator[tuple[ClientConnection, ClientConnection]]:
    """Two chat clients connected to two different workers."""
    ws_url = server[0].replace("http://", "ws://") + "/chat"
    opened = contextlib.ExitStack()

    def join() -> tuple[str, ClientConnection]:
        client = opened.enter_context(connect(ws_url, open_timeout=10))
        hello = client.recv(timeout=10)
        assert isinstance(hello, str)
        assert hello.startswith("worker ")
        return hello.removeprefix("worker "), client

    with opened:  # closes every client opened, also those that went to the first worker
        first_pid, first = join()
        second = until_other_worker(first_pid, join)
        yield first, second


def test_a_chat_message_crosses_from_one_worker_to_the_other(
    chat_clients: tuple[ClientConnection, ClientConnection],
) -> None:
    first, second = chat_clients
    first.send("hello from the first worker")
    assert second.recv(timeout=10) == "hello from the first worker"
    assert first.recv(timeout=10) == "hello from the first worker"  # the sender's own echo
    second.send("and back from the second")
    assert first.recv(timeout=10) == "and back from the second"
    assert second.recv(timeout=10) == "and back from the second"


def next_event(lines: Iterator[str]) -> tuple[str, str]:
    """The next ``(event, data)`` of a Server-Sent Events stream, skipping pings."""
    fields: dict[str, str] = {}
    for line in lines:
        if line == "":
            if fields:
                return fields.get("event", "message"), fields.get("data", "")
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        fields[name] = value.removeprefix(" ")
    raise AssertionError("the event stream ended")


async def publish_from_another_process(redis_url: str, message: str) -> None:
    async with Broadcast(redis_url) as broadcast:
        await broadcast.publish("news", message)


def test_server_sent_events_receive_what_other_processes_publish(
    server: tuple[str, str],
) -> None:
    base_url, redis_url = server
    with httpx.stream("GET", f"{base_url}/news", timeout=10) as feed:
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("text/event-stream")
        lines = feed.iter_lines()
        event, data = next_event(lines)  # sent once subscribed
        assert event == "hello"
        assert data == f"worker {pid_of(feed)}"

        def publish() -> tuple[str, httpx.Response]:
            url = f"{base_url}/publish/news?not_on={pid_of(feed)}"
            response = httpx.post(url, content="from the other worker")
            return pid_of(response), response

        assert until_other_worker(pid_of(feed), publish).status_code == 202
        assert next_event(lines) == ("news", "from the other worker")

        # a process that is no web server at all: a script, a queue worker, a cron job
        anyio.run(publish_from_another_process, redis_url, "from outside the server")
        assert next_event(lines) == ("news", "from outside the server")
