"""Every async test runs on asyncio and trio (the Redis tests on asyncio: see test_redis.py).

``redis_server`` is a real ``redis-server`` on a free loopback port, in a temporary
directory, that a test may kill and start again on the same port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A ``redis-server`` on 127.0.0.1 that keeps nothing on disk; ``kill()`` and ``start()``."""

    def __init__(self, executable: str, directory: Path) -> None:
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.directory / "redis.log"
        command = [
            self.executable,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.directory),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(log),
        ]
        self.process = subprocess.Popen(command)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        self.kill()
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"redis-server did not answer on port {self.port}; its log:\n{tail}")

    def kill(self) -> None:
        """Kill the server at once, as a crash would: every connection to it breaks."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def _redis_server_executable() -> str:
    executable = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if executable is None:
        reason = (
            "redis-server is not installed, so the Redis backend tests cannot run: install it "
            "(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set "
            "REDIS_SERVER=/path/to/redis-server."
        )
        if os.environ.get("ASGI_STRICT") == "1":
            pytest.fail(f"ASGI_STRICT=1: {reason}")
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server shared by the tests that do not stop it (distinct channel names)."""
    server = RedisServer(_redis_server_executable(), tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def own_redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server for one test, which may kill it and start it again."""
    server = RedisServer(_redis_server_executable(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()
