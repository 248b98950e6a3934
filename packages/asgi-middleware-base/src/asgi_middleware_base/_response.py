"""The response ``call_next`` returns: the downstream's status and headers, its body streamed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio

from asgi_core.types import Message, Receive, Scope, Send
from asgi_middleware_base._downstream import Downstream
from asgi_middleware_base._types import AsyncContentStream
from asgi_responses import Response

__all__ = ["BodyIterator", "StreamingResponseWrapper"]

_PATHSEND = "http.response.pathsend"


class BodyIterator:
    """The downstream's body: ``bytes`` chunks, and other messages (pathsend) as they are.

    Empty chunks are left out (as Starlette's). It ends at the last body message (so
    trailers are left out too); that message's ``send`` stays pending until the response
    was sent, so the application's background tasks start only then. An exception of the
    application while streaming is raised here as itself.
    """

    __slots__ = ("_done", "_downstream")

    def __init__(self, downstream: Downstream) -> None:
        self._downstream = downstream
        self._done = False

    def __aiter__(self) -> BodyIterator:
        return self

    async def __anext__(self) -> Any:
        if self._done:
            raise StopAsyncIteration
        downstream = self._downstream
        while True:
            message = await downstream.next_message()
            if message is None:  # the application returned (or failed) before the end
                self._done = True
                failure = downstream.take_failure()
                if failure is not None:
                    try:
                        raise failure
                    finally:
                        failure = None  # no reference cycle through this frame's traceback
                raise StopAsyncIteration
            kind = message["type"]
            if kind != "http.response.body":  # pathsend, zerocopy: passed on as they are
                if kind == _PATHSEND:
                    self._done = True
                return message
            body = message.get("body", b"")
            if not message.get("more_body", False):
                self._done = True
                if not body:
                    raise StopAsyncIteration
            if body:
                return body

    async def aclose(self) -> None:
        """Stop iterating (the downstream finishes when the middleware's call ends)."""
        self._done = True


class StreamingResponseWrapper(Response):
    """What ``call_next`` returns; change its headers or status, or return another response.

    ``status_code``, ``headers`` (and ``raw_headers``, a copy of the application's),
    ``media_type`` (``None``), ``info`` (the ``http.response.debug`` information, if any),
    ``background`` (``None``; set it to run a task after the response) and
    ``body_iterator`` (replace it with an async iterable of chunks to change the body).
    """

    def __init__(self, start: Message, info: Mapping[str, Any] | None, downstream: Downstream):
        self.status_code = start["status"]
        self.raw_headers = list(start.get("headers", ()))
        self.info = info
        self.background = None
        self.body_iterator: AsyncContentStream = BodyIterator(downstream)
        self._downstream = downstream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the start and the body; then the downstream's background tasks run.

        If the server's ``send`` raises ``OSError`` (the client is gone, ASGI 2.4), the
        downstream's pending and later sends raise it too, as without the middleware.
        """
        downstream = self._downstream
        try:
            await self._send_response(send)
        except _ClientGone as gone:
            downstream.client_gone(gone.error)
        finally:
            iterator = self.body_iterator
            if type(iterator) is BodyIterator:
                iterator._done = True  # nothing to wait for
            else:  # a generator of dispatch's: run its finally blocks, even when cancelled
                with anyio.CancelScope(shield=True):
                    aclose = getattr(iterator, "aclose", None)
                    if aclose is not None:
                        await aclose()
        downstream.close()
        if self.background is not None:
            await self.background()

    async def _send_response(self, send: Send) -> None:
        if self.info is not None:
            await _forward(send, {"type": "http.response.debug", "info": self.info})
        await _forward(
            send,
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": self.raw_headers,
            },
        )
        self._downstream.start_sent = True
        charset = self.charset
        ended = False
        async for chunk in self.body_iterator:
            if isinstance(chunk, (bytes, memoryview)):
                message: Message = {"type": "http.response.body", "body": chunk, "more_body": True}
            elif isinstance(chunk, str):
                body = chunk.encode(charset)
                message = {"type": "http.response.body", "body": body, "more_body": True}
            else:
                message = chunk
                ended = message["type"] == _PATHSEND
            await _forward(send, message)
        if not ended:
            await _forward(send, {"type": "http.response.body", "body": b"", "more_body": False})


class _ClientGone(Exception):
    """The server's ``send`` raised ``OSError``: the client is gone."""

    def __init__(self, error: OSError) -> None:
        self.error = error


async def _forward(send: Send, message: Message) -> None:
    """``send(message)``, its ``OSError`` (and only its) turned into :class:`_ClientGone`."""
    try:
        await send(message)
    except OSError as exc:
        raise _ClientGone(exc) from None
