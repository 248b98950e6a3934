from __future__ import annotations

import functools
import threading
import types
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from asgi_core import (
    AsgiDeprecationWarning,
    is_async_callable,
    iterate_in_threadpool,
    run_in_threadpool,
)
from asgi_core.concurrency import run_until_first_complete


@pytest.mark.anyio
async def test_run_in_threadpool() -> None:
    def work(a: int, b: int = 0, *, c: int = 0) -> tuple[int, int]:
        return a + b + c, threading.get_ident()

    total, thread = await run_in_threadpool(work, 1, 2, c=3)
    assert total == 6
    assert thread != threading.get_ident()
    total, _ = await run_in_threadpool(work, 4)
    assert total == 4


@pytest.mark.anyio
async def test_run_in_threadpool_propagates_errors() -> None:
    def fail() -> None:
        raise KeyError("nope")

    with pytest.raises(KeyError, match="nope"):
        await run_in_threadpool(fail)


@pytest.mark.anyio
async def test_iterate_in_threadpool() -> None:
    threads: set[int] = set()

    def numbers() -> Iterator[int]:
        for number in range(3):
            threads.add(threading.get_ident())
            yield number

    assert [n async for n in iterate_in_threadpool(numbers())] == [0, 1, 2]
    assert threading.get_ident() not in threads
    empty: list[int] = []
    assert [n async for n in iterate_in_threadpool(empty)] == []


@pytest.mark.anyio
async def test_iterate_in_threadpool_propagates_errors() -> None:
    def broken() -> Iterator[int]:
        yield 1
        raise RuntimeError("broken iterator")

    seen: list[int] = []
    with pytest.raises(RuntimeError, match="broken iterator"):
        async for number in iterate_in_threadpool(broken()):
            seen.append(number)
    assert seen == [1]


def test_is_async_callable() -> None:
    async def coroutine_function() -> None:
        pass

    def plain() -> None:
        pass

    class AsyncCallable:
        async def __call__(self) -> None:
            pass

    class SyncCallable:
        def __call__(self) -> None:
            pass

    assert is_async_callable(coroutine_function)
    assert is_async_callable(functools.partial(coroutine_function))
    assert is_async_callable(functools.partial(functools.partial(coroutine_function)))
    assert is_async_callable(AsyncCallable())
    assert not is_async_callable(plain)
    assert not is_async_callable(functools.partial(plain))
    assert not is_async_callable(SyncCallable())
    assert not is_async_callable(42)
    obj: Any = object()
    assert not is_async_callable(obj)


def test_is_async_callable_methods() -> None:
    class Handlers:
        async def answer(self) -> None:
            pass

        def plain(self) -> None:
            pass

    handlers = Handlers()
    assert is_async_callable(handlers.answer)
    assert is_async_callable(functools.partial(handlers.answer))
    assert not is_async_callable(handlers.plain)
    # a method object whose function is itself a callable object: inspect decides
    assert not is_async_callable(types.MethodType(AsyncCallableOnce(), handlers))
    assert is_async_callable(types.MethodType(coroutine_function, handlers))


class AsyncCallableOnce:
    async def __call__(self, owner: object) -> None:
        pass


async def coroutine_function(owner: object) -> None:
    pass


@pytest.mark.anyio
async def test_run_until_first_complete_is_deprecated_and_cancels_the_others() -> None:
    events: list[str] = []

    async def quick(name: str) -> None:
        events.append(name)

    async def slow() -> None:
        try:
            await anyio.sleep_forever()
        finally:
            events.append("slow cancelled")

    with anyio.fail_after(5):
        with pytest.warns(
            AsgiDeprecationWarning,
            match=r"^run_until_first_complete is deprecated and will be removed in a future",
        ) as record:
            await run_until_first_complete((slow, {}), (quick, {"name": "quick"}))
    assert events == ["quick", "slow cancelled"]
    assert record[0].filename == __file__
