"""A value that can be awaited or used as an async context manager (``request.form()``)."""

from __future__ import annotations

from collections.abc import Awaitable, Generator
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["AwaitableOrContextManager", "AwaitableOrContextManagerWrapper", "SupportsAsyncClose"]


class SupportsAsyncClose(Protocol):
    """Anything with an ``async close()`` method."""

    async def close(self) -> None:
        """Release the object's resources."""


T = TypeVar("T", bound=SupportsAsyncClose)
T_co = TypeVar("T_co", covariant=True)


class AwaitableOrContextManager(Awaitable[T_co], Protocol[T_co]):
    """Static type of :class:`AwaitableOrContextManagerWrapper`."""

    async def __aenter__(self) -> T_co: ...

    async def __aexit__(self, *args: object) -> bool | None: ...


class AwaitableOrContextManagerWrapper(Generic[T]):
    """Wrap an awaitable so that ``await x`` and ``async with x as value`` both work.

    Used as a context manager, the value's ``close()`` is awaited on exit.
    """

    __slots__ = ("aw", "entered")

    def __init__(self, aw: Awaitable[T]) -> None:
        self.aw = aw

    def __await__(self) -> Generator[Any, None, T]:
        return self.aw.__await__()

    async def __aenter__(self) -> T:
        self.entered = await self.aw
        return self.entered

    async def __aexit__(self, *args: object) -> None:
        await self.entered.close()
