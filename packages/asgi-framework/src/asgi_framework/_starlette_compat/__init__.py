"""What ``import starlette`` gives once :func:`asgi_framework.install_as_starlette` has run.

This subpackage holds everything asgi-framework provides only for code written against
Starlette's module layout, private names included (``starlette._utils``,
``starlette._exception_handler``), so that the public facade stays clean. The installer maps
``starlette`` to this package, ``starlette.<private>`` to its modules and every other
``starlette.X`` to the facade module ``asgi_framework.X``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: The Starlette API version this compatibility layer follows (libraries gate features on it).
__version__ = "1.10.0"


def __getattr__(name: str) -> ModuleType:
    # ``from starlette import status``: the import system looks the submodule up under this
    # package's own name, so it is resolved here, to the module ``starlette.status`` stands for
    from asgi_framework._starlette_compat._installer import _target

    try:
        return importlib.import_module(_target(f"starlette.{name}"))
    except ModuleNotFoundError:
        raise AttributeError(f"module 'starlette' has no attribute {name!r}") from None
