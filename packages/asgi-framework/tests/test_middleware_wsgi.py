"""asgi_framework.middleware.wsgi: WSGI apps under ASGI through a2wsgi, deprecated as Starlette."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, Literal

import pytest

from asgi_core import AsgiDeprecationWarning
from asgi_framework import App
from asgi_routing import Mount
from asgi_testing import TestClient, WebSocketDisconnect

Client = Callable[..., TestClient]

DEPRECATION = (
    "asgi_framework.middleware.wsgi is deprecated and will be removed in a future release. "
    "Please refer to https://github.com/abersheeran/a2wsgi as a replacement."
)


def fresh_import() -> ModuleType:
    """Import the module anew, so that its import-time warning is emitted again."""
    sys.modules.pop("asgi_framework.middleware.wsgi", None)
    return importlib.import_module("asgi_framework.middleware.wsgi")


@pytest.fixture
def wsgi() -> ModuleType:
    with pytest.warns(AsgiDeprecationWarning):
        return fresh_import()


def echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A tiny WSGI app: answers with what it was given."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    status = "201 Created" if environ["REQUEST_METHOD"] == "POST" else "200 OK"
    start_response(status, [("Content-Type", "text/plain"), ("X-Wsgi", "yes")])
    lines = [
        f"{environ['REQUEST_METHOD']} {environ['SCRIPT_NAME']} {environ['PATH_INFO']}",
        f"query={environ['QUERY_STRING']} header={environ.get('HTTP_X_NAME')}",
        f"body={body.decode()}",
    ]
    return [line.encode() + b"\n" for line in lines]


def test_importing_warns_at_the_importing_line() -> None:
    sys.modules.pop("asgi_framework.middleware.wsgi", None)
    importing = compile("import asgi_framework.middleware.wsgi", __file__, "exec")
    with pytest.warns(AsgiDeprecationWarning, match=re.escape(DEPRECATION)) as record:
        exec(importing, {})
    (warning,) = record
    assert issubclass(warning.category, UserWarning)  # users see it by default
    assert warning.filename == __file__  # the line that imports the module


def test_the_starlette_names(wsgi: ModuleType) -> None:
    from a2wsgi.wsgi import WSGIResponder, build_environ

    assert wsgi.__all__ == ["WSGIMiddleware", "WSGIResponder", "build_environ"]
    assert wsgi.WSGIResponder is WSGIResponder
    assert wsgi.build_environ is build_environ


def test_a_mounted_wsgi_app_on_asyncio(wsgi: ModuleType) -> None:
    middleware = wsgi.WSGIMiddleware(echo, workers=2)
    assert middleware.app is echo
    app = App(routes=[Mount("/legacy", app=middleware)])
    with TestClient(app, backend="asyncio") as client:
        response = client.get("/legacy/a/b?x=1", headers={"X-Name": "ada"})
        assert response.status_code == 200
        assert response.headers["x-wsgi"] == "yes"
        assert response.text == "GET /legacy /a/b\nquery=x=1 header=ada\nbody=\n"
        posted = client.post("/legacy/form", content=b"name=ada")
        assert posted.status_code == 201
        assert posted.text.splitlines()[::2] == ["POST /legacy /form", "body=name=ada"]


def test_trio_is_refused_with_a_clear_error(wsgi: ModuleType) -> None:
    app = App(routes=[Mount("/legacy", app=wsgi.WSGIMiddleware(echo))])
    with (
        TestClient(app, backend="trio") as client,
        pytest.raises(RuntimeError, match="serves WSGI apps on asyncio only"),
    ):
        client.get("/legacy/")


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_websockets_are_closed_and_lifespan_acknowledged(
    wsgi: ModuleType, backend: Literal["asyncio", "trio"]
) -> None:
    middleware = wsgi.WSGIMiddleware(echo)
    with TestClient(middleware, backend=backend) as client:  # the lifespan is acknowledged
        with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/"):
            pass  # pragma: no cover - the connection is closed before it is accepted
        assert info.value.code == 1000


def test_without_the_wsgi_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "a2wsgi", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "asgi_framework.middleware.wsgi", raising=False)
    expected = (
        "asgi_framework.middleware.wsgi needs the 'wsgi' extra: pip install 'asgi-framework[wsgi]'"
    )
    with pytest.raises(ImportError, match=re.escape(expected)) as info:
        importlib.import_module("asgi_framework.middleware.wsgi")
    assert isinstance(info.value.__cause__, ImportError)
