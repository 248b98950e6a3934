"""Fixtures for whole-framework tests: real servers on loopback, started and stopped here."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from asgi_core.types import ASGIApp

STRICT = os.environ.get("ASGI_STRICT") == "1"
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the examples package
if str(ROOT / "tools") not in sys.path:
    sys.path.append(str(ROOT / "tools"))  # shared development helpers

from _ports import free_port, wait_for_port  # noqa: E402
from _redis import HOW_TO_INSTALL, redis_executable, running_redis  # noqa: E402


@contextmanager
def run_uvicorn(app: ASGIApp) -> Iterator[str]:
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="auto")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def run_hypercorn_trio(app: ASGIApp) -> Iterator[str]:
    """Hypercorn on its trio worker, so the code under test also runs under trio."""
    import trio
    from hypercorn.config import Config
    from hypercorn.trio import serve

    port = free_port()
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.loglevel = "WARNING"
    config.accesslog = None
    started = threading.Event()
    handles: dict[str, Any] = {}

    async def main() -> None:
        stop = trio.Event()
        handles["stop"] = stop
        handles["token"] = trio.lowlevel.current_trio_token()
        started.set()
        await serve(app, config, shutdown_trigger=stop.wait, mode="asgi")  # type: ignore[arg-type]

    thread = threading.Thread(target=trio.run, args=(main,), daemon=True)
    thread.start()
    try:
        started.wait(10)
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        trio.from_thread.run_sync(handles["stop"].set, trio_token=handles["token"])
        thread.join(timeout=10)


SERVERS: dict[str, Callable[[ASGIApp], Any]] = {
    "uvicorn": run_uvicorn,
    "hypercorn-trio": run_hypercorn_trio,
}


@pytest.fixture
def serve_uvicorn() -> Callable[[ASGIApp], Any]:
    """``with serve_uvicorn(app) as base_url:`` runs ``app`` on uvicorn only (asyncio-only apps)."""
    return run_uvicorn


@pytest.fixture(params=sorted(SERVERS))
def serve(request: pytest.FixtureRequest) -> Callable[[ASGIApp], Any]:
    """``with serve(app) as base_url:`` runs ``app`` on real servers.

    uvicorn runs on asyncio and hypercorn on trio, so both event loops see real traffic.
    """
    return SERVERS[str(request.param)]


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[str]:
    """A redis-server of the test's own on a free loopback port: ``"127.0.0.1:PORT"``.

    Started without persistence in the test's temporary folder and killed afterwards. Where
    redis-server is missing the test skips, saying how to install it; under ``ASGI_STRICT=1``
    (CI) it fails instead.
    """
    executable = redis_executable()
    if executable is None:
        reason = f"redis-server is not installed, so this Redis test cannot run: {HOW_TO_INSTALL}"
        if STRICT:
            pytest.fail(f"ASGI_STRICT=1: {reason}")
        pytest.skip(reason)
    with running_redis(executable, tmp_path) as address:
        yield address


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
