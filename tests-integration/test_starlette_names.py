"""Migrating is a rename of the import root: Starlette's public names exist in our modules.

For every ``starlette.<module>`` that asgi_framework lays out too, every public name the
Starlette module defines (classes, functions, constants, type aliases; its ``__all__`` where it
has one) must be importable from ``asgi_framework.<module>``. Starlette's modules that we do not
have yet, and the names we deliberately do not provide, are listed below with the reason.

Starlette 1.10 comes with FastAPI in the test environment; it is only inspected here (never
its source), and never used by the packages.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import typing
import warnings
from types import ModuleType

import pytest

#: Starlette's modules that asgi_framework does not lay out yet: the package that brings each.
NOT_YET: dict[str, str] = {}

#: (module, name) that Starlette's module defines and ours deliberately lacks, with why.
NOT_PROVIDED: dict[tuple[str, str], str] = {
    ("formparsers", "MultipartPart"): "python-multipart callback plumbing of Starlette's parser",
    ("middleware.errors", "STYLES"): "CSS of Starlette's debug page; ours has its own page",
    ("middleware.errors", "JS"): "script of Starlette's debug page; ours needs none",
    ("middleware.errors", "TEMPLATE"): "HTML of Starlette's debug page; ours has its own page",
    ("middleware.errors", "FRAME_TEMPLATE"): "HTML of Starlette's debug page",
    ("middleware.errors", "LINE"): "HTML of Starlette's debug page",
    ("middleware.errors", "CENTER_LINE"): "HTML of Starlette's debug page",
    ("routing", "PARAM_REGEX"): (
        "regex inside Starlette's compile_path; asgi-routing compiles paths its own way "
        "(compile_path itself is provided)"
    ),
    ("routing", "PARAM_FORMAT_REGEX"): "regex inside Starlette's compile_path, as PARAM_REGEX",
    ("routing", "CONVERTOR_TYPES"): (
        "Starlette's routing module only re-imports it; it lives in asgi_framework.convertors"
    ),
}


def starlette_module(name: str) -> ModuleType:
    with warnings.catch_warnings():
        # starlette.testclient warns about httpx on import; that is Starlette's business
        warnings.simplefilter("ignore")
        return importlib.import_module(f"starlette.{name}")


def starlette_modules() -> list[str]:
    import starlette

    names = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for info in pkgutil.walk_packages(starlette.__path__, "starlette."):
            name = info.name.removeprefix("starlette.")
            if not any(part.startswith("_") for part in name.split(".")):
                names.append(name)
    return names


def ours(name: str) -> bool:
    return importlib.util.find_spec(f"asgi_framework.{name}") is not None


MODULES = [name for name in starlette_modules() if ours(name)]


def public_names(module_name: str) -> list[str]:
    """The names ``starlette.<module_name>`` offers as its own API."""
    module = starlette_module(module_name)
    if hasattr(module, "__all__"):
        return list(module.__all__)
    names = []
    for name, value in vars(module).items():
        if name.startswith("_") or name == "TYPE_CHECKING" or inspect.ismodule(value):
            continue
        if isinstance(value, (typing.TypeVar, typing.ParamSpec)) and len(name) == 1:
            continue  # T, P: annotation helpers, not API
        defined_here = getattr(value, "__module__", None) == module.__name__
        is_constant = name.isupper() and not callable(value)
        is_alias = module_name == "types" and getattr(value, "__module__", None) == "typing"
        is_alias = is_alias and name[0].isupper() and not hasattr(typing, name)
        if defined_here or is_constant or is_alias:
            names.append(name)
    return names


def test_every_starlette_module_is_laid_out_or_listed() -> None:
    unaccounted = [name for name in starlette_modules() if not ours(name) and name not in NOT_YET]
    assert unaccounted == [], f"Starlette modules without a counterpart: {unaccounted}"
    stale = [name for name in NOT_YET if ours(name)]
    assert stale == [], f"asgi_framework has these now; drop them from NOT_YET: {stale}"
    assert {"applications", "testclient"} <= set(MODULES)


def our_module(name: str) -> ModuleType:
    with warnings.catch_warnings():
        # asgi_framework.middleware.wsgi warns on import, as Starlette's does
        warnings.simplefilter("ignore")
        return importlib.import_module(f"asgi_framework.{name}")


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_exists(module_name: str) -> None:
    module = our_module(module_name)
    names = public_names(module_name)
    assert names, "nothing compared: the check itself is broken"
    missing = [
        name
        for name in names
        if (module_name, name) not in NOT_PROVIDED and not hasattr(module, name)
    ]
    assert missing == [], f"asgi_framework.{module_name} lacks {missing}"


#: The Starlette release the lists above describe. FastAPI may bring an older one where
#: Starlette 1.10 cannot be installed (Python 3.10); it lacks some of the names listed.
REFERENCE_VERSION = "1.10.0"


def test_the_exceptions_list_is_current() -> None:
    import starlette

    reference = starlette.__version__ == REFERENCE_VERSION
    stale = [
        f"{module}.{name}"
        for module, name in NOT_PROVIDED
        if (reference and name not in public_names(module)) or hasattr(our_module(module), name)
    ]
    assert stale == [], f"drop from NOT_PROVIDED: {stale}"


def test_the_renamed_classes_are_the_same_objects() -> None:
    from asgi_core import AsgiDeprecationWarning
    from asgi_framework import App, Starlette
    from asgi_framework.applications import Starlette as FromApplications
    from asgi_framework.exceptions import StarletteDeprecationWarning

    assert Starlette is FromApplications is App
    assert StarletteDeprecationWarning is AsgiDeprecationWarning
