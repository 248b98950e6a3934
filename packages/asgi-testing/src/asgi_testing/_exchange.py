"""One HTTP request/response exchange with an ASGI application, on an event loop.

The sync and the async client both drive this class: it runs the application as a task,
feeds it the request body, checks every message it sends against the ASGI protocol, and
hands the response to the client as a start message followed by body chunks and trailers.
Each chunk is handed over like a server with a full socket buffer would: the app's
``send()`` returns once the client has taken the chunk, so a streaming app runs only as far
ahead as the test reads. When the application stalls, ``response_start``/``next_chunk`` time
out with a message saying what the application had done so far.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio

from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing._apptask import END, AppTask
from asgi_testing._errors import ASGIProtocolError
from asgi_testing._httpx import httpx

__all__ = ["HTTPExchange", "apply_debug_info"]

ACCEPTED = (
    '"http.response.start", "http.response.body", "http.response.trailers", '
    '"http.response.debug", "http.response.push" or "http.response.early_hint"'
)


@dataclass
class _Body:
    chunk: bytes
    final: bool  # the response is complete after this chunk


@dataclass
class _Trailers:
    headers: list[Any]
    final: bool


def apply_debug_info(response: httpx.Response, info: dict[str, Any]) -> None:
    """Expose what the app reported through ``http.response.debug`` on ``response``.

    As Starlette's TestClient does: the whole ``info`` in ``response.extensions``, and its
    ``template`` and ``context`` (those a templating response sends) as attributes.
    """
    response.extensions["http.response.debug"] = info
    for name in ("template", "context"):
        if name in info:
            setattr(response, name, info[name])


class HTTPExchange(AppTask):
    """Run ``app`` for one request and collect its response."""

    def __init__(
        self,
        app: ASGIApp,
        scope: Scope,
        body: AsyncIterator[bytes],
        request: httpx.Request,
        *,
        raise_server_exceptions: bool,
    ) -> None:
        super().__init__()
        self.app = app
        self.scope = scope
        self.request = request
        self.raise_server_exceptions = raise_server_exceptions
        self.debug_info: dict[str, Any] | None = None
        self.response: httpx.Response | None = None
        #: The trailers received so far (exposed when the response start declared trailers).
        self.trailers: list[Any] = []
        self._body = body
        self._pending: bytes | None = None
        self._request_complete = False
        self._disconnect: anyio.Event | None = None
        self._client_done = False
        self._handlers: dict[str, Callable[[Message], Awaitable[None]]] = {
            "http.response.start": self._on_start,
            "http.response.body": self._on_body,
            "http.response.trailers": self._on_trailers,
            "http.response.debug": self._on_debug,
            # accepted and dropped, as a server that does not offer the extension would
            "http.response.push": self._ignore,
            "http.response.early_hint": self._ignore,
        }
        # what the application did, for checks and error messages
        self._received = 0
        self._waiting_for_disconnect = False
        self._start: Message | None = None
        self._trailers_declared = False
        self._body_bytes = 0
        self._body_complete = False
        self._response_complete = False

    # --- the application's side ------------------------------------------------------

    async def run(self) -> None:
        """Run the application to its end; its exception is kept for the client."""
        await self.run_app(lambda: self.app(self.scope, self._receive, self._send))

    def _disconnected(self) -> anyio.Event:
        """Set once the response is complete or the client went away."""
        if self._disconnect is None:
            self._disconnect = anyio.Event()
        return self._disconnect

    def _client_left(self) -> bool:
        """Whether the client closed the exchange before the response was complete."""
        disconnect = self._disconnect
        return disconnect is not None and disconnect.is_set() and not self._response_complete

    def _client_left_error(self, kind: str) -> OSError:
        # what an ASGI 2.4 server does (the scope says "spec_version": "2.4")
        return OSError(
            f"The client closed the connection before the response was complete: "
            f"{kind!r} cannot be sent. (ASGI 2.4 servers raise OSError here; stop "
            "sending and clean up.)"
        )

    async def _read_chunk(self) -> bytes | None:
        async for chunk in self._body:
            if chunk:
                return chunk
        return None

    async def _receive(self) -> Message:
        self._received += 1
        if not self._request_complete:
            chunk = self._pending if self._pending is not None else await self._read_chunk()
            self._pending = await self._read_chunk() if chunk is not None else None
            more = self._pending is not None
            self._request_complete = not more
            return {"type": "http.request", "body": chunk or b"", "more_body": more}
        self._waiting_for_disconnect = True
        await self._disconnected().wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: Message) -> None:
        kind = message["type"]
        if self._client_left():
            raise self._client_left_error(kind)
        handler = self._handlers.get(kind)
        if handler is None:
            raise ASGIProtocolError(
                f"The app sent a {kind!r} message, which an HTTP connection does not accept "
                f"(expected {ACCEPTED})."
            )
        await handler(message)

    async def _hand_over(self, item: _Body | _Trailers, kind: str) -> None:
        """Queue ``item`` for the client and wait until it has taken it."""
        self._events.put(item)
        await self._events.drained()
        if self._client_left():
            raise self._client_left_error(kind)

    def _complete(self) -> None:
        self._response_complete = True
        self._disconnected().set()

    async def _on_start(self, message: Message) -> None:
        if self._start is not None:
            raise ASGIProtocolError(
                'The app sent "http.response.start" twice; a response has exactly one '
                f"start (first status {self._start['status']}, then {message.get('status')})."
            )
        self._start = message
        self._trailers_declared = bool(message.get("trailers", False))
        self._events.put(message)

    async def _on_body(self, message: Message) -> None:
        if self._start is None:
            raise ASGIProtocolError(
                'The app sent "http.response.body" before "http.response.start".'
            )
        if self._response_complete:
            raise ASGIProtocolError(
                'The app sent "http.response.body" after the response was complete '
                '(an earlier message ended it: "http.response.body" without more_body=True, '
                'or "http.response.trailers" without more_trailers=True).'
            )
        if self._body_complete:
            raise ASGIProtocolError(
                'The app sent "http.response.body" after the body was complete; only '
                '"http.response.trailers" may follow the last body message.'
            )
        body = message.get("body", b"")
        if not isinstance(body, (bytes, bytearray, memoryview)):
            raise ASGIProtocolError(
                f'The app sent "http.response.body" with a body of type {type(body).__name__}; '
                "it must be bytes (encode text first, e.g. text.encode())."
            )
        # a copy: the app may reuse a bytearray or memoryview once send() returns
        body = bytes(body)
        self._body_bytes += len(body)
        more = bool(message.get("more_body", False))
        if not more:
            self._body_complete = True
            if not self._trailers_declared:
                self._complete()
        if self.scope["method"] == "HEAD":  # like a server: a HEAD response has no body
            body = b""
        if body or not more:
            await self._hand_over(_Body(body, self._response_complete), message["type"])

    async def _on_trailers(self, message: Message) -> None:
        if not self._trailers_declared:
            raise ASGIProtocolError(
                'The app sent "http.response.trailers" without declaring trailers: send '
                '"trailers": True in "http.response.start" (the scope offers the '
                '"http.response.trailers" extension).'
            )
        if self._response_complete:
            raise ASGIProtocolError(
                'The app sent "http.response.trailers" after the response was complete '
                '(an earlier "http.response.trailers" had no more_trailers=True).'
            )
        if not self._body_complete:
            raise ASGIProtocolError(
                'The app sent "http.response.trailers" before the body was complete; '
                'trailers follow the last "http.response.body" (the one without '
                "more_body=True)."
            )
        more = bool(message.get("more_trailers", False))
        if not more:
            self._complete()
        headers = list(message.get("headers", []))
        await self._hand_over(_Trailers(headers, not more), message["type"])

    async def _on_debug(self, message: Message) -> None:
        if "info" not in message:
            raise ASGIProtocolError(
                'The app sent "http.response.debug" without "info" (a dict such as '
                '{"template": ..., "context": ...}).'
            )
        self.debug_info = message["info"]
        if self.response is not None:
            apply_debug_info(self.response, message["info"])

    async def _ignore(self, message: Message) -> None:
        return None

    # --- the client's side -----------------------------------------------------------

    def attach(self, response: httpx.Response) -> None:
        """Expose trailers and debug information on the response the client returns."""
        self.response = response
        if self._trailers_declared:
            response.extensions["http.response.trailers"] = self.trailers
        if self.debug_info is not None:
            apply_debug_info(response, self.debug_info)

    def _what_the_app_did(self) -> str:
        if self._body_complete:
            return (
                f"it sent the whole body ({self._body_bytes} bytes) but not the last "
                '"http.response.trailers" (the response start declared trailers)'
            )
        if self._start is not None:
            return (
                f"it sent the response start (status {self._start['status']}) and "
                f"{self._body_bytes} body bytes, but not the end of the body"
            )
        if self._waiting_for_disconnect:
            return (
                "it read the whole request body and is waiting in receive(), which only "
                "returns http.disconnect once the response is complete"
            )
        if self._received:
            return f"it received {self._received} request message(s) and sent nothing"
        return "it neither called receive() nor sent anything"

    async def _next(self, timeout: float | None, waiting_for: str) -> Any:
        def timed_out() -> Exception:
            return httpx.ReadTimeout(
                f"The app did not send {waiting_for} within {timeout} seconds: "
                f"{self._what_the_app_did()}. The app was cancelled. Pass a larger timeout= "
                "(or timeout=None) if it is just slow.",
                request=self.request,
            )

        return await self.next_event(timeout, timed_out)

    def _raise_app_error(self) -> None:
        if self.raise_server_exceptions:
            self.raise_app_error()

    async def response_start(self, timeout: float | None) -> Message:
        """The ``http.response.start`` message (a bare 500 when the app failed first)."""
        event = await self._next(timeout, 'the response start ("http.response.start")')
        if event is END:
            self._raise_app_error()
            if self.error is None:
                raise ASGIProtocolError(
                    'The app returned without sending "http.response.start": every HTTP '
                    "request needs a response."
                )
            self._client_done = True
            return {"type": "http.response.start", "status": 500, "headers": []}
        message: Message = event
        return message

    async def next_chunk(self, timeout: float | None) -> bytes | None:
        """The next chunk of the body, or ``None`` once the response is complete.

        Trailers that arrive on the way are added to :attr:`trailers`.
        """
        while not self._client_done:
            waiting_for = (
                'the response trailers ("http.response.trailers")'
                if self._body_complete
                else "the rest of the response body"
            )
            event = await self._next(timeout, waiting_for)
            if event is END:
                self._client_done = True
                self._raise_app_error()
                if self.error is None and not self._body_complete:
                    raise ASGIProtocolError(
                        "The app returned before finishing the response body: its last "
                        '"http.response.body" had more_body=True.'
                    )
                return None
            self._client_done = event.final
            if isinstance(event, _Trailers):
                self.trailers.extend(event.headers)
            elif event.chunk:
                chunk: bytes = event.chunk
                return chunk
        return None

    async def close(self, timeout: float | None) -> None:
        """The client is done with the response: wait for the app to end.

        After a complete response the app may still run background tasks: they are awaited
        and their exception raised. A client that stops reading early disconnects: the app
        sees ``http.disconnect`` (and ``OSError`` from ``send()``) and is cancelled if it
        does not end in time.
        """
        read_everything = self._client_done
        self._client_done = True  # reading on after the close finds the end
        self._disconnected().set()
        if not await self.wait_for_end(timeout):
            self.cancel()
            if read_everything:
                raise httpx.ReadTimeout(
                    f"The app sent the whole response but did not return within {timeout} "
                    "seconds (background tasks still running?). The app was cancelled.",
                    request=self.request,
                )
        if read_everything:
            self._raise_app_error()

    async def finish(self, timeout: float | None) -> None:
        """The client itself is closing while this response is still open.

        A response the client has received completely is closed as usual, so its
        background tasks are awaited and their exception raised; an unfinished one is
        cancelled, as a server that shuts down cancels its requests.
        """
        if self._client_done:
            await self.close(timeout)
            return
        self._client_done = True
        self.cancel()
        await self.wait_for_end(timeout)
