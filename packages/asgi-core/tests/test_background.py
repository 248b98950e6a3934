from __future__ import annotations

import threading

import pytest

from asgi_core import BackgroundTask, BackgroundTasks

pytestmark = pytest.mark.anyio


async def test_async_task_runs_with_arguments() -> None:
    calls: list[tuple[int, str]] = []

    async def task(number: int, *, word: str) -> None:
        calls.append((number, word))

    background = BackgroundTask(task, 1, word="one")
    assert background.is_async
    await background()
    assert calls == [(1, "one")]


async def test_sync_task_runs_in_a_worker_thread() -> None:
    threads: list[int] = []

    def task(value: int) -> None:
        threads.append(value)
        threads.append(threading.get_ident())

    background = BackgroundTask(task, 5)
    assert not background.is_async
    await background()
    assert threads[0] == 5
    assert threads[1] != threading.get_ident()


async def test_background_tasks_run_in_order() -> None:
    order: list[str] = []

    async def first() -> None:
        order.append("first")

    def second(name: str) -> None:
        order.append(name)

    tasks = BackgroundTasks([BackgroundTask(first)])
    tasks.add_task(second, "second")
    tasks.add_task(first)
    await tasks()
    assert order == ["first", "second", "first"]
    assert len(tasks.tasks) == 3
    assert BackgroundTasks().tasks == []


async def test_failing_task_stops_the_rest() -> None:
    ran: list[str] = []

    def boom() -> None:
        raise ValueError("boom")

    def after() -> None:
        ran.append("after")

    tasks = BackgroundTasks()
    tasks.add_task(boom)
    tasks.add_task(after)
    with pytest.raises(ValueError, match="boom"):
        await tasks()
    assert ran == []
