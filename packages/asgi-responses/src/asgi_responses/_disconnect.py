"""Sending a response body until it ends or the client goes away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio

from asgi_core.types import Receive

__all__ = ["until_disconnect"]


async def _wait_for_disconnect(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


async def until_disconnect(send_body: Callable[[], Awaitable[None]], receive: Receive) -> bool:
    """Run ``send_body()`` while watching ``receive`` for ``http.disconnect``.

    Returns ``True`` when the body was sent completely, ``False`` when the client
    disconnected first (``send_body`` is then cancelled) or ``send`` failed because the
    connection is closed (servers raise ``OSError`` there, ASGI 2.4). An exception of
    ``send_body`` is raised as itself, not wrapped in an exception group.
    """
    completed = False
    error: Exception | None = None

    async def body() -> None:
        nonlocal completed, error
        try:
            await send_body()
            completed = True
        except OSError:
            pass
        except Exception as exc:  # noqa: BLE001 - re-raised below, outside the task group
            error = exc
        task_group.cancel_scope.cancel()

    async with anyio.create_task_group() as task_group:
        task_group.start_soon(body)
        await _wait_for_disconnect(receive)
        task_group.cancel_scope.cancel()
    if error is not None:
        raise error
    return completed
