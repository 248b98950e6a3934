"""Running blocking code from async code without blocking the event loop."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread

__all__ = ["is_async_callable", "iterate_in_threadpool", "run_in_threadpool"]

P = ParamSpec("P")
T = TypeVar("T")


async def run_in_threadpool(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call ``func(*args, **kwargs)`` in a worker thread and return its result."""
    if kwargs:
        return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs))
    return await anyio.to_thread.run_sync(func, *args)


class _Exhausted(Exception):
    """Raised in the worker thread instead of StopIteration, which cannot cross a Future."""


def _next_or_exhausted(iterator: Iterator[T]) -> T:
    try:
        return next(iterator)
    except StopIteration:
        raise _Exhausted from None


async def iterate_in_threadpool(iterator: Iterable[T]) -> AsyncIterator[T]:
    """Iterate a blocking iterable, fetching each item in a worker thread."""
    as_iterator = iter(iterator)
    while True:
        try:
            yield await anyio.to_thread.run_sync(_next_or_exhausted, as_iterator)
        except _Exhausted:
            return


def is_async_callable(obj: Any) -> bool:
    """Whether calling ``obj`` returns an awaitable coroutine.

    Sees through :func:`functools.partial` and recognises objects whose ``__call__`` is
    ``async def``.
    """
    while isinstance(obj, functools.partial):
        obj = obj.func
    return inspect.iscoroutinefunction(obj) or (
        callable(obj) and inspect.iscoroutinefunction(getattr(obj, "__call__", None))  # noqa: B004
    )
