"""``install_as_starlette()``: for the rest of the process, ``import starlette`` loads ours.

A finder at the front of :data:`sys.meta_path` answers every ``starlette`` and
``starlette.X`` import with a module of asgi-framework, the same module object, so that
``starlette.routing.Route is asgi_framework.routing.Route`` and ``isinstance`` checks agree
between code written for either name.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

__all__ = ["install_as_starlette"]

_COMPAT = "asgi_framework._starlette_compat"

#: Starlette's private modules that other libraries import, and where they live here.
_PRIVATE = {
    "starlette._exception_handler": f"{_COMPAT}._exception_handler",
    "starlette._utils": f"{_COMPAT}._utils",
}


def _is_starlette(fullname: str) -> bool:
    return fullname == "starlette" or fullname.startswith("starlette.")


def _target(fullname: str) -> str:
    """The asgi-framework module that stands for ``fullname`` (``starlette`` or ``starlette.X``)."""
    if fullname == "starlette":
        return _COMPAT
    private = _PRIVATE.get(fullname)
    if private is not None:
        return private
    parts = fullname.split(".")[1:]
    if any(part.startswith("_") for part in parts):
        # asgi-framework's own private modules are not Starlette's
        raise _not_found(fullname)
    return "asgi_framework." + ".".join(parts)


def _not_found(fullname: str) -> ModuleNotFoundError:
    return ModuleNotFoundError(
        f"No module named {fullname!r}: asgi_framework.install_as_starlette() is active and "
        "asgi-framework has no module laid out like it",
        name=fullname,
    )


class _AliasLoader(importlib.abc.Loader):
    """Loads an alias as the asgi-framework module it stands for (the same object)."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module
        self._spec = module.__spec__

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self._module

    def exec_module(self, module: ModuleType) -> None:
        # the import system gave the module the alias's spec: it keeps its own
        module.__spec__ = self._spec


class _StarletteFinder(importlib.abc.MetaPathFinder):
    """Answers ``starlette`` imports with asgi-framework's modules."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not _is_starlette(fullname):
            return None
        name = _target(fullname)
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise  # a dependency of the module is missing: that is the error to see
            raise _not_found(fullname) from None
        return importlib.machinery.ModuleSpec(
            fullname,
            _AliasLoader(module),
            is_package=hasattr(module, "__path__"),
        )


def _real_starlette() -> str | None:
    """The name of an already imported module of a real Starlette, if there is one."""
    for name, module in list(sys.modules.items()):
        if _is_starlette(name) and not getattr(module, "__name__", "").startswith("asgi_framework"):
            return name
    return None


def install_as_starlette() -> None:
    """Make ``import starlette`` and ``import starlette.X`` load asgi-framework's modules.

    Call it once, before FastAPI (or anything else that imports Starlette) is imported;
    from then on, for the rest of the process, ``starlette.X`` is ``asgi_framework.X`` (the
    same module object, so ``isinstance`` checks agree), ``starlette`` is a small package
    whose ``__version__`` is the Starlette version whose API this follows, and the private
    modules other libraries import (``starlette._utils``, ``starlette._exception_handler``)
    come from ``asgi_framework._starlette_compat``. A facade module whose extra is missing
    raises the usual ``ImportError`` naming the extra.

    Calling it again does nothing. It raises ``RuntimeError`` if a real Starlette module
    is already imported: classes of both would then exist side by side and ``isinstance``
    checks between them would fail. Nothing installs it implicitly.
    """
    if any(isinstance(finder, _StarletteFinder) for finder in sys.meta_path):
        return
    already = _real_starlette()
    if already is not None:
        module = sys.modules[already]
        where = getattr(module, "__file__", None) or repr(module)
        raise RuntimeError(
            f"install_as_starlette() must run before Starlette is imported, but {already!r} "
            f"is already imported (from {where}). Call asgi_framework.install_as_starlette() "
            "first thing in the process, before importing fastapi or starlette."
        )
    _add_private_names()
    sys.meta_path.insert(0, _StarletteFinder())


def _add_private_names() -> None:
    """Give facade modules the private names of Starlette's that libraries look up.

    FastAPI reads ``starlette.middleware.body_limit._RequestBodyTooLarge`` (with
    ``getattr``) to tell a body refused by the limit from other errors; ours is the public
    ``RequestBodyTooLarge``. Set here, at the explicit opt-in, not in the facade's source.
    """
    body_limit = import_module("asgi_framework.middleware.body_limit")
    setattr(body_limit, "_RequestBodyTooLarge", body_limit.RequestBodyTooLarge)  # noqa: B010
