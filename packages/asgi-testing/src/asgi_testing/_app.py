"""Accepting any ASGI application: ASGI 3 callables and ASGI 2 (double-callable) ones."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Union

from asgi_core import is_async_callable
from asgi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ["ASGI2App", "AnyASGIApp", "as_asgi3"]

#: An ASGI 2 application: ``app(scope)`` returns ``instance``; ``await instance(receive, send)``.
ASGI2App = Callable[[Scope], Callable[[Receive, Send], Awaitable[None]]]
#: Either interface version.
AnyASGIApp = Union[ASGIApp, ASGI2App, Any]  # noqa: UP007 - runtime alias on 3.10


def _is_asgi3(app: Any) -> bool:
    if inspect.isclass(app):
        # an ASGI 2 app is often a class whose instances are awaitable-callables; an ASGI 3
        # class is instantiated with (scope, receive, send) and awaited
        return hasattr(app, "__await__")
    return is_async_callable(app)


class _ASGI2Wrapper:
    """Present an ASGI 2 app as an ASGI 3 one."""

    def __init__(self, app: ASGI2App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        instance = self.app(scope)
        await instance(receive, send)


def as_asgi3(app: Any) -> ASGIApp:
    """``app`` itself when it speaks ASGI 3, else an adapter for its ASGI 2 interface."""
    if _is_asgi3(app):
        asgi3: ASGIApp = app
        return asgi3
    return _ASGI2Wrapper(app)
