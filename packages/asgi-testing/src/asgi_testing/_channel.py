"""An unbounded queue between the application's task and the client, on one event loop."""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

import anyio

__all__ = ["Channel"]

T = TypeVar("T")


class Channel(Generic[T]):
    """``put`` never blocks; ``get`` waits for an item. One consumer at a time.

    A producer that wants backpressure awaits :meth:`drained` after ``put``: it returns once
    the consumer has taken every item. Unlike anyio's memory object streams the channel owns
    no resource, so a channel that is simply dropped (a test that stops early) leaves
    nothing to close.
    """

    def __init__(self) -> None:
        self._items: deque[T] = deque()
        self._ready: anyio.Event | None = None
        self._taken: anyio.Event | None = None

    def put(self, item: T) -> None:
        """Add ``item`` and wake the consumer."""
        self._items.append(item)
        if self._ready is not None:
            self._ready.set()

    async def get(self) -> T:
        """The oldest item, waiting for one if needed."""
        while not self._items:
            self._ready = anyio.Event()
            await self._ready.wait()
        item = self._items.popleft()
        if not self._items and self._taken is not None:
            self._taken.set()
        return item

    async def drained(self) -> None:
        """Wait until the consumer has taken every item put so far."""
        while self._items:
            self._taken = anyio.Event()
            await self._taken.wait()
