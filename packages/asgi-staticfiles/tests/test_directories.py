"""packages=: the statics folders of Python packages, and the configuration messages."""

from __future__ import annotations

import importlib
import itertools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from asgi_core import UsageError
from asgi_staticfiles import PathLike, StaticFiles
from asgi_testing import TestClient

_names = itertools.count()


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh importable package with ``statics/p.txt``, ``assets/a.css`` and ``sub/``."""
    name = f"staticfiles_test_pkg_{next(_names)}"
    base = tmp_path / "site" / name
    (base / "statics").mkdir(parents=True)
    (base / "assets").mkdir()
    (base / "sub" / "statics").mkdir(parents=True)
    (base / "__init__.py").write_text("")
    (base / "sub" / "__init__.py").write_text("raise RuntimeError('not imported')")
    (base / "statics" / "p.txt").write_text("from statics")
    (base / "assets" / "a.css").write_text("from assets")
    (base / "sub" / "statics" / "s.txt").write_text("from sub")
    (tmp_path / "site" / f"{name}_namespace" / "statics").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    yield name
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


def test_statics_folder(package: str, client_for: Callable[..., TestClient]) -> None:
    app = StaticFiles(packages=[package])
    assert app.all_directories == [str(Path(sys.path[0]) / package / "statics")]
    client = client_for(app)
    assert client.get("/p.txt").text == "from statics"
    assert client.get("/a.css").status_code == 404


def test_named_folder_and_directory_first(
    package: str, tree: Path, client_for: Callable[..., TestClient]
) -> None:
    app = StaticFiles(directory=tree, packages=[package, (package, "assets")])
    assert app.all_directories[0] == tree
    client = client_for(app)
    assert client.get("/a.txt").text == "hello world"
    assert client.get("/p.txt").text == "from statics"
    assert client.get("/a.css").text == "from assets"


def test_subpackages_are_found_without_being_imported(
    package: str, client_for: Callable[..., TestClient]
) -> None:
    app = StaticFiles(packages=[f"{package}.sub"])
    assert client_for(app).get("/s.txt").text == "from sub"
    assert f"{package}.sub" not in sys.modules


def test_package_errors(package: str) -> None:
    with pytest.raises(UsageError, match="^Package 'no_such_package_x' could not be found"):
        StaticFiles(packages=["no_such_package_x"])
    with pytest.raises(UsageError, match="^Package 'no_such_parent_y.child' could not be found"):
        StaticFiles(packages=["no_such_parent_y.child"])
    with pytest.raises(UsageError, match="namespace package"):
        StaticFiles(packages=[f"{package}_namespace"])
    with pytest.raises(
        UsageError, match=f"^Directory 'nope' in package '{package}' could not be found"
    ):
        StaticFiles(packages=[(package, "nope")])
    with pytest.raises(UsageError, match=f"Directory 'nope' in package '{package}.sub'"):
        StaticFiles(packages=[f"{package}.sub", (f"{package}.sub", "nope")])
    with pytest.raises(AssertionError):  # what Starlette raises
        StaticFiles(packages=["no_such_package_x"])


@pytest.mark.parametrize("entry", [("a",), ("a", "b", "c"), 42, ("a", 1), Path("x")])
def test_bad_package_entries(entry: object) -> None:
    with pytest.raises(TypeError, match="packages entries must be a package name or a"):
        StaticFiles(packages=[entry])  # type: ignore[list-item]


def test_packages_are_checked_before_the_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="could not be found"):
        StaticFiles(directory=tmp_path / "nope", packages=["no_such_package_x"])


def test_path_like_is_starlettes_alias() -> None:
    import os
    import typing

    assert typing.get_args(PathLike)[0] is str
    assert typing.get_args(PathLike)[1] == typing.ForwardRef("os.PathLike[str]")
    assert os.fspath(Path("x")) == "x"
