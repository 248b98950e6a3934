"""Laid out like ``starlette.concurrency`` (names from asgi-core)."""

from asgi_core.concurrency import (
    is_async_callable,
    iterate_in_threadpool,
    run_in_threadpool,
    run_until_first_complete,
)

__all__ = [
    "is_async_callable",
    "iterate_in_threadpool",
    "run_in_threadpool",
    "run_until_first_complete",
]
