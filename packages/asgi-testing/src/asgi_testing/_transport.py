"""The httpx transports that hand requests to the application instead of the network."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack
from typing import Any

import anyio
import anyio.from_thread

from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing._exchange import HTTPExchange
from asgi_testing._httpx import httpx
from asgi_testing._scope import build_scope, is_websocket
from asgi_testing._websocket import AsyncWebSocketTestSession, WebSocketTestSession

__all__ = ["AsyncTestClientTransport", "AsyncUpgrade", "TestClientTransport", "Upgrade"]

PortalFactory = Callable[[], AbstractContextManager[anyio.from_thread.BlockingPortal]]


class Upgrade(Exception):
    """Raised through httpx to hand a WebSocket session back to ``TestClient.websocket_connect``."""

    def __init__(self, session: WebSocketTestSession) -> None:
        super().__init__()
        self.session = session


class AsyncUpgrade(Exception):
    """The async transport's :class:`Upgrade`, carrying an ``AsyncWebSocketTestSession``."""

    def __init__(self, session: AsyncWebSocketTestSession) -> None:
        super().__init__()
        self.session = session


def read_timeout(request: httpx.Request) -> float | None:
    """The read timeout httpx attached to ``request`` (``None``: wait forever)."""
    timeout: float | None = request.extensions.get("timeout", {}).get("read")
    return timeout


def response_for(
    request: httpx.Request, start: Message, exchange: HTTPExchange, stream: Any
) -> httpx.Response:
    response = httpx.Response(
        status_code=start["status"],
        headers=start.get("headers", []),
        stream=stream,
        request=request,
    )
    exchange.attach(response)
    return response


class _Base:
    def __init__(
        self,
        app: ASGIApp,
        *,
        raise_server_exceptions: bool,
        root_path: str,
        app_state: dict[str, Any],
        client: tuple[str, int],
    ) -> None:
        self.app = app
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path
        self.app_state = app_state
        self.client = client

    def scope_for(self, request: httpx.Request) -> Scope:
        return build_scope(
            request, root_path=self.root_path, client=self.client, app_state=self.app_state
        )


async def _async_body(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


class _SyncBody(httpx.SyncByteStream):
    """The response body, pulled chunk by chunk from the application across the portal.

    Registered in ``open_bodies`` until closed, so that closing the client can finish it.
    """

    def __init__(
        self,
        portal: anyio.from_thread.BlockingPortal,
        exchange: HTTPExchange,
        stack: ExitStack,
        timeout: float | None,
        open_bodies: list[_SyncBody],
    ) -> None:
        self._portal = portal
        self._exchange = exchange
        self._stack = stack
        self._timeout = timeout
        self._open_bodies = open_bodies
        self._ended = False
        open_bodies.append(self)

    def __iter__(self) -> Iterator[bytes]:
        while not self._ended:  # the client's close() may have finished it meanwhile
            chunk = self._portal.call(self._exchange.next_chunk, self._timeout)
            if chunk is None:
                return
            yield chunk

    def _end(self, how: Callable[[float | None], Awaitable[None]]) -> None:
        if self._ended:
            return  # already closed, or finished by the client's close()
        self._ended = True
        self._open_bodies.remove(self)
        with self._stack:
            self._portal.call(how, self._timeout)

    def close(self) -> None:
        self._end(self._exchange.close)

    def finish(self) -> None:
        """The client is closing: see :meth:`HTTPExchange.finish`."""
        self._end(self._exchange.finish)


class TestClientTransport(_Base, httpx.BaseTransport):
    """Runs each request through the application on a blocking portal's event loop."""

    __test__ = False

    def __init__(self, app: ASGIApp, *, portal_factory: PortalFactory, **options: Any) -> None:
        super().__init__(app, **options)
        self.portal_factory = portal_factory
        self.open_bodies: list[_SyncBody] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        scope = self.scope_for(request)
        timeout = read_timeout(request)
        if is_websocket(request):
            raise Upgrade(WebSocketTestSession(self.app, scope, self.portal_factory, timeout))
        stack = ExitStack()
        with stack:
            portal = stack.enter_context(self.portal_factory())
            body = _async_body(request.stream)  # type: ignore[arg-type]
            exchange = HTTPExchange(
                self.app, scope, body, request, raise_server_exceptions=self.raise_server_exceptions
            )
            portal.start_task_soon(exchange.run)
            stack.callback(portal.call, exchange.cancel)
            start = portal.call(exchange.response_start, timeout)
            stream = _SyncBody(portal, exchange, stack.pop_all(), timeout, self.open_bodies)
        return response_for(request, start, exchange, stream)

    def finish_streams(self) -> None:
        """Finish every response still open: wait for complete ones, cancel the others.

        The first exception of an application (raised after its complete response) is
        raised once all are finished.
        """
        first: Exception | None = None
        for body in list(self.open_bodies):
            try:
                body.finish()
            except Exception as exc:  # noqa: BLE001 - re-raised below, after the others
                first = first or exc
        if first is not None:
            raise first

    def close(self) -> None:
        """Called by ``TestClient.close()``: finish the responses still open."""
        self.finish_streams()


class _AsyncBody(httpx.AsyncByteStream):
    """The response body, awaited chunk by chunk from the application's task.

    An iterator class rather than an async generator, so that a test that stops reading
    early leaves no half-run generator behind (trio warns about those). Registered in
    ``open_bodies`` until closed, so that closing the client can finish it.
    """

    def __init__(
        self, exchange: HTTPExchange, timeout: float | None, open_bodies: list[_AsyncBody]
    ) -> None:
        self._exchange = exchange
        self._timeout = timeout
        self._open_bodies = open_bodies
        self._ended = False
        open_bodies.append(self)

    def __aiter__(self) -> _AsyncBody:
        return self

    async def __anext__(self) -> bytes:
        chunk = await self._exchange.next_chunk(self._timeout)
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    async def _end(self, how: Callable[[float | None], Awaitable[None]]) -> None:
        if self._ended:
            return  # already closed, or finished by the client's aclose()
        self._ended = True
        self._open_bodies.remove(self)
        await how(self._timeout)

    async def aclose(self) -> None:
        await self._end(self._exchange.close)

    async def finish(self) -> None:
        """The client is closing: see :meth:`HTTPExchange.finish`."""
        await self._end(self._exchange.finish)


class AsyncTestClientTransport(_Base, httpx.AsyncBaseTransport):
    """Runs each request through the application on the caller's event loop.

    Inside ``async with AsyncTestClient(app)`` the application runs in the client's task
    group and the response streams; outside it, the whole response is read before the
    request returns.
    """

    __test__ = False

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        super().__init__(app, **options)
        self.task_group: anyio.abc.TaskGroup | None = None
        self.open_bodies: list[_AsyncBody] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        scope = self.scope_for(request)
        timeout = read_timeout(request)
        if is_websocket(request):
            raise AsyncUpgrade(AsyncWebSocketTestSession(self.app, scope, timeout))
        body: AsyncIterator[bytes] = request.stream.__aiter__()  # type: ignore[union-attr]
        exchange = HTTPExchange(
            self.app, scope, body, request, raise_server_exceptions=self.raise_server_exceptions
        )
        if self.task_group is not None:
            self.task_group.start_soon(exchange.run)
            try:
                start = await exchange.response_start(timeout)
            except BaseException:
                exchange.cancel()
                raise
            stream = _AsyncBody(exchange, timeout, self.open_bodies)
            return response_for(request, start, exchange, stream)
        outcome: list[Any] = []
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(exchange.run)
            try:
                start = await exchange.response_start(timeout)
                chunks = []
                while (chunk := await exchange.next_chunk(timeout)) is not None:
                    chunks.append(chunk)
                await exchange.close(timeout)
                outcome.append(
                    response_for(request, start, exchange, httpx.ByteStream(b"".join(chunks)))
                )
            except Exception as exc:  # noqa: BLE001 - re-raised below, outside the task group
                exchange.cancel()
                outcome.append(exc)
        if isinstance(outcome[0], Exception):
            raise outcome[0]
        response: httpx.Response = outcome[0]
        return response

    async def finish_streams(self) -> None:
        """Finish every response still open: wait for complete ones, cancel the others.

        The first exception of an application (raised after its complete response) is
        raised once all are finished.
        """
        first: Exception | None = None
        for body in list(self.open_bodies):
            try:
                await body.finish()
            except Exception as exc:  # noqa: BLE001 - re-raised below, after the others
                first = first or exc
        if first is not None:
            raise first

    async def aclose(self) -> None:
        """Called by ``AsyncTestClient.aclose()``: finish the responses still open."""
        await self.finish_streams()
