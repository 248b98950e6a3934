"""Running one call of the application as a cancellable task whose end the client can see."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from asgi_testing._channel import Channel

__all__ = ["END", "AppTask"]

#: The event that follows the application's last message: it has returned or raised.
END: Any = object()


class AppTask:
    """Base of the HTTP, WebSocket and lifespan runners.

    :meth:`run_app` awaits the application inside a cancel scope, keeps its exception in
    :attr:`error` (for the client to raise in the test) and queues :data:`END` after its
    last message, however it ends. The client reads messages with :meth:`next_event`.
    :meth:`cancel` works before, during and after the run.
    """

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.ended = False  # END was read by the client
        self._events: Channel[Any] = Channel()
        self._error_raised = False
        self._cancelled = False
        self._cancel_scope: anyio.CancelScope | None = None

    async def run_app(self, call: Callable[[], Awaitable[None]]) -> None:
        """Await ``call()`` (the application) and queue :data:`END` afterwards."""
        try:
            with anyio.CancelScope() as self._cancel_scope:
                if self._cancelled:
                    self._cancel_scope.cancel()
                await call()
        except Exception as exc:  # noqa: BLE001 - any app error is kept for the test to see
            self.error = exc
        finally:
            self._events.put(END)

    def cancel(self) -> None:
        """Cancel the application (now, or as soon as it starts)."""
        self._cancelled = True
        if self._cancel_scope is not None:
            self._cancel_scope.cancel()

    def raise_app_error(self) -> None:
        """Raise the application's exception, once."""
        if self.error is not None and not self._error_raised:
            self._error_raised = True
            raise self.error

    async def next_event(self, timeout: float | None, on_timeout: Callable[[], Exception]) -> Any:
        """The application's next message, or :data:`END`.

        After ``timeout`` seconds the application is cancelled and ``on_timeout()`` raised.
        """
        try:
            with anyio.fail_after(timeout):
                event = await self._events.get()
        except TimeoutError:
            error = on_timeout()
            self.cancel()
            raise error from None
        if event is END:
            self.ended = True
        return event

    async def wait_for_end(self, timeout: float | None) -> bool:
        """Skip messages until the application ends; False if still running after ``timeout``."""
        with anyio.move_on_after(timeout):
            while not self.ended:
                if await self._events.get() is END:
                    self.ended = True
        return self.ended
