"""The folders ``StaticFiles`` serves: a directory, and the ``statics`` folders of packages.

Mistakes are reported when ``StaticFiles`` is built (or, with ``check_dir=False``, on its
first request), with Starlette's messages followed by what to do about them.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Union

from asgi_core import UsageError

__all__ = [
    "PathLike",
    "missing_directory",
    "not_a_directory",
    "package_directory",
]

#: A file system path: a ``str`` or any ``os.PathLike[str]`` (``pathlib.Path``).
PathLike = Union[str, "os.PathLike[str]"]


def _where(directory: PathLike) -> str:
    absolute = os.path.abspath(directory)
    if os.fspath(directory) == absolute:
        return ""
    return f" (relative to the working directory: {absolute!r})"


def missing_directory(directory: PathLike, *, at_startup: bool) -> str:
    """The message for a ``directory`` that does not exist (or is not a directory)."""
    if at_startup:
        start = f"Directory '{directory}' does not exist"
        if os.path.exists(directory):
            return f"{start}: it is a file, not a directory. Pass the folder that holds the files."
    else:
        start = f"StaticFiles directory '{directory}' does not exist."
    return (
        f"{start}{_where(directory)}. Create it, correct the path, or pass check_dir=False "
        "if it is created after the application starts."
    )


def not_a_directory(directory: PathLike) -> str:
    """The message of the first request's check for a ``directory`` that is a file."""
    return (
        f"StaticFiles path '{directory}' is not a directory. Pass the folder that holds the files."
    )


def package_directory(package: object) -> str:
    """The absolute folder a ``packages=[...]`` entry names: ``"pkg"`` or ``("pkg", "folder")``.

    The package is found without being imported (its parent packages are). A missing
    package, a namespace package (no ``__init__.py``, so no single folder) and a missing
    folder raise :class:`~asgi_core.UsageError` (an ``AssertionError``, as in Starlette).
    """
    if isinstance(package, str):
        name, folder = package, "statics"
    elif (
        isinstance(package, tuple)
        and len(package) == 2
        and all(isinstance(part, str) for part in package)
    ):
        name, folder = package
    else:
        raise TypeError(
            f"packages entries must be a package name or a (package name, folder) tuple, "
            f"got {package!r}. Example: packages=['bootstrap4', ('mypackage', 'assets')]."
        )
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        spec = None
    if spec is None or spec.origin is None:
        raise UsageError(
            f"Package {name!r} could not be found. Install it, check the name, or give the "
            "folder as directory= (a namespace package, without __init__.py, has no single "
            "folder)."
        )
    directory = os.path.normpath(os.path.join(os.path.dirname(spec.origin), folder))
    if not os.path.isdir(directory):
        raise UsageError(
            f"Directory {folder!r} in package {name!r} could not be found (looked for "
            f"{directory!r}). Create it, or name the package's folder: "
            f"packages=[({name!r}, 'folder')]."
        )
    return directory
