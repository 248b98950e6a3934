"""On asyncio: run the application in the consumer's turn, as a task of its own.

Starting a task per request and switching to it for every message costs more than the
application itself. So the application's coroutine is stepped by the consumer (``call_next``
and the response's body iterator), synchronously, while the event loop's current task is
set to the application's own task for the duration of each step: whatever the application
does (cancel scopes, task groups, timeouts, ``current_task()``) belongs to that task, never
to the dispatching one, exactly as if it ran in it. Each step runs in the application's
own context (a copy, as a child task's).

A step ends when the application pauses in ``send`` (its message is then the consumer's),
when it returns, or when it waits for the event loop. In that last case its task takes
over: from then on the application runs in it as in any task, and its messages reach the
consumer through events. A fast application (a router and a small response) therefore runs
with no switch of task at all; a slow one, as before, in a task of its own.
"""

from __future__ import annotations

import asyncio  # noqa: TID251 - asyncio's own fast path; trio runs the app in a task group
import contextvars
import sys
import types
from collections.abc import Coroutine, Generator
from typing import Any, Final, cast

from asgi_middleware_base._downstream import Downstream

__all__ = ["Inline", "inline_loop"]

try:  # set the loop's current task: asyncio's own helpers for its tasks (since 3.7)
    from asyncio.tasks import _enter_task, _leave_task  # noqa: TID251
except ImportError:  # pragma: no cover - an asyncio without them: the app runs in a task group
    INLINE = False
else:  # Task(context=...), from 3.11 on: the task and the inline steps share one context
    INLINE = sys.version_info >= (3, 11)

_current_task = asyncio.current_task
_get_running_loop = asyncio._get_running_loop  # the cheap lookup, None without a loop


class _Nothing:
    """Nothing was handed over to the application's task."""


_NOTHING: Final = _Nothing()


def inline_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio loop, if the application can be run inline; else ``None``."""
    if not INLINE:  # pragma: no cover - Python 3.10
        return None
    loop = _get_running_loop()
    if loop is None or _current_task(loop) is None:  # trio, or no task (trio guest mode)
        return None
    return loop


class Inline:
    """Step the downstream application in the consumer's turn, under its own task.

    Ownership of the application's coroutine passes between the consumer and the task:

    * the consumer steps it (:meth:`step`) while it is new or paused in ``send``;
    * when a step ends with the application waiting for the event loop, what it waits
      for is handed to the task (the application "is waiting"), which from then on steps
      it as any task steps its coroutine, until the application pauses in ``send`` again;
    * when the task is cancelled (by the middleware, or by a timeout or cancel scope of
      the application's, all of which belong to the task) while the application is
      paused, the task raises the cancellation where it paused, and keeps it.

    Meanwhile the task waits on a future of its own (the "gate"), never in the consumer's
    way; it ends once the application has returned.
    """

    __slots__ = (
        "_context",
        "_coro",
        "_downstream",
        "_forwarding",
        "_gate",
        "_handed",
        "_loop",
        "_waiting",
        "task",
    )

    def __init__(self, downstream: Downstream, loop: asyncio.AbstractEventLoop) -> None:
        self._downstream = downstream
        self._loop = loop
        self._coro = downstream.run()
        self._context = contextvars.copy_context()
        self._gate: asyncio.Future[None] | None = None
        self._handed: Any = _NOTHING
        self._waiting = False
        self._forwarding = False  # suspended in an outer send, its pause passed up by step()
        carrier = cast("Coroutine[Any, Any, None]", _Carrier(self))
        #: the application's own task (a task factory of the loop applies, as to any task)
        create_task: Any = loop.create_task  # context= is there from Python 3.11 on
        self.task: asyncio.Task[None] = create_task(carrier, context=self._context)
        downstream.inline = self

    def can_step(self) -> bool:
        """Whether the consumer may step the application (it is paused in send).

        Not once it was cancelled: its task then raises the cancellation where it paused.
        """
        downstream = self._downstream
        return not (self._waiting or downstream.finished or downstream._cancelled)

    @types.coroutine
    def step(self) -> Generator[Any, Any, None]:
        """Run the application until it pauses in ``send``, returns, or waits.

        A pause in the ``send`` of a middleware further out (the application called it)
        is passed up to that middleware's driver, and its answer back to the application.
        """
        downstream = self._downstream
        value = None
        while True:
            yielded = self._send(value)
            if yielded is downstream:  # paused in our send: the message is the consumer's
                return
            if yielded is _NOTHING:  # it returned
                self._wake_task()
                return
            if type(yielded) is not Downstream:  # it waits for the event loop
                self._handed = yielded
                self._waiting = True
                self._wake_task()
                return
            self._forwarding = True
            value = yield yielded  # a pause of an outer middleware's send: its driver's
            if not self._forwarding:  # cancelled meanwhile: its task has taken it over
                return
            self._forwarding = False

    def _send(self, value: Any) -> Any:
        """One step of the application's coroutine, in its context, as its task."""
        loop = self._loop
        task = self.task
        current = cast("asyncio.Task[Any]", _current_task(loop))  # the consumer's task
        _leave_task(loop, current)
        _enter_task(loop, task)
        self._downstream.stepping = True
        try:
            return self._context.run(self._coro.send, value)
        except BaseException:  # noqa: BLE001 - it returned (run() keeps every error) or was cancelled
            return _NOTHING
        finally:
            self._downstream.stepping = False
            _leave_task(loop, task)
            _enter_task(loop, current)

    def _wake_task(self) -> None:
        """Let the application's task look at the state again (it waits on its gate)."""
        gate = self._gate
        if gate is not None:
            self._gate = None
            if not gate.done():  # not cancelled meanwhile
                gate.set_result(None)

    # ---------------------------------------------------------------- in the task

    def resume(self, value: Any, error: BaseException | None) -> Any:
        """A step of the application's task: returns what the task waits on next."""
        if self._downstream.finished:
            raise StopIteration
        handed = self._handed
        if handed is not _NOTHING:  # the application waits on what it handed over
            self._handed = _NOTHING
            if error is None:
                return handed
            if isinstance(handed, asyncio.Future):  # cancelled: as a task's cancel() does
                handed.cancel()
        elif not self._waiting:  # paused in send: the consumer resumes it
            if error is None:
                return self._park()
            self._waiting = True  # cancelled: raised where it paused
        return self._drive(value, error)

    def _drive(self, value: Any, error: BaseException | None) -> Any:
        self._forwarding = False
        downstream = self._downstream
        downstream.stepping = True
        try:
            yielded = self._coro.send(value) if error is None else self._coro.throw(error)
        finally:
            downstream.stepping = False
        if yielded is downstream:  # paused in send: the message is the consumer's
            self._waiting = False
            downstream._wake()  # the two halves of one protocol
            return self._park()
        return yielded

    def _park(self) -> asyncio.Future[None]:
        gate = self._gate = self._loop.create_future()
        gate._asyncio_future_blocking = True  # as Future.__await__ yields a future
        return gate


class _Carrier:
    """The coroutine of the application's task: each step is :meth:`Inline.resume`.

    Also awaitable (it is its own iterator), for a task factory that wraps coroutines.
    """

    __slots__ = ("_inline",)
    __name__ = "BaseHTTPMiddleware.app"  # in the task's repr

    def __init__(self, inline: Inline) -> None:
        self._inline = inline

    def send(self, value: Any) -> Any:
        return self._inline.resume(value, None)

    def __next__(self) -> Any:
        return self._inline.resume(None, None)

    def throw(self, error: BaseException, *_: object) -> Any:
        return self._inline.resume(None, error)

    def __await__(self) -> _Carrier:
        return self


Coroutine.register(_Carrier)
