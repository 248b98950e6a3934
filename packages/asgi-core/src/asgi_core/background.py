"""Background tasks: work a response runs after its body has been sent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

from asgi_core.concurrency import is_async_callable, run_in_threadpool

__all__ = ["BackgroundTask", "BackgroundTasks"]

P = ParamSpec("P")


class BackgroundTask:
    """One call, ``func(*args, **kwargs)``, run after the response is sent.

    Async functions are awaited; plain functions run in the thread pool.
    """

    def __init__(self, func: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.is_async = is_async_callable(func)

    async def __call__(self) -> None:
        if self.is_async:
            await self.func(*self.args, **self.kwargs)
        else:
            await run_in_threadpool(self.func, *self.args, **self.kwargs)


class BackgroundTasks(BackgroundTask):
    """An ordered list of background tasks, run one after the other."""

    def __init__(self, tasks: Sequence[BackgroundTask] | None = None) -> None:
        self.tasks = list(tasks) if tasks else []

    def add_task(self, func: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        """Append ``func(*args, **kwargs)`` to the tasks."""
        self.tasks.append(BackgroundTask(func, *args, **kwargs))

    async def __call__(self) -> None:
        for task in self.tasks:
            await task()
