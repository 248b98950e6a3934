"""The public API: everything exported is documented and importable from Starlette-like modules."""

from __future__ import annotations

import importlib
import inspect
import types

import pytest

import asgi_core

PUBLIC_MODULES = [
    "asgi_core.types",
    "asgi_core.datastructures",
    "asgi_core.requests",
    "asgi_core.formparsers",
    "asgi_core.exceptions",
    "asgi_core.status",
    "asgi_core.background",
    "asgi_core.concurrency",
    "asgi_core.middleware",
    "asgi_core.scope_keys",
]


def public_objects() -> list[tuple[str, object]]:
    return [(name, getattr(asgi_core, name)) for name in asgi_core.__all__]


def test_all_names_exist_and_are_sorted() -> None:
    assert sorted(asgi_core.__all__) == sorted(set(asgi_core.__all__))
    for name in asgi_core.__all__:
        assert hasattr(asgi_core, name), name


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_modules_export_what_they_define(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert module.__doc__
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name}"


@pytest.mark.parametrize(("name", "obj"), public_objects())
def test_every_public_object_has_a_docstring(name: str, obj: object) -> None:
    if isinstance(obj, types.GenericAlias) or not (
        inspect.isclass(obj) or inspect.isfunction(obj) or isinstance(obj, types.ModuleType)
    ):
        return  # type aliases and constants are documented in their module
    assert inspect.getdoc(obj), f"{name} has no docstring"
    if inspect.isclass(obj):
        for attribute, value in vars(obj).items():
            if attribute.startswith("_"):
                continue
            if inspect.isfunction(value) or isinstance(value, property):
                assert inspect.getdoc(value), f"{name}.{attribute} has no docstring"
