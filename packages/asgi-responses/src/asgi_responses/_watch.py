"""``ResponseWatch``: a ``send`` noting the response start, which a streamed body steps over.

Error handling wraps ``send`` to learn whether the response started (an exception before the
start can still be answered, one after it cannot). After the start, such a wrapper passes
every message on unchanged, yet costs a call per message: for a body streamed in a thousand
chunks, a thousand calls per wrapper. A response that sends many messages asks
:func:`past_watches` for the ``send`` to use once its start went out, and skips them.
"""

from __future__ import annotations

from collections.abc import Awaitable
from types import MethodType
from typing import cast

from asgi_core.types import Message, Send

__all__ = ["ResponseWatch", "past_watches"]


class ResponseWatch:
    """A ``send`` (:meth:`watch`) that notes in :attr:`started` whether the response started.

    :meth:`watch` does nothing else, so once :attr:`started` is true it may be skipped
    (:func:`past_watches`): :attr:`server_send` must not change while a response is sent.
    Subclasses that override :meth:`watch` are never skipped.
    """

    __slots__ = ("server_send", "started")

    def __init__(self, server_send: Send) -> None:
        self.server_send = server_send
        self.started = False

    def watch(self, message: Message) -> Awaitable[None]:
        """The server's ``send``, noting the response start.

        A plain function returning the server's awaitable rather than a coroutine of its
        own: an ``async def`` would add a coroutine object and a frame to every message
        (``await watch(message)`` works the same).
        """
        if message["type"] == "http.response.start":
            self.started = True
        return self.server_send(message)


_WATCH = ResponseWatch.watch


def past_watches(send: Send) -> Send:
    """The ``send`` to use for the rest of a response whose start went through ``send``.

    Steps over every :meth:`ResponseWatch.watch` that has seen the start (each would pass
    the messages on unchanged), down to the first ``send`` that does something else.
    """
    while type(send) is MethodType and send.__func__ is _WATCH:
        watch = cast("ResponseWatch", send.__self__)
        if not watch.started:
            break
        send = watch.server_send
    return send
