"""``for_starlette``: our responses as Starlette ``Response`` instances, for FastAPI.

FastAPI sends a returned object as the response only if it is an instance of
``starlette.responses.Response``; anything else is serialised to JSON (a
``FileResponse`` would come out as ``{"path": ..., "status_code": ...}``, with status 200).
:func:`for_starlette` wraps one of our responses in an object that *is* such an instance
and sends our response unchanged. The wrapper class is made the first time it is needed,
so asgi-responses works without Starlette installed.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from asgi_core.types import Receive, Scope, Send
from asgi_responses._base import Response

if TYPE_CHECKING:
    from starlette.responses import Response as StarletteResponse

__all__ = ["for_starlette"]

# What FastAPI and Starlette read or assign on a response they got from an endpoint; each
# is forwarded to the wrapped response, so that (for example) FastAPI's background tasks
# become the wrapped response's background. The headers are the wrapped response's too.
_FORWARDED = ("status_code", "background", "raw_headers", "headers", "media_type", "charset")


def _forward(name: str) -> property:
    def get(self: Any) -> Any:
        return getattr(self.response, name)

    def set_(self: Any, value: Any) -> None:
        setattr(self.response, name, value)

    return property(get, set_, doc=f"The wrapped response's ``{name}``.")


@functools.cache
def _classes() -> tuple[type[StarletteResponse], type[StarletteResponse]]:
    """``(starlette.responses.Response, the adapter class)``, made on first use."""
    try:
        from starlette.responses import Response as StarletteResponse
    except ImportError:
        raise ImportError(
            "for_starlette() makes a starlette.responses.Response, so it needs Starlette, "
            "which is not installed (FastAPI installs it). Install it with: "
            "pip install 'asgi-responses[starlette]'"
        ) from None

    class StarletteAdapter(StarletteResponse):
        """A Starlette ``Response`` that sends an asgi-responses response unchanged."""

        def __init__(self, response: Response) -> None:
            # Starlette's __init__ would render a body; the wrapped response has one.
            self.__dict__["response"] = response

        def __getattr__(self, name: str) -> Any:
            # body, path, filename, body_iterator, ...: whatever the wrapped one has; not
            # private names, which belong to each class's own implementation
            if name.startswith("_") or "response" not in self.__dict__:
                raise AttributeError(name)
            return getattr(self.__dict__["response"], name)

        def set_cookie(self, *args: Any, **kwargs: Any) -> None:
            """Add a ``Set-Cookie`` header to the wrapped response."""
            self.response.set_cookie(*args, **kwargs)

        def delete_cookie(self, *args: Any, **kwargs: Any) -> None:
            """Expire a cookie on the wrapped response."""
            self.response.delete_cookie(*args, **kwargs)

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await self.response(scope, receive, send)

        def __repr__(self) -> str:
            return f"for_starlette({self.response!r})"

    for name in _FORWARDED:
        setattr(StarletteAdapter, name, _forward(name))
    return StarletteResponse, StarletteAdapter


def for_starlette(response: Response | StarletteResponse) -> StarletteResponse:
    """``response`` as a ``starlette.responses.Response``, to return from a FastAPI endpoint.

    ::

        @app.get("/report")
        def report():
            return for_starlette(FileResponse("report.pdf"))

    The result is an instance of a ``starlette.responses.Response`` subclass that sends
    ``response`` exactly as it would send itself (status, headers, body, Range, streaming,
    Server-Sent Events, background task). ``status_code``, ``background``, ``headers`` and
    cookies set on it go to ``response``, so FastAPI's ``BackgroundTasks`` run too. Needs
    Starlette (FastAPI depends on it); raises ``ImportError`` with the command to install it
    otherwise. A Starlette response is returned unchanged.
    """
    starlette_response, adapter = _classes()
    if isinstance(response, starlette_response):
        return response
    return adapter(response)
