"""asgi_framework's session and authentication middleware around a real FastAPI app.

FastAPI's ``request.session``, ``request.user`` and ``request.auth`` read the scope keys our
middleware write (Starlette's keys, in Starlette's shapes), and Starlette's own ``requires``
decorator protects a FastAPI endpoint with the scopes our backend granted.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request
from starlette.authentication import requires as starlette_requires

from asgi_framework.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    BaseUser,
    SimpleUser,
)
from asgi_framework.middleware.authentication import AuthenticationMiddleware
from asgi_framework.middleware.sessions import MemorySessionStore, SessionMiddleware
from asgi_framework.requests import HTTPConnection
from asgi_testing import TestClient


class SessionBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        name = conn.session.get("user")
        if name is None:
            return None
        return AuthCredentials(["authenticated", *conn.session.get("scopes", [])]), SimpleUser(name)


def fastapi_app(store: MemorySessionStore | None) -> FastAPI:
    app = FastAPI()

    @app.post("/login/{name}")
    async def login(name: str, request: Request, admin: bool = False) -> dict[str, Any]:
        request.session["user"] = name
        request.session["scopes"] = ["admin"] if admin else []
        return {"ok": True}

    @app.get("/me")
    async def me(request: Request) -> dict[str, Any]:
        user = request.user
        return {
            "authenticated": user.is_authenticated,
            "name": user.display_name,
            "scopes": request.auth.scopes,
            "class": type(user).__name__,
        }

    @app.get("/admin")
    @starlette_requires("admin")
    async def admin(request: Request) -> dict[str, str]:
        return {"admin": request.user.display_name}

    @app.post("/logout")
    async def logout(request: Request) -> None:
        request.session.clear()

    # added last, so outermost: the session first, then who is logged in
    app.add_middleware(AuthenticationMiddleware, backend=SessionBackend())
    app.add_middleware(SessionMiddleware, secret_key="fastapi secret", store=store)
    return app


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("store", [None, MemorySessionStore()], ids=["cookie", "memory"])
def test_fastapi_reads_the_user_our_middleware_found(
    store: MemorySessionStore | None, backend: Any
) -> None:
    client = TestClient(fastapi_app(store), backend=backend)
    anonymous = client.get("/me").json()
    assert anonymous == {
        "authenticated": False,
        "name": "",
        "scopes": [],
        "class": "UnauthenticatedUser",
    }
    assert client.get("/admin").status_code == 403  # Starlette's requires, our credentials

    client.post("/login/ada")
    assert client.get("/me").json() == {
        "authenticated": True,
        "name": "ada",
        "scopes": ["authenticated"],
        "class": "SimpleUser",
    }
    assert client.get("/admin").status_code == 403

    client.post("/login/ada", params={"admin": "true"})
    assert client.get("/me").json()["scopes"] == ["authenticated", "admin"]
    assert client.get("/admin").json() == {"admin": "ada"}

    client.post("/logout")
    assert client.get("/me").json()["authenticated"] is False
