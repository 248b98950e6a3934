"""Running blocking code from async code without blocking the event loop."""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import Any, ParamSpec, TypeVar

import anyio
import anyio.to_thread

from asgi_core._deprecation import warn_deprecated

__all__ = [
    "is_async_callable",
    "iterate_in_threadpool",
    "run_in_threadpool",
    "run_until_first_complete",
]

_CO_COROUTINE = inspect.CO_COROUTINE

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
    # the common case first, without inspect's unwrapping: an async function or method
    function = obj.__func__ if type(obj) is types.MethodType else obj
    if type(function) is types.FunctionType and function.__code__.co_flags & _CO_COROUTINE:
        return True
    return inspect.iscoroutinefunction(obj) or (
        callable(obj) and inspect.iscoroutinefunction(getattr(obj, "__call__", None))  # noqa: B004
    )


async def run_until_first_complete(
    *args: tuple[Callable[..., Awaitable[Any]], dict[str, Any]],
) -> None:
    """Deprecated, as in Starlette: run ``func(**kwargs)`` for each pair, until one returns.

    The others are then cancelled. It warns with :class:`~asgi_core.AsgiDeprecationWarning`;
    use an :func:`anyio.create_task_group` whose first finished task cancels the group.
    """
    warn_deprecated(
        "run_until_first_complete is deprecated and will be removed in a future version."
    )
    async with anyio.create_task_group() as task_group:

        async def run(func: Callable[..., Awaitable[Any]], kwargs: dict[str, Any]) -> None:
            await func(**kwargs)
            task_group.cancel_scope.cancel()

        for func, kwargs in args:
            task_group.start_soon(run, func, kwargs)
