"""One HTTP request/response exchange with an ASGI application, on an event loop.

The sync and the async client both drive this class: it runs the application as a task,
feeds it the request body, checks every message it sends against the ASGI protocol, and
hands the response to the client as a start message followed by body chunks. When the
application stalls, ``response_start``/``next_chunk`` time out with a message saying what
the application had done so far.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx

from asgi_core.types import ASGIApp, Message, Scope
from asgi_testing._apptask import END, AppTask
from asgi_testing._errors import ASGIProtocolError

__all__ = ["HTTPExchange"]

#: Queued after the last body chunk.
_BODY_END = None


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
        self._body = body
        self._pending: bytes | None = None
        self._request_complete = False
        self._disconnect: anyio.Event | None = None
        self._client_done = False
        # what the application did, for error messages
        self._received = 0
        self._waiting_for_disconnect = False
        self._start: Message | None = None
        self._body_bytes = 0
        self._body_complete = False

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
        """Whether the client closed the exchange before the response body was complete."""
        disconnect = self._disconnect
        return disconnect is not None and disconnect.is_set() and not self._body_complete

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
            # what an ASGI 2.4 server does (the scope says "spec_version": "2.4")
            raise OSError(
                f"The client closed the connection before the response was complete: "
                f"{kind!r} cannot be sent. (ASGI 2.4 servers raise OSError here; stop "
                "sending and clean up.)"
            )
        if kind == "http.response.start":
            if self._start is not None:
                raise ASGIProtocolError(
                    'The app sent "http.response.start" twice; a response has exactly one '
                    f"start (first status {self._start['status']}, then {message.get('status')})."
                )
            self._start = message
            self._events.put(message)
        elif kind == "http.response.body":
            if self._start is None:
                raise ASGIProtocolError(
                    'The app sent "http.response.body" before "http.response.start".'
                )
            if self._body_complete:
                raise ASGIProtocolError(
                    'The app sent "http.response.body" after the response was complete '
                    '(an earlier "http.response.body" had no more_body=True).'
                )
            body: bytes = message.get("body", b"")
            self._body_bytes += len(body)
            if self.scope["method"] != "HEAD":  # like a server: a HEAD response has no body
                self._events.put(body)
            if not message.get("more_body", False):
                self._body_complete = True
                self._events.put(_BODY_END)
                self._disconnected().set()
        elif kind == "http.response.debug":
            self.debug_info = message.get("info")
        else:
            raise ASGIProtocolError(
                f"The app sent a {kind!r} message, which an HTTP connection does not accept "
                '(expected "http.response.start" or "http.response.body").'
            )

    # --- the client's side -----------------------------------------------------------

    def _what_the_app_did(self) -> str:
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
        """The next chunk of the body, or ``None`` at its end."""
        if self._client_done:
            return None
        event = await self._next(timeout, "the rest of the response body")
        if event is _BODY_END or event is END:
            self._client_done = True
        if event is END:
            self._raise_app_error()
            if self.error is None:
                raise ASGIProtocolError(
                    "The app returned before finishing the response body: its last "
                    '"http.response.body" had more_body=True.'
                )
        chunk: bytes | None = None if event is END else event
        return chunk

    async def close(self, timeout: float | None) -> None:
        """The client is done with the response: wait for the app to end.

        After a complete body the app may still run background tasks: they are awaited
        and their exception raised. A client that stops reading early disconnects: the app
        sees ``http.disconnect`` and is cancelled if it does not end in time.
        """
        read_everything = self._client_done
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
