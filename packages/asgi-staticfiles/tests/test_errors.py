"""Who answers a 404/405: the application's exception handlers, or StaticFiles itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asgi_core import HTTPException
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import Receive, Scope, Send
from asgi_responses import PlainTextResponse
from asgi_staticfiles import StaticFiles
from asgi_testing import TestClient


def _registry(app: StaticFiles, by_class: dict[Any, Any]) -> Callable[[Scope, Receive, Send], Any]:
    async def outer(scope: Scope, receive: Receive, send: Send) -> None:
        scope[EXCEPTION_HANDLERS] = (by_class, {})
        await app(scope, receive, send)

    return outer


def test_inside_an_app_handling_our_exception_it_is_raised(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    app = _registry(StaticFiles(directory=tree), {HTTPException: None})
    client = client_for(app)
    with pytest.raises(HTTPException) as info:
        client.get("/missing")
    assert info.value.status_code == 404
    with pytest.raises(HTTPException) as info:
        client.post("/a.txt")
    assert info.value.headers == {"Allow": "GET, HEAD"}


def test_inside_another_framework_its_own_http_exception_is_raised(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    class HTTPException(Exception):  # as Starlette's, which FastAPI registers
        def __init__(
            self, status_code: int, detail: str | None = None, headers: Any = None
        ) -> None:
            self.status_code, self.detail, self.headers = status_code, detail, headers

    app = _registry(StaticFiles(directory=tree), {ValueError: None, HTTPException: None})
    with pytest.raises(HTTPException) as info:
        client_for(app).post("/a.txt")
    assert (info.value.status_code, info.value.detail) == (405, "Method Not Allowed")
    assert info.value.headers == {"Allow": "GET, HEAD"}
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_an_unrelated_class_of_that_name_is_not_used(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    class HTTPException(Exception):
        def __init__(self, message: str) -> None:
            super().__init__(message)

    for registry in ({HTTPException: None}, {"HTTPException": None}, {}):
        response = client_for(_registry(StaticFiles(directory=tree), registry)).get("/missing")
        assert (response.status_code, response.text) == (404, "Not Found")


def test_a_registry_of_another_shape_is_ignored(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    app = StaticFiles(directory=tree)

    async def outer(scope: Scope, receive: Receive, send: Send) -> None:
        scope[EXCEPTION_HANDLERS] = "something else"
        await app(scope, receive, send)

    assert client_for(outer).get("/missing").status_code == 404


def test_the_default_answer_is_the_default_handlers() -> None:
    from asgi_staticfiles._errors import error_response

    response = error_response(HTTPException(405, headers={"Allow": "GET, HEAD"}))
    assert isinstance(response, PlainTextResponse)
    assert response.raw_headers[0] == (b"allow", b"GET, HEAD")
