"""Who answers a 404 or 405: the surrounding application, or ``StaticFiles`` itself.

``StaticFiles.get_response`` raises ``HTTPException`` as Starlette's does, so subclasses can
catch it and applications can render their own error pages. Whether something outside will
handle it is read from the exception-handler registry in the scope (Starlette's key and
shape, which asgi-framework, Starlette and FastAPI all fill in):

- the registry handles ``asgi_core.HTTPException``: raise it (asgi-framework's ``App``);
- the registry handles another framework's class named ``HTTPException`` (Starlette's,
  which FastAPI uses): raise that class instead, so the application's own handlers and
  error pages apply, as they would to Starlette's ``StaticFiles``;
- no registry (Django, a bare router, a server): answer with the plain-text response the
  default handler would send, instead of letting the server turn the exception into a 500.
"""

from __future__ import annotations

from collections.abc import Mapping

from asgi_core import HTTPException
from asgi_core.scope_keys import EXCEPTION_HANDLERS
from asgi_core.types import Scope
from asgi_responses import PlainTextResponse, Response

__all__ = ["app_exception", "error_response"]


def _registered_classes(scope: Scope) -> Mapping[object, object]:
    handlers = scope.get(EXCEPTION_HANDLERS)
    if isinstance(handlers, tuple) and handlers and isinstance(handlers[0], Mapping):
        return handlers[0]
    return {}


def app_exception(exc: HTTPException, scope: Scope) -> BaseException | None:
    """The exception to raise so the application answers ``exc``, or ``None`` to answer here."""
    by_class = _registered_classes(scope)
    if not by_class:
        return None
    if any(cls in by_class for cls in type(exc).__mro__ if issubclass(cls, HTTPException)):
        return exc
    for cls in by_class:
        if isinstance(cls, type) and issubclass(cls, Exception) and cls.__name__ == "HTTPException":
            try:
                built: BaseException = cls(
                    status_code=exc.status_code,  # type: ignore[call-arg]
                    detail=exc.detail,
                    headers=exc.headers,
                )
                return built
            except TypeError:  # another library's class of that name, built differently
                return None
    return None


def error_response(exc: HTTPException) -> Response:
    """What the default ``HTTPException`` handler sends: the detail as plain text."""
    return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
