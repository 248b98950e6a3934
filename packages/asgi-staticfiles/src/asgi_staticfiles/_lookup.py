"""Finding the file a request names below a served directory, and never outside it.

A request path arrives here already normalised (``StaticFiles.get_path``): relative, with
the operating system's separators and no ``.`` or inner ``..`` segments. What is left to
refuse is a leading ``..``, an absolute path, a NUL byte and, on Windows, drive letters,
UNC shares and alternate data streams (``:``). Without ``follow_symlink`` each segment is
checked with ``lstat`` below the directory: a symbolic link is followed only when its
target lies inside the directory (as Starlette does, by the real path).
"""

from __future__ import annotations

import errno
import os
import stat

__all__ = ["WINDOWS", "is_safe_relative", "resolve", "sibling"]

WINDOWS = os.name == "nt"

#: errors that mean "there is no such file here": the next directory is tried
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EINVAL})

_Found = tuple[str, os.stat_result]


def is_safe_relative(path: str, windows: bool = WINDOWS) -> bool:
    """Whether the normalised ``path`` stays below the directory it is joined to.

    A NUL byte is refused by the caller first (``ValueError``, as the file system calls
    themselves raise it).
    """
    if not path:
        return False
    if windows:
        # C:x, C:\x, \\server\share, \x, and x:stream all leave the directory (or the file)
        if ":" in path or path[0] in "\\/":
            return False
        parts = path.replace("/", "\\").split("\\")
    else:
        if path[0] == "/":
            return False
        parts = path.split("/")
    return ".." not in parts


def _inside(path: str, root: str) -> bool:
    if path == root:
        return True
    prefix = root if root.endswith(os.sep) else root + os.sep
    return path.startswith(prefix)


def _through_link(root: str, path: str) -> _Found | None:
    """``path`` passes through a symbolic link: serve it only if it resolves inside ``root``."""
    real = os.path.realpath(path)
    if not _inside(real, os.path.realpath(root)):
        return None
    return real, os.stat(real)


def resolve(root: str, path: str, follow_symlink: bool) -> _Found | None:
    """The absolute path and ``stat`` of ``path`` below ``root``, or ``None`` if it is not there.

    ``path`` must have passed :func:`is_safe_relative` (or be ``"."``, the directory itself).
    A missing file, a file used as a folder and a symbolic link loop mean ``None``; a name
    too long for the file system (``ENAMETOOLONG``), a folder that cannot be searched
    (``PermissionError``) and unexpected I/O errors are raised.
    """
    try:
        if path == ".":
            return root, os.stat(root)
        if follow_symlink:
            full = os.path.join(root, path)
            return full, os.stat(full)
        *folders, name = path.split(os.sep)
        current = root
        for index, folder in enumerate(folders):
            current = os.path.join(current, folder)
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return _through_link(root, os.path.join(current, *folders[index + 1 :], name))
        current = os.path.join(current, name)
        result = os.lstat(current)
        if stat.S_ISLNK(result.st_mode):
            return _through_link(root, current)
        return current, result
    except OSError as exc:
        if exc.errno in _MISSING:
            return None
        raise


def sibling(path: str, suffix: str, follow_symlink: bool) -> _Found | None:
    """The readable regular file ``path + suffix`` (a precompressed copy), if there is one.

    Without ``follow_symlink`` a sibling that is a symbolic link is not used. Any error
    (missing, unreadable, not a file) means there is no usable sibling: the original is
    served instead.
    """
    candidate = path + suffix
    try:
        result = os.stat(candidate) if follow_symlink else os.lstat(candidate)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(result.st_mode) or not os.access(candidate, os.R_OK):
        return None
    return candidate, result
