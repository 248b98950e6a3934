"""The representation of a file that is sent: the file itself, or a precompressed copy.

``get_response`` finds the file and, when the client accepts one, a precompressed sibling
(in a worker thread); ``file_response`` builds the response. Starlette's signature of
``file_response(full_path, stat_result, scope, status_code)`` has no room for the sibling,
and subclasses override it, so the choice travels in a context variable set just around
the call: overrides that call ``super().file_response(...)`` get the sibling and can still
add their headers.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from mimetypes import guess_type
from typing import NamedTuple

from asgi_responses import FileResponse
from asgi_staticfiles._directories import PathLike

__all__ = ["SERVING", "Served", "file_representation", "relative_path"]


class Served(NamedTuple):
    """A file found for a request, with what ``file_response`` cannot be told otherwise."""

    full_path: str
    stat_result: os.stat_result
    #: relative to its directory, as the request named it (given to ``cache_control``)
    path: str
    status_code: int = 200
    #: the precompressed sibling to send instead: ``(path, stat, coding)``
    encoded: tuple[str, os.stat_result, str] | None = None


#: the file ``get_response`` is passing to ``file_response`` (``None`` outside that call)
SERVING: ContextVar[Served | None] = ContextVar("asgi_staticfiles.serving", default=None)


def file_representation(
    full_path: PathLike,
    stat_result: os.stat_result,
    status_code: int,
    encoded: tuple[str, os.stat_result, str] | None,
) -> FileResponse:
    """The ``FileResponse`` for the file, or for its precompressed sibling.

    The sibling keeps the file's media type, gets ``Content-Encoding``, and an ``ETag`` of
    its own (RFC 9110 section 8.8.3: each representation has its own tag), so conditional
    and ``If-Range`` requests work on the representation the client received.
    """
    if encoded is None:
        return FileResponse(full_path, status_code=status_code, stat_result=stat_result)
    encoded_path, encoded_stat, coding = encoded
    response = FileResponse(
        encoded_path,
        status_code=status_code,
        stat_result=encoded_stat,
        media_type=guess_type(os.fspath(full_path))[0] or "application/octet-stream",
    )
    label = coding.encode("ascii")
    headers = response.raw_headers
    for index, (name, value) in enumerate(headers):
        if name == b"etag":
            headers[index] = (name, value[:-1] + b"-" + label + b'"')
    headers.append((b"content-encoding", label))
    return response


def relative_path(roots: list[str], full_path: str) -> str:
    """``full_path`` relative to the directory holding it (its name if none does)."""
    for root in roots:
        prefix = root if root.endswith(os.sep) else root + os.sep
        if full_path.startswith(prefix):
            return full_path[len(prefix) :]
    return os.path.basename(full_path)
