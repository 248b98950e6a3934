"""Laid out like ``starlette.middleware.wsgi``: a WSGI app (Flask, Django) served under ASGI.

Deprecated, as in Starlette 1.10: importing this module warns (the family's
``AsgiDeprecationWarning``, which is ``StarletteDeprecationWarning`` too) and points at
a2wsgi, the library the middleware here is built on. New code imports
``a2wsgi.WSGIMiddleware`` directly. ``pip install 'asgi-framework[wsgi]'`` installs a2wsgi;
without it, importing this module raises an ``ImportError`` that says so.

a2wsgi runs the WSGI app in a thread pool and talks to it through asyncio, so WSGI apps are
served on asyncio only: under trio an HTTP request raises a ``RuntimeError`` that says so.
``build_environ`` and ``WSGIResponder`` are a2wsgi's (``build_environ(scope, body)`` takes
a2wsgi's body reader, not bytes).
"""

from __future__ import annotations

import asyncio  # noqa: TID251 - a2wsgi is built on asyncio; this only detects the loop
from collections.abc import Callable
from typing import Any, cast

from asgi_core import warn_deprecated
from asgi_core.types import Receive, Scope, Send
from asgi_framework._extras import missing_extra

try:
    import a2wsgi
    from a2wsgi.wsgi import WSGIResponder, build_environ
except ImportError as exc:
    raise missing_extra(__name__, "wsgi") from exc

__all__ = ["WSGIMiddleware", "WSGIResponder", "build_environ"]

warn_deprecated(
    f"{__name__} is deprecated and will be removed in a future release. "
    "Please refer to https://github.com/abersheeran/a2wsgi as a replacement.",
    stacklevel=2,
)


class WSGIMiddleware:
    """Serve the WSGI application ``app`` as an ASGI application, through a2wsgi.

    ``Mount("/legacy", app=WSGIMiddleware(flask_app))`` serves a Flask or Django app under
    ``/legacy``: ``SCRIPT_NAME`` is the mount path and ``PATH_INFO`` the rest. The WSGI app
    runs in a pool of ``workers`` threads; at most ``send_queue_size`` response chunks wait
    to be sent. WebSocket connections are closed (1000) and lifespan events acknowledged.

    :param app: the WSGI application, ``app(environ, start_response)``.
    :param workers: threads running the WSGI application (a2wsgi's default).
    :param send_queue_size: response messages buffered between the thread and the server.
    """

    def __init__(
        self, app: Callable[..., Any], workers: int = 10, send_queue_size: int = 10
    ) -> None:
        self.app = app
        self._bridge = a2wsgi.WSGIMiddleware(
            cast(Any, app), workers=workers, send_queue_size=send_queue_size
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                raise RuntimeError(
                    "WSGIMiddleware serves WSGI apps on asyncio only (a2wsgi, which it is "
                    "built on, uses asyncio), but this request runs on another event loop "
                    "(trio?). Run the server on asyncio (uvicorn and hypercorn's default)."
                ) from None
        bridge: Any = self._bridge
        await bridge(scope, receive, send)
