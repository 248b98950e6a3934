"""The package graph: each package imports only what its pyproject.toml declares."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tools") not in sys.path:
    sys.path.append(str(ROOT / "tools"))

workspace = importlib.import_module("_workspace")
imports_check = importlib.import_module("imports_check")


def make_package(root: Path, name: str, dependencies: list[str], source: str) -> object:
    path = root / name
    import_name = name.replace("-", "_")
    (path / "src" / import_name).mkdir(parents=True)
    (path / "tests").mkdir()
    deps = ", ".join(f'"{d}"' for d in dependencies)
    (path / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\nversion = "0.1.0"\ndependencies = [{deps}]\n'
    )
    (path / "src" / import_name / "__init__.py").write_text(textwrap.dedent(source))
    return workspace.load_package(path)


def test_every_package_imports_only_what_it_declares() -> None:
    assert imports_check.check(workspace.packages()) == []


def test_an_undeclared_import_is_caught(tmp_path: Path) -> None:
    package = make_package(tmp_path, "asgi-demo", ["anyio>=4"], "import anyio\nimport yaml\n")
    problems = imports_check.check_package(package)
    assert len(problems) == 1
    assert (
        "imports 'yaml' (distribution 'pyyaml') but pyproject.toml does not declare it"
        in problems[0]
    )


def test_an_optional_extra_counts_as_declared(tmp_path: Path) -> None:
    package = make_package(tmp_path, "asgi-demo", [], "import json\nfrom yaml import safe_load\n")
    assert imports_check.check_package(package)
    path = tmp_path / "asgi-demo" / "pyproject.toml"
    path.write_text(path.read_text() + '[project.optional-dependencies]\nyaml = ["PyYAML>=6"]\n')
    assert imports_check.check_package(workspace.load_package(path.parent)) == []


def test_a_private_import_of_another_package_is_caught(tmp_path: Path) -> None:
    source = (
        "from asgi_core._url import URL\n"
        "from asgi_core import _headers\n"
        "from asgi_core import URL as U\n"
    )
    package = make_package(tmp_path, "asgi-demo", ["asgi-core"], source)
    problems = imports_check.check_package(package)
    assert len(problems) == 2
    assert all("imports private module" in p for p in problems)


def test_an_unknown_module_is_caught(tmp_path: Path) -> None:
    package = make_package(tmp_path, "asgi-demo", [], "import surely_not_installed_anywhere\n")
    assert "which no installed distribution provides" in imports_check.check_package(package)[0]


def test_a_cycle_is_caught() -> None:
    assert imports_check.find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert imports_check.find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_requirement_names_are_normalised() -> None:
    assert (
        workspace.requirement_name("Typing_Extensions>=4; python_version<'3.13'")
        == "typing-extensions"
    )
    assert workspace.requirement_name("python-multipart[x]>=0.0.32") == "python-multipart"
    assert workspace.requirement_name("zope.interface") == "zope-interface"
