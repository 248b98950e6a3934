"""``requires``: protect an endpoint with scopes; ``has_required_scope``: test them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, ParamSpec, Protocol, cast
from urllib.parse import urlencode

from asgi_core import HTTPConnection, HTTPException, Request, UsageError, is_async_callable
from asgi_responses import RedirectResponse

__all__ = ["has_required_scope", "requires"]

_P = ParamSpec("_P")

#: The names ``requires`` looks for, in a function's parameters, to find the connection.
_CONNECTION_PARAMETERS = ("request", "websocket")


class _Closable(Protocol):
    async def close(self) -> None: ...


def has_required_scope(conn: HTTPConnection, scopes: Sequence[str]) -> bool:
    """Whether ``conn.auth`` (set by the middleware) grants every scope in ``scopes``.

    As in Starlette, ``scopes`` is iterated: pass a list (``["admin"]``); a string is
    checked character by character. An empty ``scopes`` is always granted.
    """
    return all(scope in conn.auth.scopes for scope in scopes)


def requires(
    scopes: str | Sequence[str], status_code: int = 403, redirect: str | None = None
) -> Callable[[Callable[_P, Any]], Callable[_P, Any]]:
    """Decorate an endpoint so that it runs only when the connection has all ``scopes``.

    The endpoint (a function or a method, sync or async) must have a parameter named
    ``request`` or ``websocket``: the connection is found by that name. When a scope is
    missing, an HTTP endpoint raises ``HTTPException(status_code)`` or, with ``redirect``
    (a route name), returns a ``303`` to that route with ``?next=<the request's URL>``; a
    WebSocket endpoint closes the connection (code ``1000``, as in Starlette) instead.
    """
    required = _scope_list(scopes)
    _check_options(status_code, redirect)

    def decorator(func: Callable[_P, Any]) -> Callable[_P, Any]:
        name, index = _connection_parameter(func)

        def connection(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            if kwargs and name in kwargs:
                return kwargs[name]
            return args[index] if index < len(args) else None

        if name == "websocket":

            @functools.wraps(func)
            async def websocket_wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Any:
                websocket = connection(args, kwargs)
                if not (
                    isinstance(websocket, HTTPConnection)
                    and websocket.scope["type"] == "websocket"
                    and hasattr(websocket, "close")
                ):
                    _wrong_type("websocket", "WebSocket", websocket)
                if not has_required_scope(websocket, required):
                    await cast(_Closable, websocket).close()
                    return None
                return await func(*args, **kwargs)

            return websocket_wrapper

        if is_async_callable(func):

            @functools.wraps(func)
            async def async_wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Any:
                request = connection(args, kwargs)
                if not isinstance(request, Request):
                    _wrong_type("request", "Request", request)
                if not has_required_scope(request, required):
                    return _refuse(request, status_code, redirect)
                return await func(*args, **kwargs)

            return async_wrapper

        @functools.wraps(func)
        def sync_wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Any:
            request = connection(args, kwargs)
            if not isinstance(request, Request):
                _wrong_type("request", "Request", request)
            if not has_required_scope(request, required):
                return _refuse(request, status_code, redirect)
            return func(*args, **kwargs)

        return sync_wrapper

    return decorator


def _scope_list(scopes: str | Sequence[str]) -> list[str]:
    if isinstance(scopes, str):
        return [scopes]
    try:
        return list(scopes)
    except TypeError:
        raise TypeError(
            f"requires() takes a scope name or a sequence of scope names, got {scopes!r}. "
            "Write requires('authenticated') or requires(['authenticated', 'admin'])."
        ) from None


def _check_options(status_code: int, redirect: str | None) -> None:
    if isinstance(status_code, bool) or not isinstance(status_code, int):
        raise TypeError(
            f"requires(status_code=...) must be an int, got {status_code!r}. "
            "Pass an HTTP status such as 403 or 404."
        )
    if not 400 <= status_code <= 599:
        raise ValueError(
            f"requires(status_code=...) must be an HTTP error status (400-599), got "
            f"{status_code}. To send the user elsewhere, pass redirect='<route name>'."
        )
    if redirect is not None and not isinstance(redirect, str):
        raise TypeError(
            f"requires(redirect=...) must be the name of a route (a str) or None, got {redirect!r}."
        )


def _connection_parameter(func: Callable[..., Any]) -> tuple[str, int]:
    """The name and position of the parameter that receives the connection."""
    for index, parameter in enumerate(inspect.signature(func).parameters.values()):
        if parameter.name in _CONNECTION_PARAMETERS:
            return parameter.name, index
    raise TypeError(
        f'No "request" or "websocket" argument on function "{func!r}": requires() finds '
        'the connection by its parameter name. Name that parameter "request" (HTTP) or '
        '"websocket" (WebSocket).'
    )


def _wrong_type(name: str, expected: str, value: object) -> NoReturn:
    raise UsageError(
        f"Parameter with name '{name}' is required to be of type '{expected}' not "
        f"'{type(value).__name__}'"
    )


def _refuse(request: Request, status_code: int, redirect: str | None) -> RedirectResponse:
    if redirect is None:
        raise HTTPException(status_code=status_code)
    query = urlencode({"next": str(request.url)})
    return RedirectResponse(url=f"{request.url_for(redirect)}?{query}", status_code=303)
