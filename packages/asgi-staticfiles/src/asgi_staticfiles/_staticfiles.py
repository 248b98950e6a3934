"""``StaticFiles``: an ASGI application serving the files of directories and packages."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence

import anyio.to_thread

from asgi_core import URL, Headers, HTTPException, UsageError, get_route_path
from asgi_core.types import Receive, Scope, Send
from asgi_responses import FileResponse, RedirectResponse, Response
from asgi_staticfiles._directories import (
    PathLike,
    missing_directory,
    not_a_directory,
    package_directory,
)
from asgi_staticfiles._errors import app_exception, error_response
from asgi_staticfiles._lookup import is_safe_relative, resolve, sibling
from asgi_staticfiles._negotiation import ENCODINGS, accepted_encodings, accepts_html
from asgi_staticfiles._not_modified import NotModifiedResponse, is_not_modified
from asgi_staticfiles._options import (
    CacheControl,
    cache_control_value,
    encodings_option,
    fallback_option,
)
from asgi_staticfiles._representation import (
    SERVING,
    Served,
    file_representation,
    relative_path,
)

__all__ = ["StaticFiles"]

_GET_HEAD = ("GET", "HEAD")
_REDIRECT = "redirect"


class StaticFiles:
    """Serve the files of ``directory`` and of the ``statics`` folders of ``packages``.

    ``GET`` and ``HEAD`` only (``405`` with ``Allow: GET, HEAD`` otherwise); ``404`` for
    anything that is not a regular file inside the directories. Files are sent by
    ``FileResponse`` (``ETag``, ``Last-Modified``, ``Range``); a matching
    ``If-None-Match`` or ``If-Modified-Since`` gets ``304``. With ``html=True`` a
    directory serves its ``index.html`` (``/dir`` redirects to ``/dir/`` first) and a
    miss serves ``404.html`` with status 404. The first six parameters, the attributes and
    the methods are Starlette's. Added here:

    - ``precompressed``: serve ``x.js.br``, ``x.js.zst`` or ``x.js.gz`` in place of
      ``x.js`` to clients that accept that encoding (``True``: all three, brotli first;
      or a list in order of preference), with ``Content-Encoding`` and
      ``Vary: Accept-Encoding``;
    - ``cache_control``: a ``Cache-Control`` value for every file, or a function of the
      file's path (relative, ``/``-separated) returning the value or ``None``;
    - ``fallback``: the file (``"index.html"``) a single-page application answers unknown
      paths with, for requests whose ``Accept`` names ``text/html``.
    """

    def __init__(
        self,
        *,
        directory: PathLike | None = None,
        packages: list[str | tuple[str, str]] | None = None,
        html: bool = False,
        check_dir: bool = True,
        follow_symlink: bool = False,
        precompressed: bool | Sequence[str] = False,
        cache_control: CacheControl = None,
        fallback: str | None = None,
    ) -> None:
        self.directory = directory
        self.packages = packages
        self.all_directories = self.get_directories(directory, packages)
        self.html = html
        self.config_checked = False
        self.follow_symlink = follow_symlink
        if check_dir and directory is not None and not os.path.isdir(directory):
            raise RuntimeError(missing_directory(directory, at_startup=True))
        self.precompressed = encodings_option(precompressed)
        self.cache_control = cache_control
        self._cache_function = cache_control if callable(cache_control) else None
        self._cache_control = (
            None
            if cache_control is None or callable(cache_control)
            else cache_control_value(cache_control, "cache_control")
        )
        # private: FastAPI's frontend subclass keeps a ``fallback`` attribute of its own
        self._fallback = fallback_option(fallback)
        self._roots_of: object = None
        self._roots: list[str] = []
        if check_dir and self._fallback is not None and self.all_directories:
            found = self.lookup_path(self._fallback)[1]
            if found is None or not stat.S_ISREG(found.st_mode):
                directories = [os.fspath(directory) for directory in self.all_directories]
                raise RuntimeError(
                    f"The fallback file {fallback!r} is not in {directories}. Create it, "
                    "correct the name, or pass check_dir=False if it is created later."
                )

    def get_directories(
        self,
        directory: PathLike | None = None,
        packages: list[str | tuple[str, str]] | None = None,
    ) -> list[PathLike]:
        """``directory`` (if given), then the folder of each entry of ``packages``."""
        directories: list[PathLike] = [] if directory is None else [directory]
        directories.extend(package_directory(package) for package in packages or [])
        return directories

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer an HTTP request; refuse a WebSocket (close code 1000)."""
        kind = scope["type"]
        if kind != "http":
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1000, "reason": ""})
                return
            raise UsageError(
                f"StaticFiles serves 'http' requests, not {kind!r}. Mount it in an "
                "application or router, which handle the lifespan."
            )
        if not self.config_checked:
            await self.check_config()
            self.config_checked = True
        path = self.get_path(scope)
        try:
            response = await self.get_response(path, scope)
        except HTTPException as exc:
            translated = app_exception(exc, scope)
            if translated is exc:
                raise
            if translated is not None:
                raise translated from None
            response = error_response(exc)
        await response(scope, receive, send)

    def get_path(self, scope: Scope) -> str:
        """The request's path below the mount point, normalised for the file system.

        ``/css/../app.js`` becomes ``app.js`` and ``/`` becomes ``.``; a leading ``..``
        is kept, for :meth:`lookup_path` to refuse.
        """
        parts = [part for part in get_route_path(scope).split("/") if part]
        return os.path.normpath(os.path.join(*parts)) if parts else "."

    def _root_paths(self) -> list[str]:
        directories = self.all_directories
        if self._roots_of is not directories:
            self._roots = [os.path.abspath(directory) for directory in directories]
            self._roots_of = directories
        return self._roots

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        """The full path and ``stat`` of ``path`` in the first directory that has it.

        ``("", None)`` when none has it, and for any path that would leave the directory
        (``..``, absolute paths, drive letters, symbolic links pointing outside unless
        ``follow_symlink``). A NUL byte raises ``ValueError`` and a name too long for the
        file system ``OSError`` (``ENAMETOOLONG``), as the file system calls do; the
        request gets a 404. Blocking: call it in a worker thread.
        """
        if "\x00" in path:
            raise ValueError(f"A path with a NUL byte cannot name a file: {path!r}")
        if path != "." and not is_safe_relative(path):
            return "", None
        for root in self._root_paths():
            found = resolve(root, path, self.follow_symlink)
            if found is not None:
                return found
        return "", None

    async def check_config(self) -> None:
        """Check that ``directory`` exists and is a directory (``RuntimeError`` otherwise).

        Run on the first request; with ``check_dir=True`` the constructor has checked too.
        """
        if self.directory is None:
            return
        try:
            result = await anyio.to_thread.run_sync(os.stat, self.directory)
        except (FileNotFoundError, NotADirectoryError):
            raise RuntimeError(missing_directory(self.directory, at_startup=False)) from None
        if not stat.S_ISDIR(result.st_mode):
            raise RuntimeError(not_a_directory(self.directory))

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The response for ``path`` (from :meth:`get_path`); raises ``HTTPException``.

        ``405`` for methods other than GET and HEAD, ``404`` when there is nothing to
        serve, ``403`` for a file the server may not read.
        """
        if scope["method"] not in _GET_HEAD:
            raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
        encodings: tuple[str, ...] = ()
        wants_fallback = False
        if self.precompressed or self._fallback is not None:
            headers = Headers(scope=scope)
            encodings = accepted_encodings(headers.get("accept-encoding"), self.precompressed)
            wants_fallback = self._fallback is not None and accepts_html(headers.get("accept"))
        try:
            found = await anyio.to_thread.run_sync(
                self._find, path, scope["path"].endswith("/"), wants_fallback, encodings
            )
        except PermissionError:
            raise HTTPException(status_code=403) from None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise HTTPException(status_code=404) from None
            raise
        except ValueError:
            raise HTTPException(status_code=404) from None
        if found is None:
            raise HTTPException(status_code=404)
        if isinstance(found, str):  # _REDIRECT
            url = URL(scope=scope)
            return RedirectResponse(url=url.replace(path=url.path + "/"))
        if found.status_code == 404:
            return FileResponse(found.full_path, stat_result=found.stat_result, status_code=404)
        if found.encoded is None and self._cache_function is None:
            return self.file_response(found.full_path, found.stat_result, scope)
        token = SERVING.set(found)
        try:
            return self.file_response(found.full_path, found.stat_result, scope)
        finally:
            SERVING.reset(token)

    def _find(
        self, path: str, directory_url: bool, wants_fallback: bool, encodings: tuple[str, ...]
    ) -> Served | str | None:
        """What to answer for ``path``, found in one worker-thread call."""
        full_path, stat_result = self.lookup_path(path)
        if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
            return self._served(full_path, stat_result, path, encodings)
        if stat_result is not None and stat.S_ISDIR(stat_result.st_mode) and self.html:
            index = "index.html" if path == "." else os.path.join(path, "index.html")
            full_path, stat_result = self.lookup_path(index)
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                if not directory_url:
                    return _REDIRECT  # directory URLs end in "/", so relative links work
                return self._served(full_path, stat_result, index, encodings)
        if wants_fallback and self._fallback is not None:
            full_path, stat_result = self.lookup_path(self._fallback)
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                return self._served(full_path, stat_result, self._fallback, encodings)
        if self.html:
            full_path, stat_result = self.lookup_path("404.html")
            if (
                stat_result is not None
                and stat.S_ISREG(stat_result.st_mode)
                and os.access(full_path, os.R_OK)
            ):
                return Served(full_path, stat_result, "404.html", status_code=404)
        return None

    def _served(
        self, full_path: str, stat_result: os.stat_result, path: str, encodings: tuple[str, ...]
    ) -> Served:
        """A readable file, and its precompressed sibling in the first accepted encoding."""
        if not os.access(full_path, os.R_OK):
            raise PermissionError(errno.EACCES, "Permission denied", full_path)
        for coding in encodings:
            found = sibling(full_path, ENCODINGS[coding], self.follow_symlink)
            if found is not None:
                return Served(full_path, stat_result, path, encoded=(*found, coding))
        return Served(full_path, stat_result, path)

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        """The ``FileResponse`` for a file, or a ``NotModifiedResponse`` when the client's
        copy is current.

        Subclasses may override it to change the response (add headers, ...). The
        precompressed copy chosen by :meth:`get_response` and the ``cache_control`` header
        are applied here, so overrides see them.
        """
        served = SERVING.get()
        if served is not None and served.full_path != full_path:
            served = None  # a subclass serving a file of its own choice
        encoded = served.encoded if served is not None else None
        response = file_representation(full_path, stat_result, status_code, encoded)
        if self.precompressed:
            response.raw_headers.append((b"vary", b"Accept-Encoding"))
        if self._cache_control is not None:
            response.raw_headers.append((b"cache-control", self._cache_control))
        elif self._cache_function is not None:
            path = (
                served.path
                if served is not None
                else relative_path(self._root_paths(), os.fspath(full_path))
            )
            value = self._cache_function(path.replace(os.sep, "/"))
            if value is not None:
                header = cache_control_value(value, "the value cache_control returned")
                response.raw_headers.append((b"cache-control", header))
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response

    def is_not_modified(self, response_headers: Headers, request_headers: Headers) -> bool:
        """Whether ``If-None-Match`` or ``If-Modified-Since`` says the client's copy is
        current (see :func:`~asgi_staticfiles.NotModifiedResponse`)."""
        return is_not_modified(response_headers, request_headers)
