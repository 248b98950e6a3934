"""The type aliases of ``starlette.middleware.base``, over this family's classes."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, MutableMapping
from typing import Any, Union

from asgi_core import Request
from asgi_responses import Response

__all__ = [
    "AsyncContentStream",
    "BodyStreamGenerator",
    "DispatchFunction",
    "RequestResponseEndpoint",
]

#: ``call_next``: give it the request, get the downstream application's response.
RequestResponseEndpoint = Callable[[Request], Awaitable[Response]]
#: ``dispatch(request, call_next)``: what ``BaseHTTPMiddleware(app, dispatch=...)`` takes.
DispatchFunction = Callable[[Request, RequestResponseEndpoint], Awaitable[Response]]
#: A body iterator that yields body chunks, or whole ASGI messages (``http.response.pathsend``).
BodyStreamGenerator = AsyncGenerator[Union[bytes, MutableMapping[str, Any]], None]  # noqa: UP007
#: What ``response.body_iterator`` may be replaced with: chunks (``str`` is encoded with the
#: response's charset) or whole ASGI messages.
AsyncContentStream = AsyncIterable[Union[str, bytes, memoryview, MutableMapping[str, Any]]]  # noqa: UP007
