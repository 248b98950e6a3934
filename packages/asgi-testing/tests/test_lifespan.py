"""Lifespan: startup on enter, shutdown on exit, failures raised, apps without lifespan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_testing import ASGIProtocolError, TestClient

MakeClient = Callable[..., TestClient]


def lifespan_app(events: list[str], **behaviour: Any) -> Callable[[Scope, Receive, Send], Any]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            events.append(f"request state={scope['state']}")
            scope["state"]["request_local"] = True  # must not leak into the lifespan state
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        message = await receive()
        assert message["type"] == "lifespan.startup"
        if behaviour.get("startup") == "raise":
            raise RuntimeError("database unreachable")
        if behaviour.get("startup") == "failed":
            await send({"type": "lifespan.startup.failed", "message": "no database"})
            if behaviour.get("then_raise"):
                raise RuntimeError("database unreachable (raised)")
            return
        if behaviour.get("startup") == "return":
            return
        if behaviour.get("startup") == "wrong":
            await send({"type": "lifespan.shutdown.complete"})
            return
        if behaviour.get("startup") == "hang":
            await anyio.sleep_forever()
        scope["state"]["db"] = "connected"
        events.append("startup")
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        assert message["type"] == "lifespan.shutdown"
        events.append("shutdown")
        if behaviour.get("shutdown") == "failed":
            await send({"type": "lifespan.shutdown.failed", "message": "could not flush"})
            return
        if behaviour.get("shutdown") == "raise":
            raise RuntimeError("shutdown crashed")
        if behaviour.get("shutdown") == "return":
            return
        if behaviour.get("shutdown") == "wrong":
            await send({"type": "lifespan.startup.complete"})
            return
        await send({"type": "lifespan.shutdown.complete"})
        if behaviour.get("shutdown") == "raise_after":
            raise RuntimeError("crashed after shutdown")

    return app


def test_startup_and_shutdown_around_requests(make_client: MakeClient) -> None:
    events: list[str] = []
    with make_client(lifespan_app(events)) as client:
        assert events == ["startup"]
        client.get("/")
        client.get("/")
    assert events == [
        "startup",
        "request state={'db': 'connected'}",
        "request state={'db': 'connected'}",
        "shutdown",
    ]


def test_no_lifespan_without_context_manager(make_client: MakeClient) -> None:
    events: list[str] = []
    make_client(lifespan_app(events)).get("/")
    assert events == ["request state={}"]


def test_startup_exception_is_raised(make_client: MakeClient) -> None:
    with pytest.raises(RuntimeError, match="database unreachable"):
        with make_client(lifespan_app([], startup="raise")):
            pass  # pragma: no cover - startup fails


def test_startup_failed_message(make_client: MakeClient) -> None:
    with pytest.raises(RuntimeError, match="^Lifespan startup failed: no database$"):
        with make_client(lifespan_app([], startup="failed")):
            pass  # pragma: no cover - startup fails
    with pytest.raises(RuntimeError, match=r"database unreachable \(raised\)"):
        with make_client(lifespan_app([], startup="failed", then_raise=True)):
            pass  # pragma: no cover - startup fails


def test_startup_protocol_errors(make_client: MakeClient) -> None:
    with pytest.raises(ASGIProtocolError, match="lifespan returned before completing startup"):
        with make_client(lifespan_app([], startup="return")):
            pass  # pragma: no cover - startup fails
    with (
        pytest.raises(
            ASGIProtocolError, match="sent 'lifespan.shutdown.complete' during lifespan startup"
        ),
        make_client(lifespan_app([], startup="wrong")),
    ):
        pass  # pragma: no cover - startup fails


def test_startup_that_hangs_times_out(make_client: MakeClient) -> None:
    with pytest.raises(TimeoutError, match="did not finish lifespan startup within 0.1 seconds"):
        with make_client(lifespan_app([], startup="hang"), timeout=0.1):
            pass  # pragma: no cover - startup fails


@pytest.mark.parametrize(
    ("behaviour", "error", "message"),
    [
        ("failed", RuntimeError, "^Lifespan shutdown failed: could not flush$"),
        ("raise", RuntimeError, "shutdown crashed"),
        ("raise_after", RuntimeError, "crashed after shutdown"),
        ("return", ASGIProtocolError, "lifespan returned before completing shutdown"),
        ("wrong", ASGIProtocolError, "sent 'lifespan.startup.complete' during lifespan shutdown"),
    ],
)
def test_shutdown_failures_are_raised(
    make_client: MakeClient, behaviour: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message), make_client(lifespan_app([], shutdown=behaviour)):
        pass


def test_apps_without_lifespan_support(make_client: MakeClient) -> None:
    async def raises_on_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError("Only HTTP is supported")  # like Django's ASGIHandler
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def ignores_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

    for app in (raises_on_lifespan, ignores_lifespan):
        with make_client(app) as client:
            assert client.get("/").status_code == 204
