"""``install_as_starlette()``: ``import starlette`` loads asgi-framework's modules.

The in-process tests install the finder into a copy of ``sys.meta_path`` with every
``starlette`` module set aside, and put everything back afterwards; the subprocess tests
check what a fresh interpreter sees (the real Starlette is installed in the test
environment, as FastAPI's dependency).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator

import pytest

import asgi_framework
import asgi_framework.routing
from asgi_core import get_route_path, is_async_callable
from asgi_framework import install_as_starlette
from asgi_framework._starlette_compat import _installer
from asgi_framework.middleware import body_limit


def _starlette_modules() -> dict[str, types.ModuleType]:
    return {
        name: module
        for name, module in sys.modules.items()
        if name == "starlette" or name.startswith("starlette.")
    }


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No ``starlette`` module imported, a meta path of its own; all restored afterwards."""
    saved = _starlette_modules()
    for name in saved:
        del sys.modules[name]
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    try:
        yield
    finally:
        for name in _starlette_modules():
            del sys.modules[name]
        sys.modules.update(saved)
        vars(body_limit).pop("_RequestBodyTooLarge", None)


def _finders() -> int:
    return sum(isinstance(finder, _installer._StarletteFinder) for finder in sys.meta_path)


def test_exported() -> None:
    assert "install_as_starlette" in asgi_framework.__all__
    assert asgi_framework.install_as_starlette is install_as_starlette


@pytest.mark.usefixtures("clean")
def test_starlette_modules_are_the_facade_modules() -> None:
    install_as_starlette()
    starlette = importlib.import_module("starlette")
    routing = importlib.import_module("starlette.routing")
    cors = importlib.import_module("starlette.middleware.cors")
    applications = importlib.import_module("starlette.applications")

    assert starlette.__name__ == "asgi_framework._starlette_compat"
    assert starlette.__version__ == "1.10.0"
    assert routing is asgi_framework.routing
    assert routing.Route is asgi_framework.routing.Route
    assert cors is importlib.import_module("asgi_framework.middleware.cors")
    # the modules keep their own spec
    assert routing.__spec__ is not None
    assert routing.__spec__.name == "asgi_framework.routing"
    assert sys.modules["starlette.routing"] is asgi_framework.routing
    assert applications.Starlette is asgi_framework.App
    assert starlette.routing is routing


@pytest.mark.usefixtures("clean")
def test_from_starlette_import_a_module() -> None:
    install_as_starlette()
    namespace: dict[str, object] = {}
    exec("from starlette import status", namespace)
    assert namespace["status"] is importlib.import_module("asgi_framework.status")
    with pytest.raises(ImportError, match="cannot import name 'nope'"):
        exec("from starlette import nope", namespace)


@pytest.mark.usefixtures("clean")
def test_private_modules_fastapi_imports() -> None:
    install_as_starlette()
    from starlette._exception_handler import wrap_app_handling_exceptions
    from starlette._utils import get_route_path as compat_get_route_path
    from starlette._utils import is_async_callable as compat_is_async_callable

    assert compat_get_route_path is get_route_path
    assert compat_is_async_callable is is_async_callable
    assert callable(wrap_app_handling_exceptions)
    starlette = importlib.import_module("starlette")
    assert starlette._utils is importlib.import_module("asgi_framework._starlette_compat._utils")


@pytest.mark.usefixtures("clean")
def test_private_names_fastapi_looks_up() -> None:
    assert not hasattr(body_limit, "_RequestBodyTooLarge")  # not before the opt-in
    install_as_starlette()
    module = importlib.import_module("starlette.middleware.body_limit")
    assert module._RequestBodyTooLarge is body_limit.RequestBodyTooLarge


@pytest.mark.usefixtures("clean")
@pytest.mark.parametrize(
    "name", ["starlette.nope", "starlette._installer", "starlette._app", "starlette.middleware.x"]
)
def test_unknown_modules(name: str) -> None:
    install_as_starlette()
    with pytest.raises(ModuleNotFoundError, match="has no module laid out like it") as info:
        importlib.import_module(name)
    assert info.value.name == name


@pytest.mark.usefixtures("clean")
def test_a_missing_dependency_is_the_error_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    install_as_starlette()

    def import_module(name: str) -> types.ModuleType:
        raise ModuleNotFoundError("No module named 'jinja2'", name="jinja2")

    monkeypatch.setattr(_installer, "import_module", import_module)
    with pytest.raises(ModuleNotFoundError, match="jinja2"):
        importlib.import_module("starlette.templating")


@pytest.mark.usefixtures("clean")
def test_other_imports_are_left_alone() -> None:
    install_as_starlette()
    finder = _installer._StarletteFinder()
    assert finder.find_spec("json", None) is None
    assert finder.find_spec("starlettex", None) is None


@pytest.mark.usefixtures("clean")
def test_idempotent() -> None:
    install_as_starlette()
    routing = importlib.import_module("starlette.routing")
    install_as_starlette()
    assert _finders() == 1
    assert isinstance(sys.meta_path[0], _installer._StarletteFinder)
    assert routing is asgi_framework.routing


@pytest.mark.usefixtures("clean")
@pytest.mark.parametrize("name", ["starlette", "starlette.routing"])
def test_refuses_after_a_real_starlette(name: str) -> None:
    sys.modules[name] = types.ModuleType(name)
    with pytest.raises(RuntimeError, match=rf"must run before Starlette is imported.*'{name}'"):
        install_as_starlette()
    assert _finders() == 0


@pytest.mark.usefixtures("clean")
def test_refusal_names_the_file() -> None:
    module = types.ModuleType("starlette")
    module.__file__ = "/site-packages/starlette/__init__.py"
    sys.modules["starlette"] = module
    with pytest.raises(RuntimeError, match="from /site-packages/starlette/__init__.py"):
        install_as_starlette()


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_subprocess_refuses_after_importing_the_real_starlette() -> None:
    run = _python(
        """
        import starlette.routing
        import asgi_framework
        try:
            asgi_framework.install_as_starlette()
        except RuntimeError as exc:
            print("refused:", exc)
        """
    )
    assert run.returncode == 0, run.stderr
    assert "refused: install_as_starlette() must run before Starlette is imported" in run.stdout


def test_subprocess_never_installed_implicitly() -> None:
    run = _python(
        """
        import asgi_framework, asgi_framework.routing, asgi_framework.testclient
        import starlette
        print(starlette.__name__, "asgi_framework" in starlette.__file__)
        """
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["starlette", "False"]


def test_subprocess_fastapi_runs_on_asgi_framework() -> None:
    run = _python(
        """
        import asgi_framework
        asgi_framework.install_as_starlette()
        asgi_framework.install_as_starlette()
        from fastapi import FastAPI, HTTPException
        from fastapi.testclient import TestClient

        app = FastAPI()

        @app.get("/items/{item_id}")
        async def item(item_id: int) -> dict[str, int]:
            if item_id == 0:
                raise HTTPException(404, "no such item")
            return {"item_id": item_id}

        client = TestClient(app)
        print(issubclass(FastAPI, asgi_framework.App))
        print(client.get("/items/3").json())
        print(client.get("/items/x").status_code)
        print(client.get("/items/0").json())
        print(client.get("/nope").status_code)
        """
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "True",
        "{'item_id': 3}",
        "422",
        "{'detail': 'no such item'}",
        "404",
    ]


def test_the_subprocesses_left_this_process_alone() -> None:
    starlette = sys.modules.get("starlette")
    assert starlette is None or starlette.__name__ == "starlette"
    assert _finders() == 0
