"""Running an application's lifespan protocol around a test client's requests."""

from __future__ import annotations

from typing import Any

from asgi_core.types import ASGIApp, Message
from asgi_testing._apptask import END, AppTask
from asgi_testing._channel import Channel
from asgi_testing._errors import ASGIProtocolError

__all__ = ["LifespanRunner"]


class LifespanRunner(AppTask):
    """Drive ``app`` through lifespan startup and shutdown.

    An application that does not speak the lifespan protocol (it raises, returns or sends
    something else before asking for the startup event, as Django and most hand-written
    apps do) is run without it, as servers do. An application that asked for the startup
    event and then failed makes :meth:`startup` raise its exception.
    """

    def __init__(self, app: ASGIApp, state: dict[str, Any]) -> None:
        super().__init__()
        self.app = app
        self.state = state
        self.supported = True
        self._asked = 0
        self._to_app: Channel[Message] = Channel()

    async def run(self) -> None:
        """Run the application's lifespan; its exception is kept for the client."""
        scope = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": self.state,
        }
        await self.run_app(lambda: self.app(scope, self._receive, self._send))

    async def _receive(self) -> Message:
        self._asked += 1
        return await self._to_app.get()

    async def _send(self, message: Message) -> None:
        if self._asked == 0 and not str(message.get("type", "")).startswith("lifespan."):
            # an app that answers a lifespan scope like a request does not speak lifespan
            raise ASGIProtocolError(
                f"The app sent {message.get('type')!r} on a lifespan scope: it does not "
                "support the lifespan protocol, so the client runs without it."
            )
        self._events.put(message)

    async def _exchange(self, phase: str, timeout: float | None) -> Message | None:
        """Send ``lifespan.<phase>`` and return the answer (``None`` if the app ended)."""
        self._to_app.put({"type": f"lifespan.{phase}"})

        def timed_out() -> Exception:
            return TimeoutError(
                f"The app did not finish lifespan {phase} within {timeout} seconds; it was "
                "cancelled. Pass a larger timeout= to the client if it is just slow."
            )

        event = await self.next_event(timeout, timed_out)
        if event is END:
            return None
        message: Message = event
        if message["type"] == f"lifespan.{phase}.failed":
            await self.wait_for_end(timeout)
            self.raise_app_error()
            raise RuntimeError(f"Lifespan {phase} failed: {message.get('message', '')}")
        if message["type"] != f"lifespan.{phase}.complete":
            raise ASGIProtocolError(
                f"The app sent {message['type']!r} during lifespan {phase}; expected "
                f'"lifespan.{phase}.complete" or "lifespan.{phase}.failed".'
            )
        return message

    def _ended_early(self, phase: str) -> ASGIProtocolError:
        self.raise_app_error()
        return ASGIProtocolError(
            f"The app's lifespan returned before completing {phase} "
            f'(no "lifespan.{phase}.complete" or "lifespan.{phase}.failed").'
        )

    async def startup(self, timeout: float | None) -> None:
        """Send ``lifespan.startup`` and wait for the application's answer."""
        if await self._exchange("startup", timeout) is not None:
            return
        if self._asked == 0:
            self.supported = False  # never asked for the startup event: no lifespan
            return
        raise self._ended_early("startup")

    async def shutdown(self, timeout: float | None) -> None:
        """Send ``lifespan.shutdown``, wait for the answer and for the application to end."""
        if not self.supported:
            return
        if await self._exchange("shutdown", timeout) is None:
            raise self._ended_early("shutdown")
        await self.wait_for_end(timeout)
        self.raise_app_error()
