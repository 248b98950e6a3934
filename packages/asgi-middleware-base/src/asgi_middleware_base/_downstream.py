"""The downstream application, run beside ``dispatch`` and handing over one message at a time."""

from __future__ import annotations

import contextvars
from typing import Final

import anyio

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Downstream"]

#: Messages an application may send before its response starts; they go to the server.
_BEFORE_START: Final = frozenset({"http.response.early_hint", "http.response.push"})
_EMPTY_CONTEXT: Final = contextvars.Context()


class Downstream:
    """Run ``app`` in a task of its own; its ``send`` hands each message to a consumer.

    The consumer (``call_next``, then the response's body iterator) takes one message at a
    time with :meth:`next_message`; the application's ``send`` returns only when the
    consumer asks for the next one, that is once the message was passed on. So at most one
    message is in flight, whatever the size of the body, and the application runs only as
    far ahead as the client reads.

    When the response is over (or was replaced), :meth:`close` lets every later ``send``
    return at once, so the application finishes (background tasks included); after a
    failure, :meth:`pass_through` sends them to the server instead. When the
    client is gone, :meth:`client_gone` makes the pending and every later ``send`` raise
    the server's ``OSError``, as an ASGI 2.4 server does. An exception of the application
    is kept for the consumer (:meth:`take_failure`), never raised into a task group.
    """

    __slots__ = (
        "_closed",
        "_gone",
        "_message",
        "_passthrough",
        "_ready",
        "_started",
        "_taken",
        "app",
        "context",
        "failure",
        "finished",
        "receive",
        "scope",
        "server_send",
        "start_sent",
    )

    def __init__(self, app: ASGIApp, scope: Scope, receive: Receive, server_send: Send) -> None:
        self.app = app
        self.scope = scope
        self.receive = receive
        self.server_send = server_send
        #: the application's context variables when it started its response (a copy)
        self.context = _EMPTY_CONTEXT
        self.failure: BaseException | None = None
        self.finished = False
        #: whether the consumer sent the response start on to the server
        self.start_sent = False
        self._message: Message | None = None
        self._ready = anyio.Event()
        self._taken: anyio.Event | None = None
        self._started = False
        self._closed = False
        self._passthrough = False
        self._gone: OSError | None = None

    async def run(self) -> None:
        """Run the application (in its own task); keep its exception for the consumer."""
        try:
            await self.app(self.scope, self.receive, self.send)
        except anyio.get_cancelled_exc_class():
            raise
        except BaseException as exc:  # noqa: BLE001 - raised again by the consumer, as itself
            self.failure = exc
        finally:
            self.finished = True
            self._message = None  # a message still waiting was cancelled with its sender
            self._ready.set()

    async def send(self, message: Message) -> None:
        """The application's ``send``: wait until the consumer has passed ``message`` on."""
        while self._taken is not None:  # another task of the application is sending
            await self._taken.wait()
        if self._gone is not None:
            raise self._gone
        if self._closed:
            if self._passthrough:
                await self.server_send(message)
            return
        if not self._started:
            kind = message["type"]
            if kind in _BEFORE_START:
                await self.server_send(message)
                return
            if kind == "http.response.start":
                self._started = True
                self.context = contextvars.copy_context()
        self._message = message
        taken = self._taken = anyio.Event()
        self._ready.set()
        await taken.wait()
        if self._gone is not None:
            raise self._gone

    def _release(self) -> None:
        """Let the application's pending ``send`` return."""
        taken = self._taken
        if taken is not None:
            self._taken = None
            taken.set()

    async def next_message(self) -> Message | None:
        """Release the previous message and wait for the next; ``None`` once the app ended."""
        self._release()
        await self._ready.wait()
        message = self._message
        if message is not None:
            self._message = None
            self._ready = anyio.Event()
        return message

    def take_failure(self) -> BaseException | None:
        """The application's exception, once: whoever takes it raises it."""
        failure, self.failure = self.failure, None
        return failure

    def close(self) -> None:
        """The response is over or was replaced: every ``send`` from now on returns at once."""
        self._closed = True
        self._release()

    def pass_through(self) -> None:
        """The middleware failed before its response: later sends go straight to the server.

        A response sent for the error by a layer inside (an exception middleware keeps
        this ``send`` so that a 500 passes back through the user middleware) then reaches
        the layers outside instead of waiting for a consumer that is gone.
        """
        self._passthrough = True
        self.close()

    def client_gone(self, error: OSError) -> None:
        """The server's ``send`` raised ``error``: the application's sends raise it too."""
        self._gone = error
        self._release()
