"""Sessions move between Starlette's SessionMiddleware and ours with the same secret key.

Starlette is used as a black box: its middleware writes a cookie that ours reads, and the
other way round, through one test client so the browser's cookie jar is shared.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_sessions import SessionMiddleware
from asgi_testing import TestClient

sessions = pytest.importorskip(
    "starlette.middleware.sessions",
    reason="Starlette is not installed: the hatch-test environment brings it with FastAPI "
    "(pip install starlette itsdangerous to run this compatibility test elsewhere)",
)


async def inner(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the session on GET, stores the query on POST, answers it as JSON."""
    session = scope["session"]
    if scope["method"] == "POST":
        key, _, value = unquote(scope["query_string"].decode()).partition("=")
        session[key] = value
    body = json.dumps(dict(session)).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def both(**options: Any) -> Any:
    """``/starlette/...`` through Starlette's middleware, ``/ours/...`` through ours."""
    theirs = sessions.SessionMiddleware(inner, **options)
    ours = SessionMiddleware(inner, **options)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        target = theirs if scope["path"].startswith("/starlette") else ours
        await target(scope, receive, send)

    return app


@pytest.mark.parametrize(
    "options",
    [
        {"secret_key": "shared"},
        {"secret_key": "shared", "session_cookie": "sid", "max_age": None},
    ],
)
def test_a_session_moves_both_ways(options: dict[str, Any]) -> None:
    client = TestClient(both(**options))
    assert client.post("/starlette?user=ada").json() == {"user": "ada"}
    assert client.get("/ours").json() == {"user": "ada"}
    assert client.post("/ours?cart=3").json() == {"user": "ada", "cart": "3"}
    assert client.get("/starlette").json() == {"user": "ada", "cart": "3"}
    assert client.post("/starlette?é=ü").json() == {"user": "ada", "cart": "3", "é": "ü"}
    assert client.get("/ours").json() == {"user": "ada", "cart": "3", "é": "ü"}


def test_rotating_away_from_a_starlette_key() -> None:
    old = TestClient(sessions.SessionMiddleware(inner, secret_key="old"))
    old.post("/?user=ada")
    rotated = TestClient(SessionMiddleware(inner, secret_key=["new", "old"]), cookies=old.cookies)
    assert rotated.get("/").json() == {"user": "ada"}
    rotated.post("/?n=1")
    new_only = TestClient(sessions.SessionMiddleware(inner, secret_key="new"))
    new_only.cookies = rotated.cookies
    assert new_only.get("/").json() == {"user": "ada", "n": "1"}
