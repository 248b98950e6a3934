"""Running a task beside another one, with exceptions raised as themselves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio

__all__ = ["run_beside"]


async def run_beside(
    main: Callable[[], Awaitable[None]], helper: Callable[[], Awaitable[None]]
) -> bool:
    """Run ``main()`` with ``helper()`` beside it; the first to end cancels the other.

    Returns ``True`` when ``main`` completed, ``False`` when ``helper`` ended first. An
    exception of either is raised as itself (the first one, if both fail), never wrapped in
    an exception group, so callers can catch it by its type.
    """
    completed = False
    errors: list[Exception] = []

    async def run(function: Callable[[], Awaitable[None]], is_main: bool) -> None:
        nonlocal completed
        try:
            await function()
            completed = is_main
        except Exception as exc:  # noqa: BLE001 - raised again below, outside the task group
            errors.append(exc)
        task_group.cancel_scope.cancel()

    async with anyio.create_task_group() as task_group:
        task_group.start_soon(run, main, True)
        await run(helper, False)
    if errors:
        raise errors[0]
    return completed
