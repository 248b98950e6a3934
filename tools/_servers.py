"""Real ASGI servers in processes of their own, on free loopback ports, for tests and tools.

``with serving("granian", "examples.demo.app:app") as server:`` starts the server, waits until
it accepts connections and yields a :class:`Server` (``server.url``); afterwards it stops the
server (SIGINT, as Ctrl+C would: each of them shuts down gracefully on it; killed if it
has not exited 10 s later). What the server prints goes to a log file that ``server.log()``
reads, so that a test can show it or check that no traceback was logged.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from _ports import free_port

__all__ = ["SERVERS", "Server", "command", "serving"]

#: The servers and, for uvicorn and hypercorn, the implementation of each: uvicorn's two
#: HTTP parsers (WebSockets through the ``websockets`` library), hypercorn's asyncio
#: and trio workers, and granian (Rust; HTTP/1.1 and WebSockets of its own).
SERVERS = ("uvicorn-h11", "uvicorn-httptools", "hypercorn-asyncio", "hypercorn-trio", "granian")

#: The event loop each server runs the application on.
LOOPS = {
    "uvicorn-h11": "asyncio",
    "uvicorn-httptools": "asyncio",
    "hypercorn-asyncio": "asyncio",
    "hypercorn-trio": "trio",
    "granian": "asyncio",
}


def command(kind: str, target: str, port: int) -> list[str]:
    """The command line that serves ``target`` (``"module:attribute"``) with ``kind``."""
    python = sys.executable
    address = ["--host", "127.0.0.1", "--port", str(port)]
    if kind in ("uvicorn-h11", "uvicorn-httptools"):
        http = kind.partition("-")[2]
        options = ["--http", http, "--lifespan", "on"]
        return [python, "-m", "uvicorn", target, *address, *options, "--log-level", "warning"]
    if kind in ("hypercorn-asyncio", "hypercorn-trio"):
        worker = kind.partition("-")[2]
        bind = ["--bind", f"127.0.0.1:{port}", "--worker-class", worker]
        return [python, "-m", "hypercorn", target, *bind, "--log-level", "WARNING"]
    if kind == "granian":
        options = ["--interface", "asgi", "--workers", "1", "--log-level", "warning"]
        return [python, "-m", "granian", *address, *options, target]
    raise ValueError(f"unknown server {kind!r}: one of {', '.join(SERVERS)}")


@dataclass
class Server:
    """A running server: its kind, base URL, process and log file."""

    kind: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    final_log: str | None = None

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")

    def log(self) -> str:
        """Everything the server printed so far (all of it once stopped)."""
        if self.final_log is not None:
            return self.final_log
        return self.log_path.read_text(errors="replace")


@contextmanager
def serving(
    kind: str,
    target: str,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    python_path: tuple[Path, ...] = (),
    timeout: float = 20.0,
) -> Iterator[Server]:
    """Serve ``target`` with ``kind`` (see :data:`SERVERS`) until the block ends.

    ``python_path`` folders are put first on the server's ``PYTHONPATH`` (where ``target``'s
    module is found); ``env`` adds environment variables.
    """
    port = free_port()
    variables = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    paths = [str(path) for path in python_path]
    if variables.get("PYTHONPATH"):
        paths.append(variables["PYTHONPATH"])
    variables["PYTHONPATH"] = os.pathsep.join(paths)
    with tempfile.TemporaryDirectory(prefix=f"asgi-{kind}-") as folder:
        log_path = Path(folder) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command(kind, target, port),
                cwd=cwd,
                env=variables,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        server = Server(kind, f"http://127.0.0.1:{port}", process, log_path)
        try:
            wait_until_listening(server, port, timeout)
            yield server
        finally:
            stop(process)
            server.final_log = server.log()


def wait_until_listening(server: Server, port: int, timeout: float) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.kind} exited with {server.process.returncode} before listening on "
                f"port {port}; its output:\n{server.log()}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{server.kind} did not listen on port {port} within {timeout} s; its "
                    f"output:\n{server.log()}"
                ) from None
            time.sleep(0.05)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
