"""Our SessionMiddleware inside a real FastAPI app: request.session reads and writes it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request

from asgi_middleware_sessions import MemorySessionStore, Session, SessionMiddleware
from asgi_testing import TestClient


def fastapi_app(**options: Any) -> FastAPI:
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="fastapi secret", **options)

    @app.post("/login/{user}")
    async def login(user: str, request: Request) -> dict[str, Any]:
        request.session.regenerate()  # type: ignore[attr-defined]
        request.session["user"] = user
        return {"type": type(request.session).__name__}

    @app.get("/me")
    async def me(request: Request) -> dict[str, Any]:
        return {"user": request.session.get("user")}

    @app.get("/health")
    async def health() -> str:
        return "ok"

    @app.post("/logout")
    async def logout(request: Request) -> None:
        request.session.clear()

    return app


@pytest.mark.parametrize("store", [None, MemorySessionStore()], ids=["cookie", "memory"])
def test_a_fastapi_endpoint_reads_the_session_our_middleware_wrote(
    store: MemorySessionStore | None,
) -> None:
    client = TestClient(fastapi_app(store=store))
    response = client.post("/login/ada")
    assert response.json() == {"type": Session.__name__}
    assert "set-cookie" in response.headers

    response = client.get("/me")
    assert response.json() == {"user": "ada"}
    assert response.headers["vary"] == "Cookie"  # FastAPI's request.session marks it accessed
    assert "set-cookie" not in response.headers

    response = client.get("/health")
    assert "vary" not in response.headers

    response = client.post("/logout")
    assert response.headers["set-cookie"].startswith("session=null; path=/; expires=Thu, 01 Jan")
    assert client.get("/me").json() == {"user": None}
