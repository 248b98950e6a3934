"""One request through a ``BaseHTTPMiddleware``: the body ``dispatch`` reads, ``call_next``."""

from __future__ import annotations

import contextvars
from typing import Final, cast

from anyio.abc import TaskGroup

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_base._downstream import Downstream
from asgi_middleware_base._inline import Inline, inline_loop
from asgi_middleware_base._response import StreamingResponseWrapper
from asgi_responses import Response

__all__ = ["Call"]

_MISSING: Final = object()


class _Probe(Exception):
    """Raised by the dispatch's ``receive`` while ``call_next`` asks for a kept body."""


def adopt(context: contextvars.Context) -> None:
    """Set, in the running context, every context variable whose value ``context`` changed."""
    for var, value in context.items():
        if var.get(_MISSING) is not value:
            var.set(value)


class Call:
    """The state of one HTTP request: the request ``dispatch`` gets, and ``call_next``.

    ``dispatch`` reads the body through :meth:`dispatch_receive`. If it read all of it
    with ``request.body()`` (or ``json()``), the application gets that body again as one
    message; if it consumed the stream without keeping it, an empty body (as Starlette);
    if it read nothing or a part, the application reads the rest from the server.
    """

    __slots__ = (
        "_complete",
        "_probing",
        "_replay",
        "app",
        "downstream",
        "loop",
        "receive",
        "request",
        "scope",
        "send",
        "task_group",
    )

    def __init__(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        self.app = app
        self.scope = scope
        self.receive = receive
        self.send = send
        #: on asyncio, the loop: the application then runs inline (see ``_inline``)
        self.loop = inline_loop()
        #: elsewhere, the task group the application runs in, a task of its own
        self.task_group: TaskGroup | None = None
        self.downstream: Downstream | None = None
        self._complete = False
        self._probing = False
        self._replay: Message | None = None
        self.request = Request(scope, self.dispatch_receive)

    async def dispatch_receive(self) -> Message:
        """The ``receive`` of the request ``dispatch`` gets: the server's, watched."""
        if self._probing:
            raise _Probe
        message = await self.receive()
        if message["type"] == "http.request" and not message.get("more_body", False):
            self._complete = True
        return message

    async def _app_receive(self, request: Request) -> Receive:
        """The ``receive`` the application gets, with the body ``dispatch`` read, if any."""
        if not self._complete:
            return self.receive
        self._probing = True
        try:
            body = await request.body()  # the kept body; it does not receive again
        except (RuntimeError, _Probe):  # streamed and not kept, or read message by message
            body = b""
        finally:
            self._probing = False
        self._replay = {"type": "http.request", "body": body, "more_body": False}
        return self._replayed

    async def _replayed(self) -> Message:
        message = self._replay
        if message is not None:
            self._replay = None
            return message
        return await self.receive()

    async def call_next(self, request: Request) -> Response:
        """Run the application until it starts its response; return that response.

        The application runs in a task of its own (on asyncio, stepped inline as long as
        it does not wait); the context variables it set until its response started are set
        here too, so ``dispatch`` sees them after ``call_next``.
        An exception it raises before the start is raised here, as itself.
        """
        if self.downstream is not None:
            raise RuntimeError(
                "call_next() was called twice for one request: the application runs once per "
                "request. Keep the response of the first call_next(request) and return it (or "
                "another response)."
            )
        receive = await self._app_receive(request)
        downstream = self.downstream = Downstream(self.app, self.scope, receive, self.send)
        if self.loop is not None:
            Inline(downstream, self.loop)
        else:  # the middleware opened a task group for it
            cast("TaskGroup", self.task_group).start_soon(downstream.run)
        message = await downstream.next_message()
        info = None
        if message is not None and message["type"] == "http.response.debug":
            info = message.get("info")
            message = await downstream.next_message()
        if message is None:
            failure = downstream.take_failure()
            if failure is not None:
                try:
                    raise failure
                finally:
                    failure = None  # no reference cycle through this frame's traceback
            raise RuntimeError("No response returned.")
        if message["type"] != "http.response.start":
            raise RuntimeError(
                "Expected ASGI message 'http.response.start' from the application, but got "
                f"{message['type']!r}."
            )
        adopt(downstream.context)
        return StreamingResponseWrapper(message, info, downstream)

    def finish(self) -> None:
        """The response was sent: let the application finish (its sends are dropped)."""
        if self.downstream is not None:
            self.downstream.close()

    def cancel(self) -> None:
        """The middleware failed or was cancelled: cancel the application."""
        if self.task_group is not None:
            self.task_group.cancel_scope.cancel()
        if self.downstream is not None:
            self.downstream.cancel()

    async def join(self) -> None:
        """Wait until the application has returned (it runs inline: no task group waits)."""
        if self.downstream is not None:
            await self.downstream.join()
