"""Sending the 500 back through the user middleware.

``ServerErrorMiddleware`` is outermost, above the user middleware, as in Starlette: it sees
every exception (also those user middleware raise) and renders the 500. To let the 500 pass
through the user middleware all the same (so that CORS and similar headers reach it), it
puts a :class:`SendSlot` in the scope under :data:`ERROR_SEND`; the innermost
``ExceptionMiddleware`` stores there the ``send`` it was given, which every user middleware
has wrapped. :func:`send_through_user_middleware` sends the 500 through that ``send`` and
falls back to the server's own ``send`` when the middleware chain no longer delivers it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgi_core.scope_keys import ERROR_SEND
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_responses import ResponseWatch

__all__ = [
    "ERROR_SEND",
    "ErrorHandler",
    "SendSlot",
    "send_through_user_middleware",
]

#: ``handler(request, exc)`` returning a response (sync or async).
ErrorHandler = Callable[[Any, Exception], Any]


class SendSlot(ResponseWatch):
    """Where the innermost ``ExceptionMiddleware`` leaves the ``send`` it was given.

    A mutable object rather than a scope value of its own, so that it is shared with
    middleware that pass a copy of the scope on. It is also ``ServerErrorMiddleware``'s
    watch on the response: :meth:`watch` is the ``send`` it passes on, which notes in
    :attr:`started` whether the response has started. An ``ExceptionMiddleware`` given
    :meth:`watch` itself (no middleware in between) reads :attr:`started` instead of
    wrapping ``send`` once more, since every message it sends passes through it.
    """

    __slots__ = ("send",)

    def __init__(self, server_send: Send) -> None:
        # ResponseWatch.__init__ written out: one of these is made for every request
        self.server_send = server_send
        self.started = False
        self.send: Send | None = None


def _more_follows(message: Message) -> bool:
    """Whether a response message is followed by more (the start, or a body with more)."""
    return message["type"] == "http.response.start" or bool(message.get("more_body", False))


def _copy(message: Message) -> Message:
    """A copy middleware may change in place without changing ``message``."""
    copied = dict(message)
    if "headers" in copied:
        copied["headers"] = list(copied["headers"])
    return copied


async def send_through_user_middleware(
    response: ASGIApp,
    scope: Scope,
    receive: Receive,
    through: Send | None,
    direct: Send,
    started: Callable[[], bool],
) -> None:
    """Send ``response`` through ``through`` (the user middleware), else through ``direct``.

    ``started()`` tells whether a response start has reached ``direct``. The messages go to
    ``through`` as long as it works: until the start comes out at ``direct``, they are kept,
    and if ``through`` raises, or swallows the whole response, they are sent to ``direct``
    instead (user middleware that ran in a task of its own may be unable to deliver once
    the exception passed it). The response itself runs once, so its background task does too.
    """
    if through is None:
        await response(scope, receive, direct)
        return
    chain: Send = through
    kept: list[Message] = []
    trying = True  # until the start comes out of the middleware chain, or it fails

    async def relay(message: Message) -> None:
        nonlocal chain, trying
        if not trying:
            await chain(message)
            return
        kept.append(message)
        try:
            await chain(_copy(message))
        except Exception:
            if started():
                raise
        else:
            if started():
                trying = False  # the chain works: it carries the rest
                return
            if _more_follows(message):
                return  # middleware may hold the start back until the body is complete
        # the chain failed or swallowed the response: the server gets it unchanged
        trying = False
        chain = direct
        for pending in kept:
            await direct(pending)

    await response(scope, receive, relay)
