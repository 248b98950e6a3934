"""A redis-server of one's own on a free loopback port, for tests and the benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _ports import free_port, wait_for_port

__all__ = ["HOW_TO_INSTALL", "redis_executable", "running_redis"]

HOW_TO_INSTALL = (
    "install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) "
    "or set REDIS_SERVER=/path/to/redis-server."
)


def redis_executable() -> str | None:
    """``$REDIS_SERVER``, or redis-server on the PATH, or None."""
    return os.environ.get("REDIS_SERVER") or shutil.which("redis-server")


@contextmanager
def running_redis(executable: str, folder: Path) -> Iterator[str]:
    """Start redis-server without persistence in ``folder``; yield ``"127.0.0.1:PORT"``; kill it."""
    port = free_port()
    command = [executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    command += ["--save", "", "--appendonly", "no", "--logfile", str(folder / "redis.log")]
    process = subprocess.Popen(command)
    try:
        wait_for_port(port)
        yield f"127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait(timeout=10)
