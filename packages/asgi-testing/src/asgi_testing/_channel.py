"""An unbounded queue between the application's task and the client, on one event loop."""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

import anyio

__all__ = ["Channel"]

T = TypeVar("T")


class Channel(Generic[T]):
    """``put`` never blocks; ``get`` waits for an item. One consumer at a time.

    Unlike anyio's memory object streams it owns no resource, so a channel that is simply
    dropped (a test that stops early) leaves nothing to close.
    """

    def __init__(self) -> None:
        self._items: deque[T] = deque()
        self._ready: anyio.Event | None = None

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
        return self._items.popleft()
