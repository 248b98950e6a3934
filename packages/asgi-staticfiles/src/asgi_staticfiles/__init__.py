"""asgi-staticfiles: static files for any ASGI application, following ``starlette.staticfiles``.

``StaticFiles`` serves a directory and the ``statics`` folders of Python packages: GET and
HEAD, HTML mode (``index.html``, ``404.html``), ``ETag``/``Last-Modified`` with ``304 Not
Modified``, ``Range``, media types from file names. Beyond Starlette: precompressed
``.br``/``.zst``/``.gz`` siblings, ``Cache-Control``, and a single-page-application fallback.
Requests never reach a file outside the served directories.
"""

from asgi_staticfiles._directories import PathLike
from asgi_staticfiles._not_modified import NotModifiedResponse
from asgi_staticfiles._staticfiles import StaticFiles

__version__ = "0.1.0"

__all__ = ["NotModifiedResponse", "PathLike", "StaticFiles", "__version__"]
