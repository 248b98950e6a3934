"""``TestClient``: a synchronous httpx client wired to an ASGI application."""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Any, Literal, TypedDict
from urllib.parse import urlsplit, urlunsplit

import anyio.from_thread
from typing_extensions import Self

from asgi_testing._app import AnyASGIApp, as_asgi3
from asgi_testing._httpx import httpx
from asgi_testing._lifespan import LifespanRunner
from asgi_testing._transport import TestClientTransport, Upgrade
from asgi_testing._websocket import WebSocketTestSession

__all__ = ["TestClient", "websocket_headers", "websocket_url"]

#: The default timeout: generous, so that a debugger session inside the app survives it,
#: but bounded, so that a stuck app fails the test instead of hanging it.
DEFAULT_TIMEOUT = httpx.Timeout(30.0)


class _AsyncBackend(TypedDict):
    backend: str
    backend_options: dict[str, Any]


def default_headers(headers: dict[str, str] | None) -> dict[str, str]:
    """The client's default headers: ``headers``, then Starlette's ``user-agent: testclient``.

    The order is Starlette's, so the application sees the same header list. A user agent
    of the caller's (in any letter case) replaces ours instead of being sent beside it.
    """
    merged = dict(headers or {})
    if not any(name.lower() == "user-agent" for name in merged):
        merged["user-agent"] = "testclient"
    return merged


def websocket_url(base_url: httpx.URL, url: str) -> str:
    """``url`` made absolute against ``base_url``, with an ``ws``/``wss`` scheme."""
    absolute = base_url.join(url)
    parts = urlsplit(str(absolute))
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, *parts[1:]))


def websocket_headers(headers: Any, subprotocols: Sequence[str] | None) -> dict[str, str]:
    """The handshake headers a WebSocket client sends, merged with ``headers``."""
    merged = dict(httpx.Headers(headers or {}))
    merged.setdefault("connection", "upgrade")
    merged.setdefault("upgrade", "websocket")
    merged.setdefault("sec-websocket-key", "testserver==")
    merged.setdefault("sec-websocket-version", "13")
    if subprotocols is not None:
        merged.setdefault("sec-websocket-protocol", ", ".join(subprotocols))
    return merged


class TestClient(httpx.Client):
    """Call any ASGI application (ASGI 3 or 2) through httpx, without a server.

    Every httpx request method works (``get``, ``post``, ``stream``, ...). Cookies persist
    between requests; redirects are followed by default. Used as a context manager, the
    client runs the application's lifespan (startup on entry, shutdown on exit) and keeps
    one event loop for all requests; otherwise each request gets its own.

    With ``raise_server_exceptions=True`` (the default) an exception of the application is
    raised in the test; with ``False`` it becomes a ``500`` response. A request that gets no
    response within the timeout (30 s by default; httpx's ``timeout=``) fails with a message
    saying what the application had done, instead of hanging.

    Leaving the ``with`` block or ``close()`` cancels streamed responses left open unfinished
    and waits for the applications of those received whole. After its ``with`` block the
    client can be used again; ``close()`` ends it. The base class is ``httpx2.Client`` when
    httpx2 is installed, ``httpx.Client`` otherwise.
    """

    __test__ = False

    def __init__(
        self,
        app: AnyASGIApp,
        base_url: str = "http://testserver",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        backend: Literal["asyncio", "trio"] = "asyncio",
        backend_options: dict[str, Any] | None = None,
        cookies: httpx._types.CookieTypes | None = None,
        headers: dict[str, str] | None = None,
        follow_redirects: bool = True,
        client: tuple[str, int] = ("testclient", 50000),
        timeout: httpx._types.TimeoutTypes = DEFAULT_TIMEOUT,
    ) -> None:
        self.app = as_asgi3(app)
        self.async_backend = _AsyncBackend(backend=backend, backend_options=backend_options or {})
        self.app_state: dict[str, Any] = {}
        self.portal: anyio.from_thread.BlockingPortal | None = None
        self._lifespan_stack = ExitStack()
        self._transport_ = transport = TestClientTransport(
            self.app,
            portal_factory=self._portal_factory,
            raise_server_exceptions=raise_server_exceptions,
            root_path=root_path,
            app_state=self.app_state,
            client=client,
        )
        super().__init__(
            base_url=base_url,
            headers=default_headers(headers),
            transport=transport,
            follow_redirects=follow_redirects,
            cookies=cookies,
            timeout=timeout,
        )

    @contextlib.contextmanager
    def _portal_factory(self) -> Generator[anyio.from_thread.BlockingPortal, None, None]:
        if self.portal is not None:
            yield self.portal
        else:
            with anyio.from_thread.start_blocking_portal(**self.async_backend) as portal:
                yield portal

    def websocket_connect(
        self, url: str, subprotocols: Sequence[str] | None = None, **kwargs: Any
    ) -> WebSocketTestSession:
        """Open a WebSocket session; use it as a context manager to run the handshake."""
        kwargs["headers"] = websocket_headers(kwargs.get("headers"), subprotocols)
        try:
            self.request("GET", websocket_url(self.base_url, url), **kwargs)
        except Upgrade as upgrade:
            return upgrade.session
        raise RuntimeError(
            "Expected a WebSocket upgrade"
        )  # pragma: no cover - transport always upgrades ws:// URLs

    def __enter__(self) -> Self:
        with ExitStack() as stack:
            self.portal = portal = stack.enter_context(
                anyio.from_thread.start_blocking_portal(**self.async_backend)
            )

            @stack.callback
            def forget_portal() -> None:
                self.portal = None

            runner = LifespanRunner(self.app, self.app_state)
            portal.start_task_soon(runner.run)
            stack.callback(portal.call, runner.cancel)
            timeout = self.timeout.read
            portal.call(runner.startup, timeout)
            stack.callback(portal.call, runner.shutdown, timeout)
            # before the shutdown: responses left open are finished on this event loop
            stack.callback(self._transport_.finish_streams)
            self._lifespan_stack = stack.pop_all()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        # The lifespan ends, the client stays open: like Starlette's, it can send requests
        # (each on its own event loop) or enter a new ``with`` block. ``close()`` closes it.
        self._lifespan_stack.close()
