"""``BaseHTTPMiddleware``: write a middleware as ``dispatch(request, call_next)``."""

from __future__ import annotations

import anyio

from asgi_core import Request
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_base._call import Call
from asgi_middleware_base._types import DispatchFunction, RequestResponseEndpoint
from asgi_responses import Response

__all__ = ["BaseHTTPMiddleware"]


class BaseHTTPMiddleware:
    """A middleware written as ``async def dispatch(self, request, call_next) -> Response``.

    Subclass it and override :meth:`dispatch`, or pass ``dispatch=`` a function with the
    same signature. ``await call_next(request)`` runs the application and returns its
    response as soon as it starts (its body streams later): change its headers or status,
    or return another response. Non-HTTP scopes (WebSocket, lifespan) pass through.

    Unlike Starlette's, context variables the application sets before its response starts
    are visible in ``dispatch`` after ``call_next``; the body streams with one chunk in
    flight; the application's background tasks run after the whole body was sent; a body
    read in ``dispatch`` is there again for the application; exceptions arrive as
    themselves, never in an exception group; and a failure while streaming is not turned
    into a complete-looking response.
    """

    def __init__(self, app: ASGIApp, dispatch: DispatchFunction | None = None) -> None:
        if dispatch is not None and not callable(dispatch):
            raise TypeError(
                "dispatch must be an async function (request, call_next) -> Response, or None "
                f"to use the dispatch() method of a subclass: received {dispatch!r}."
            )
        self.app = app
        self.dispatch_func = self.dispatch if dispatch is None else dispatch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run ``dispatch`` for an HTTP request and send the response it returns."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        call = Call(self.app, scope, receive, send)
        failure: BaseException | None
        if call.loop is not None:  # asyncio: the application runs inline, no task group
            try:
                failure = await self._respond(call)
                await call.join()
            except BaseException:
                call.cancel()
                with anyio.CancelScope(shield=True):
                    await call.join()
                raise
        else:
            async with anyio.create_task_group() as task_group:
                call.task_group = task_group
                failure = await self._respond(call)
        downstream = call.downstream
        if downstream is not None:
            if failure is None:
                failure = downstream.take_failure()
            if failure is not None and not downstream.start_sent:
                downstream.pass_through()
            else:
                downstream.close()  # a late send never waits for a consumer that is gone
        if failure is not None:
            try:
                raise failure
            finally:
                failure = None  # no reference cycle through this frame's traceback

    async def _respond(self, call: Call) -> Exception | None:
        """Dispatch and send the response; an exception is returned, the application cancelled."""
        try:
            response = await self.dispatch_func(call.request, call.call_next)
            if response is None:
                raise TypeError(
                    "dispatch() returned None: it must return a response, for example "
                    "the one of `await call_next(request)`."
                )
            await response(call.scope, call.receive, call.send)
        except Exception as exc:  # noqa: BLE001 - raised by the caller, outside any task group
            call.cancel()
            return exc
        call.finish()
        return None

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Override this: return ``await call_next(request)``, changed, or another response."""
        raise NotImplementedError(
            f"{type(self).__name__}.dispatch() is not implemented: override "
            "`async def dispatch(self, request, call_next)` in your subclass, or pass "
            "BaseHTTPMiddleware(app, dispatch=your_function)."
        )
