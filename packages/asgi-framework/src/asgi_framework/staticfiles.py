"""Laid out like ``starlette.staticfiles`` (names from asgi-staticfiles).

``StaticFiles`` serves a directory and the ``statics`` folders of packages, mounted with
``Mount("/static", StaticFiles(directory="static"), name="static")``; beyond Starlette it
serves precompressed ``.br``/``.zst``/``.gz`` siblings, sets ``Cache-Control`` and has a
single-page-application fallback.
"""

from asgi_staticfiles import NotModifiedResponse, PathLike, StaticFiles

__all__ = ["NotModifiedResponse", "PathLike", "StaticFiles"]
