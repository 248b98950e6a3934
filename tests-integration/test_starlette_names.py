"""Migrating is a rename: the public names of Starlette's modules exist in asgi_framework's.

Starlette comes with FastAPI in the test environment; it is only read here, never used by the
packages. Names Starlette defines that we deliberately do not provide are listed with why.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = [
    "applications",
    "background",
    "concurrency",
    "config",
    "convertors",
    "datastructures",
    "endpoints",
    "exceptions",
    "formparsers",
    "middleware",
    "middleware.errors",
    "middleware.exceptions",
    "requests",
    "responses",
    "routing",
    "schemas",
    "status",
    "types",
    "websockets",
]

RENAMED = {"Starlette": "App", "StarletteDeprecationWarning": "AsgiDeprecationWarning"}

NOT_PROVIDED = {
    # internals of Starlette's own implementation, not part of what applications use
    "FormMessage": "python-multipart callback plumbing of Starlette's parser",
    "MultipartPart": "python-multipart callback plumbing of Starlette's parser",
    "WebSocketDisconnected": "internal sentinel in Starlette's websockets module",
    "run_until_first_complete": "deprecated in Starlette, removed here",
    "RequestBodyLimitMiddleware": "arrives with asgi-middleware-bodylimit",
}


def public_definitions(module_name: str) -> list[str]:
    module = importlib.import_module(f"starlette.{module_name}")
    names = []
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        defined_here = getattr(value, "__module__", None) == module.__name__
        is_definition = (inspect.isclass(value) or inspect.isfunction(value)) and defined_here
        is_constant = module_name == "status" and name.isupper()
        is_alias = module_name == "types" and name[0].isupper() and name not in _TYPING_NAMES
        if is_definition or is_constant or is_alias:
            names.append(name)
    return names


_TYPING_NAMES = {
    "AbstractAsyncContextManager",
    "Any",
    "Awaitable",
    "Callable",
    "Mapping",
    "MutableMapping",
    "TypeVar",
    "Union",
    "TYPE_CHECKING",
}


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_exists(module_name: str) -> None:
    ours = importlib.import_module(f"asgi_framework.{module_name}")
    assert public_definitions(module_name), "nothing compared: the check itself is broken"
    missing = [
        name
        for name in public_definitions(module_name)
        if name not in NOT_PROVIDED and not hasattr(ours, RENAMED.get(name, name))
    ]
    assert missing == [], f"asgi_framework.{module_name} lacks {missing}"
