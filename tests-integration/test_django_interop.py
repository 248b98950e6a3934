"""Our sessions, authentication, static files and routing around a real Django ASGI app.

Django's ``ASGIHandler`` is mounted at ``/django`` of an ``asgi_framework.App`` beside our
``StaticFiles``; our ``SessionMiddleware`` (cookie sessions and a server-side store) and an
``AuthenticationMiddleware`` backend wrap both. Django views read and write the session our
middleware put in the scope (``request.scope["session"]``), see the user our backend found
(``request.scope["user"]``), and build URLs that know the mount (``SCRIPT_NAME`` from
``root_path``). Driven by our TestClient and over TCP by uvicorn (Django's handler needs
asyncio, so no trio here).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from asgi_core.types import ASGIApp
from asgi_framework import App
from asgi_framework.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    BaseUser,
    SimpleUser,
)
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.authentication import AuthenticationMiddleware
from asgi_framework.middleware.sessions import MemorySessionStore, SessionMiddleware
from asgi_framework.requests import HTTPConnection
from asgi_framework.routing import Mount
from asgi_framework.staticfiles import StaticFiles
from asgi_testing import TestClient

URLS = "django_interop_urls"


def django_handler() -> ASGIApp:
    """Django's ASGI handler with this module's views, whoever configured the settings first."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="test-only-secret-key-of-sufficient-length-1234567890",
            ROOT_URLCONF="interop_django_urls",
            ALLOWED_HOSTS=["testserver"],
            MIDDLEWARE=[],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    from django.core.handlers.asgi import ASGIHandler
    from django.http import HttpRequest, HttpResponse, JsonResponse
    from django.urls import path, reverse

    if URLS not in sys.modules:
        urls = types.ModuleType(URLS)

        def sign_in(request: HttpRequest) -> HttpResponse:
            session = request.scope["session"]
            session["name"] = request.POST["name"]
            session["visits"] = 0
            return HttpResponse(status=204)

        def me(request: HttpRequest) -> JsonResponse:
            session = request.scope["session"]
            user: BaseUser = request.scope["user"]
            if user.is_authenticated:
                session["visits"] += 1
            return JsonResponse(
                {
                    "user": user.display_name if user.is_authenticated else None,
                    "scopes": request.scope["auth"].scopes,
                    "visits": session.get("visits"),
                    "path": request.path,
                    "url": reverse("me"),
                }
            )

        def sign_out(request: HttpRequest) -> HttpResponse:
            request.scope["session"].clear()
            return HttpResponse(status=204)

        urls.urlpatterns = [  # type: ignore[attr-defined]
            path("sign-in", sign_in),
            path("me", me, name="me"),
            path("sign-out", sign_out),
        ]
        sys.modules[URLS] = urls

    class Handler(ASGIHandler):  # type: ignore[misc,unused-ignore]
        def create_request(self, scope: Any, body_file: Any) -> Any:
            request, error = super().create_request(scope, body_file)
            if request is not None:
                request.urlconf = URLS
            return request, error

    handler: ASGIApp = Handler()
    return handler


class SessionBackend(AuthenticationBackend):
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        name = conn.session.get("name")
        if not isinstance(name, str):
            return None
        return AuthCredentials(["authenticated", "django"]), SimpleUser(name)


def make_app(static: Path, **session_options: Any) -> App:
    return App(
        routes=[
            Mount("/static", StaticFiles(directory=static), name="static"),
            Mount("/django", django_handler()),
        ],
        middleware=[
            Middleware(SessionMiddleware, secret_key="django-interop-secret", **session_options),
            Middleware(AuthenticationMiddleware, backend=SessionBackend()),
        ],
    )


@pytest.fixture
def static(tmp_path: Path) -> Path:
    (tmp_path / "app.css").write_text("body { color: teal; }")
    return tmp_path


def check(client: httpx.Client | TestClient) -> None:
    anonymous = client.get("/django/me").json()
    assert anonymous == {
        "user": None,
        "scopes": [],
        "visits": None,
        "path": "/django/me",
        "url": "/django/me",  # Django's reverse() knows the mount (SCRIPT_NAME)
    }
    signed = client.post("/django/sign-in", data={"name": "ada"})
    assert signed.status_code == 204
    assert signed.headers["set-cookie"].startswith("session=")
    for visits in (1, 2):
        page = client.get("/django/me").json()
        assert (page["user"], page["scopes"], page["visits"]) == (
            "ada",
            ["authenticated", "django"],
            visits,
        )
    css = client.get("/static/app.css")
    assert (css.status_code, css.text) == (200, "body { color: teal; }")
    assert "set-cookie" not in css.headers  # static files leave the session alone
    out = client.post("/django/sign-out")
    assert out.headers["set-cookie"].startswith("session=null;")
    assert client.get("/django/me").json()["user"] is None
    assert client.get("/django/nowhere").status_code == 404  # Django's own 404


@pytest.mark.parametrize(
    "session_options",
    [{}, {"store": MemorySessionStore()}],
    ids=["cookie-sessions", "server-side-store"],
)
def test_django_with_our_sessions_and_auth(static: Path, session_options: dict[str, Any]) -> None:
    with TestClient(make_app(static, **session_options), backend="asyncio") as client:
        check(client)


def test_django_with_our_sessions_and_auth_on_uvicorn(
    static: Path, serve_uvicorn: Callable[[ASGIApp], Any]
) -> None:
    app = make_app(static, store=MemorySessionStore())
    headers = {"host": "testserver"}  # the host Django's settings allow
    with serve_uvicorn(app) as base, httpx.Client(base_url=base, headers=headers) as client:
        check(client)
