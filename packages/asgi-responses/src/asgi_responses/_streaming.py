"""``StreamingResponse``: a body produced chunk by chunk by an iterator."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from types import AsyncGeneratorType
from typing import Any, Union

import anyio

from asgi_core import BackgroundTask, ClientDisconnect, iterate_in_threadpool, run_in_threadpool
from asgi_core.types import Receive, Scope, Send
from asgi_responses._base import Response, websocket_denial_send
from asgi_responses._disconnect import until_disconnect, watches_receive
from asgi_responses._watch import past_watches

__all__ = ["ContentStream", "StreamingResponse"]

#: What a streaming response accepts: chunks of ``str``, ``bytes`` or ``memoryview``.
ContentStream = Union[AsyncIterable[Any], Iterable[Any]]  # noqa: UP007 - runtime alias on 3.10


class StreamingResponse(Response):
    """Stream ``content`` (a sync or async iterable of ``str``/``bytes`` chunks).

    Sync iterables are iterated in a worker thread. No ``content-length`` is set unless
    given in ``headers``. When the client goes away the iterator is closed (its ``finally``
    blocks run). As in Starlette: below ASGI 2.4 ``http.disconnect`` is watched for and
    streaming stops quietly (background tasks still run); from 2.4 on, an ``OSError`` while
    streaming (the server's ``send`` raises one once the client is gone) is raised as
    :class:`~asgi_core.ClientDisconnect`, chained to it, and background tasks do not run.
    """

    def __init__(
        self,
        content: ContentStream,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        self.body_source = content
        if isinstance(content, AsyncIterable):
            self.body_iterator: AsyncIterator[Any] = aiter(content)
        else:
            self.body_iterator = iterate_in_threadpool(content)
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type  # type: ignore[misc]
        self.background = background
        self.init_headers(headers)

    async def stream_response(self, send: Send) -> None:
        """Send the start, every chunk, and the end of the body."""
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        send = past_watches(send)  # a call less per chunk for every watch on the start
        charset = self.charset
        # str.encode() without an argument skips looking the codec up by its name
        utf8 = charset == "utf-8"
        async for chunk in self.body_iterator:
            # the exact-type test first: the common str chunk skips isinstance (a call and
            # a tuple per chunk, about an eighth of a chunk's cost)
            if type(chunk) is str:
                chunk = chunk.encode() if utf8 else chunk.encode(charset)
            elif not isinstance(chunk, (bytes, memoryview)):
                chunk = chunk.encode(charset)
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.stream_response(websocket_denial_send(send))
        else:
            completed = False
            try:
                completed = await until_disconnect(self.stream_response, scope, receive, send)
            except OSError as exc:
                if watches_receive(scope):
                    raise
                raise ClientDisconnect() from exc
            finally:
                await self._close(disconnected=not completed)
        if self.background is not None:
            await self.background()

    async def _close(self, *, disconnected: bool) -> None:
        """Close the async iterator, and on disconnect the sync source too (its ``finally``)."""
        iterator = self.body_iterator
        if not disconnected and type(iterator) is AsyncGeneratorType and iterator.ag_frame is None:
            return  # an async generator that ran to its end: closing it would do nothing
        with anyio.CancelScope(shield=True):
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                await aclose()
            close = getattr(self.body_source, "close", None)
            if (
                disconnected
                and close is not None
                and not isinstance(self.body_source, AsyncIterable)
            ):
                await run_in_threadpool(close)
