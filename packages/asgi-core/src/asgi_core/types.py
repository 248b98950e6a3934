"""Type aliases for the ASGI interface, shared by every package of the family.

These follow the names Starlette exports from ``starlette.types`` so that type hints
written for Starlette keep working after a change of import root.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar, Union

__all__ = [
    "ASGIApp",
    "AppType",
    "ExceptionHandler",
    "HTTPExceptionHandler",
    "Lifespan",
    "Message",
    "Receive",
    "Scope",
    "Send",
    "StatefulLifespan",
    "StatelessLifespan",
    "WebSocketExceptionHandler",
]

AppType = TypeVar("AppType")

#: The connection scope: a mutable mapping with at least ``type``.
Scope = MutableMapping[str, Any]
#: One event received from or sent to the server.
Message = MutableMapping[str, Any]

#: Awaitable returning the next event from the server.
Receive = Callable[[], Awaitable[Message]]
#: Awaitable that sends one event to the server.
Send = Callable[[Message], Awaitable[None]]

#: An ASGI 3 application.
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: A lifespan context manager factory that yields nothing.
StatelessLifespan = Callable[[AppType], AbstractAsyncContextManager[None]]
#: A lifespan context manager factory that yields a mapping copied into request state.
StatefulLifespan = Callable[[AppType], AbstractAsyncContextManager[Mapping[str, Any]]]
#: Either form of lifespan.
Lifespan = Union[StatelessLifespan[AppType], StatefulLifespan[AppType]]  # noqa: UP007 - runtime alias on 3.10

#: ``handler(request, exc)`` returning a response (sync or async).
HTTPExceptionHandler = Callable[[Any, Exception], Any]
#: ``handler(websocket, exc)`` returning nothing (sync or async).
WebSocketExceptionHandler = Callable[[Any, Exception], Any]
#: Either kind of exception handler.
ExceptionHandler = Union[HTTPExceptionHandler, WebSocketExceptionHandler]  # noqa: UP007 - runtime alias on 3.10
