"""The httpx transports that hand requests to the application instead of the network."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack
from typing import Any

import anyio
import anyio.from_thread
import httpx

from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing._exchange import HTTPExchange
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
    if exchange.debug_info is not None:
        # what templating responses report through the "http.response.debug" extension
        response.template = exchange.debug_info.get("template")  # type: ignore[attr-defined]
        response.context = exchange.debug_info.get("context")  # type: ignore[attr-defined]
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
    """The response body, pulled chunk by chunk from the application across the portal."""

    def __init__(
        self,
        portal: anyio.from_thread.BlockingPortal,
        exchange: HTTPExchange,
        stack: ExitStack,
        timeout: float | None,
    ) -> None:
        self._portal = portal
        self._exchange = exchange
        self._stack = stack
        self._timeout = timeout

    def __iter__(self) -> Iterator[bytes]:
        while True:
            chunk = self._portal.call(self._exchange.next_chunk, self._timeout)
            if chunk is None:
                return
            yield chunk

    def close(self) -> None:
        with self._stack:
            self._portal.call(self._exchange.close, self._timeout)


class TestClientTransport(_Base, httpx.BaseTransport):
    """Runs each request through the application on a blocking portal's event loop."""

    __test__ = False

    def __init__(self, app: ASGIApp, *, portal_factory: PortalFactory, **options: Any) -> None:
        super().__init__(app, **options)
        self.portal_factory = portal_factory

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
            stream = _SyncBody(portal, exchange, stack.pop_all(), timeout)
        return response_for(request, start, exchange, stream)


class _AsyncBody(httpx.AsyncByteStream):
    """The response body, awaited chunk by chunk from the application's task.

    An iterator class rather than an async generator, so that a test that stops reading
    early leaves no half-run generator behind (trio warns about those).
    """

    def __init__(self, exchange: HTTPExchange, timeout: float | None) -> None:
        self._exchange = exchange
        self._timeout = timeout

    def __aiter__(self) -> _AsyncBody:
        return self

    async def __anext__(self) -> bytes:
        chunk = await self._exchange.next_chunk(self._timeout)
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        await self._exchange.close(self._timeout)


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
            return response_for(request, start, exchange, _AsyncBody(exchange, timeout))
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
