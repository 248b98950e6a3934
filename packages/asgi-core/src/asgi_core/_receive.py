"""``SharedReceive``: one ``receive`` channel read by a body reader and a disconnect watcher.

ASGI does not say what happens when two tasks await ``receive()`` at once: depending on the
server one of them gets an empty duplicate of the message, or the two get successive
messages in no useful order. A response that watches for ``http.disconnect`` while its
body is produced by ``request.stream()`` (an echo endpoint) has exactly these two readers.
``SharedReceive`` lets them share the channel: only one ``receive()`` of the server runs
at a time, a message the watcher receives that is not ``http.disconnect`` is kept for the
body reader, and the disconnect is remembered for everyone.
"""

from __future__ import annotations

import anyio

from asgi_core.scope_keys import SHARED_RECEIVE
from asgi_core.types import Message, Receive, Scope

__all__ = ["SharedReceive", "shared_receive"]

_DISCONNECT: Message = {"type": "http.disconnect"}


class SharedReceive:
    """Share ``source`` (an ASGI ``receive``) between body readers and a disconnect watcher.

    Readers call :meth:`receive` and get every message in order; a watcher calls
    :meth:`wait_for_disconnect`. At most one message is held for the readers: while a
    message of an unfinished body (``more_body=True``) waits to be read, the watcher does
    not receive more, so memory stays bounded when the application never reads the body.
    Empty messages of an unfinished body carry nothing and are not kept. After the body's
    last message only ``http.disconnect`` can come, so the watcher keeps listening then.
    Use :func:`shared_receive` to get the instance of a connection.
    """

    __slots__ = ("_disconnected", "_held", "_lock", "_taken", "source")

    def __init__(self, source: Receive) -> None:
        self.source = source
        self._held: Message | None = None
        self._disconnected = False
        self._lock = anyio.Lock()
        self._taken: anyio.Event | None = None

    @property
    def disconnected(self) -> bool:
        """Whether ``http.disconnect`` was received (by a reader or the watcher)."""
        return self._disconnected

    def _take(self) -> Message | None:
        """The held message, or ``http.disconnect`` once disconnected, or ``None``."""
        held = self._held
        if held is not None:
            self._held = None
            if self._taken is not None:
                self._taken.set()
            return held
        if self._disconnected:
            return _DISCONNECT
        return None

    def _note(self, message: Message) -> None:
        if message["type"] == "http.disconnect":
            self._disconnected = True

    def _hold(self, message: Message) -> None:
        """Keep a message the watcher received for the readers, unless it carries nothing."""
        self._note(message)
        if self._disconnected or (message.get("more_body", False) and not message.get("body")):
            return  # an empty part of an unfinished body: readers lose nothing without it
        if self._held is None:
            self._held = message
        # Otherwise the body's last message is already held: only http.disconnect may
        # follow it, and anything else a server sends there carries nothing.

    async def receive(self) -> Message:
        """The next message of the connection, for a body reader (an ASGI ``receive``)."""
        message = self._take()
        if message is not None:
            return message
        async with self._lock:
            # the watcher may have received a message while this reader waited for the lock
            message = self._take()
            if message is None:
                message = await self.source()
                self._note(message)
        return message

    def _holding_unread_body(self) -> bool:
        held = self._held
        return held is not None and bool(held.get("more_body", False))

    async def wait_for_disconnect(self) -> None:
        """Return once the client has disconnected, without losing any body message."""
        while not self._disconnected:
            if self._holding_unread_body():
                if self._taken is None or self._taken.is_set():
                    self._taken = anyio.Event()
                await self._taken.wait()
                continue
            # no scheduling point before the server's receive when nobody holds the lock:
            # each message is asked for at once, as a plain receive loop would (on trio a
            # checkpoint here let the response end first, leaving a client's body stream
            # half read)
            try:
                self._lock.acquire_nowait()
            except anyio.WouldBlock:
                await self._lock.acquire()
            try:
                if self._nothing_to_receive():
                    continue  # a reader moved on while this watcher waited for the lock
                self._hold(await self.source())
            finally:
                self._lock.release()

    def _nothing_to_receive(self) -> bool:
        return self._disconnected or self._holding_unread_body()


def shared_receive(scope: Scope, receive: Receive) -> SharedReceive:
    """The :class:`SharedReceive` of this connection's ``receive``, created on first use.

    It is kept in the scope, so that :class:`~asgi_core.Request` reads the body through it
    once a response started watching for the disconnect.
    """
    shared: SharedReceive | None = scope.get(SHARED_RECEIVE)
    if shared is None or shared.source is not receive:
        shared = scope[SHARED_RECEIVE] = SharedReceive(receive)
    return shared
