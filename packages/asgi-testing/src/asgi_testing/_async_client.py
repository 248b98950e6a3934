"""``AsyncTestClient``: an async httpx client wired to an ASGI application."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

import anyio
import anyio.abc
from typing_extensions import Self

from asgi_testing._app import AnyASGIApp, as_asgi3
from asgi_testing._client import (
    DEFAULT_TIMEOUT,
    default_headers,
    websocket_headers,
    websocket_url,
)
from asgi_testing._httpx import httpx
from asgi_testing._lifespan import LifespanRunner
from asgi_testing._transport import AsyncTestClientTransport, AsyncUpgrade
from asgi_testing._websocket import AsyncWebSocketTestSession

__all__ = ["AsyncTestClient"]


class AsyncTestClient(httpx.AsyncClient):
    """The async twin of :class:`~asgi_testing.TestClient`, for async tests.

    ``async with AsyncTestClient(app) as client:`` runs the lifespan and lets responses
    stream (``client.stream(...)``); without ``async with`` each response is read whole
    before the request returns. Leaving ``async with`` or ``aclose()`` finishes responses
    left open, as :class:`~asgi_testing.TestClient` does; the client can enter ``async with``
    again until ``aclose()``. Works on asyncio and trio.
    """

    __test__ = False
    _runner: LifespanRunner  # set by __aenter__
    _task_group: anyio.abc.TaskGroup  # set by __aenter__

    def __init__(
        self,
        app: AnyASGIApp,
        base_url: str = "http://testserver",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        cookies: httpx._types.CookieTypes | None = None,
        headers: dict[str, str] | None = None,
        follow_redirects: bool = True,
        client: tuple[str, int] = ("testclient", 50000),
        timeout: httpx._types.TimeoutTypes = DEFAULT_TIMEOUT,
    ) -> None:
        self.app = as_asgi3(app)
        self.app_state: dict[str, Any] = {}
        self._transport_ = AsyncTestClientTransport(
            self.app,
            raise_server_exceptions=raise_server_exceptions,
            root_path=root_path,
            app_state=self.app_state,
            client=client,
        )
        super().__init__(
            base_url=base_url,
            headers=default_headers(headers),
            transport=self._transport_,
            follow_redirects=follow_redirects,
            cookies=cookies,
            timeout=timeout,
        )

    def websocket_connect(
        self, url: str, subprotocols: Sequence[str] | None = None, **kwargs: Any
    ) -> _PendingWebSocket:
        """A WebSocket session: ``async with client.websocket_connect("/ws") as ws:``."""
        kwargs["headers"] = websocket_headers(kwargs.get("headers"), subprotocols)
        return _PendingWebSocket(self, websocket_url(self.base_url, url), kwargs)

    async def __aenter__(self) -> Self:
        self._task_group = anyio.create_task_group()
        await self._task_group.__aenter__()
        self._runner = LifespanRunner(self.app, self.app_state)
        self._task_group.start_soon(self._runner.run)
        try:
            await self._runner.startup(self.timeout.read)
        except BaseException:
            self._runner.cancel()
            await self._task_group.__aexit__(None, None, None)
            raise
        self._transport_.task_group = self._task_group
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        # The lifespan ends, the client stays open: it can send requests (read whole) or
        # enter a new ``async with`` block. ``aclose()`` closes it.
        self._transport_.task_group = None
        try:
            await self._transport_.finish_streams()
        finally:
            try:
                await self._runner.shutdown(self.timeout.read)
            finally:
                self._runner.cancel()
                self._task_group.cancel_scope.cancel()
                await self._task_group.__aexit__(None, None, None)


class _PendingWebSocket:
    """What ``AsyncTestClient.websocket_connect`` returns: enter it to connect."""

    _session: AsyncWebSocketTestSession  # set by __aenter__

    def __init__(self, client: AsyncTestClient, url: str, kwargs: dict[str, Any]) -> None:
        self._client = client
        self._url = url
        self._kwargs = kwargs

    async def __aenter__(self) -> AsyncWebSocketTestSession:
        try:
            await self._client.request("GET", self._url, **self._kwargs)
        except AsyncUpgrade as upgrade:
            self._session = upgrade.session
        else:  # pragma: no cover - the transport always upgrades ws:// URLs
            raise RuntimeError("Expected a WebSocket upgrade")
        return await self._session.__aenter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.__aexit__(exc_type, exc, tb)
