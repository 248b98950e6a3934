"""The downstream application, handing its messages to a consumer one at a time."""

from __future__ import annotations

import contextvars
import types
from collections.abc import Generator
from typing import TYPE_CHECKING, Final

import anyio
import anyio.lowlevel

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from asgi_middleware_base._inline import Inline

__all__ = ["Downstream"]

#: Messages an application may send before its response starts; they go to the server.
_BEFORE_START: Final = frozenset({"http.response.early_hint", "http.response.push"})
_EMPTY_CONTEXT: Final = contextvars.Context()


@types.coroutine
def _pause(downstream: Downstream) -> Generator[Downstream, None, None]:
    """Suspend the application's send until its stepper has passed the message on."""
    yield downstream


class Downstream:
    """Run ``app``; its ``send`` hands each message to a consumer and waits until passed on.

    The consumer (``call_next``, then the response's body iterator) takes one message at a
    time with :meth:`next_message`; the application's ``send`` returns only when the
    consumer asks for the next one, that is once the message was passed on. So at most one
    message is in flight, whatever the size of the body, and the application runs only as
    far ahead as the client reads.

    The application runs either in a task of its own (:meth:`run`, started by a task
    group), or, on asyncio, in the consumer's turn (:attr:`inline`, see
    :class:`~asgi_middleware_base._inline.Inline`): then a ``send`` pauses the
    application's coroutine instead of waiting for an event, and :meth:`next_message`
    resumes it. A ``send`` from another task of the application always waits for an event.

    When the response is over (or was replaced), :meth:`close` lets every later ``send``
    return at once, so the application finishes (background tasks included); after a
    failure, :meth:`pass_through` sends them to the server instead. When the client is
    gone, :meth:`client_gone` makes the pending and every later ``send`` raise the server's
    ``OSError``, as an ASGI 2.4 server does. :meth:`cancel` cancels the application. An
    exception of the application is kept for the consumer (:meth:`take_failure`), never
    raised into a task group.
    """

    __slots__ = (
        "_busy",
        "_cancelled",
        "_closed",
        "_gone",
        "_passthrough",
        "_pending",
        "_ready",
        "_started",
        "_taken",
        "_turn",
        "app",
        "context",
        "failure",
        "finished",
        "inline",
        "receive",
        "scope",
        "server_send",
        "start_sent",
        "stepping",
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
        #: the driver that runs the application in the consumer's turn (asyncio), if any
        self.inline: Inline | None = None
        #: whether the inline driver is running the application's coroutine right now
        self.stepping = False
        self._pending: Message | None = None  # the message waiting for the consumer
        self._busy = False  # a message is in flight: sent, and not yet passed on
        self._taken: anyio.Event | None = None  # a waiting sender's: set once passed on
        self._turn: anyio.Event | None = None  # set when the message in flight was passed on
        self._ready: anyio.Event | None = None  # the consumer's: set for a message or the end
        self._started = False
        self._closed = False
        self._cancelled = False
        self._passthrough = False
        self._gone: OSError | None = None

    async def run(self) -> None:
        """Run the application; keep its exception for the consumer."""
        try:
            await self.app(self.scope, self.receive, self.send)
        except anyio.get_cancelled_exc_class():
            raise
        except BaseException as exc:  # noqa: BLE001 - raised again by the consumer, as itself
            self.failure = exc
        finally:
            self.finished = True
            self._pending = None  # a message still waiting was cancelled with its sender
            self._wake()

    async def send(self, message: Message) -> None:
        """The application's ``send``: return once the consumer has passed ``message`` on."""
        while self._busy:  # another message is in flight (another task of the application)
            turn = self._turn
            if turn is None:
                turn = self._turn = anyio.Event()
            await turn.wait()
        if self._gone is not None:
            raise self._gone
        if self._closed:
            if self._passthrough:
                await self.server_send(message)
            return
        if self._cancelled:  # nobody takes it: dropped, and a cancelled sender is told so
            await anyio.lowlevel.checkpoint()
            return
        if not self._started:
            kind = message["type"]
            if kind in _BEFORE_START:
                await self.server_send(message)
                return
            if kind == "http.response.start":
                self._started = True
                self.context = contextvars.copy_context()
        self._pending = message
        self._busy = True
        if self.stepping:  # run by the inline driver: it takes the message, resumes us later
            await _pause(self)
        else:
            taken = self._taken = anyio.Event()
            self._wake()
            await taken.wait()
        if self._gone is not None:
            raise self._gone

    def _wake(self) -> None:
        """Wake the consumer if it waits for a message or the end."""
        ready = self._ready
        if ready is not None:
            self._ready = None
            ready.set()

    def _release(self) -> None:
        """The message in flight was passed on: let its sender (and the next one) go on."""
        self._busy = False
        taken = self._taken
        if taken is not None:
            self._taken = None
            taken.set()
        turn = self._turn
        if turn is not None:
            self._turn = None
            turn.set()

    async def next_message(self) -> Message | None:
        """Release the previous message and wait for the next; ``None`` once the app ended."""
        self._release()
        while True:
            message = self._pending
            if message is not None:
                self._pending = None
                return message
            if self.finished:
                return None
            await self._advance()

    async def join(self) -> None:
        """Wait until the application has returned (after :meth:`close` or :meth:`cancel`)."""
        while not self.finished:
            await self._advance()

    async def _advance(self) -> None:
        """Run the application inline until it pauses, or wait until it sends or ends."""
        inline = self.inline
        if inline is not None and inline.can_step():
            await inline.step()
        else:
            ready = self._ready = anyio.Event()
            await ready.wait()

    def take_failure(self) -> BaseException | None:
        """The application's exception, once: whoever takes it raises it."""
        failure, self.failure = self.failure, None
        return failure

    def close(self) -> None:
        """The response is over or was replaced: every ``send`` from now on returns at once."""
        self._closed = True
        self._pending = None
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

    def cancel(self) -> None:
        """The middleware failed or was cancelled: drop the application's sends from now on.

        With the inline driver, its task is cancelled too (where the application paused,
        or what it waits on); in a task group, the caller cancels the group's scope first.
        """
        if self.finished or self._cancelled:
            return
        self._cancelled = True
        inline = self.inline
        if inline is not None:
            inline.task.cancel()
        self._pending = None
        self._release()  # after the cancellation: a sender waiting is cancelled, not released
