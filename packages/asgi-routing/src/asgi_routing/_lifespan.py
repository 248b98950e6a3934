"""The lifespan protocol of a router: a context manager around the application's life."""

from __future__ import annotations

import contextlib
import functools
import inspect
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from asgi_core import is_async_callable, warn_deprecated
from asgi_core.scope_keys import APP, STATE
from asgi_core.types import Receive, Scope, Send

__all__ = ["DefaultLifespan", "lifespan_context_for", "run_lifespan"]


class _AsyncLift:
    """A sync context manager used as an async one."""

    def __init__(self, manager: contextlib.AbstractContextManager[Any]) -> None:
        self._manager = manager

    async def __aenter__(self) -> Any:
        return self._manager.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        return self._manager.__exit__(exc_type, exc, tb)


class DefaultLifespan:
    """Runs the (deprecated) startup and shutdown handlers of a router."""

    def __init__(
        self, on_startup: Sequence[Callable[[], Any]], on_shutdown: Sequence[Callable[[], Any]]
    ) -> None:
        self.on_startup = on_startup
        self.on_shutdown = on_shutdown

    async def __aenter__(self) -> None:
        await _run_all(self.on_startup)

    async def __aexit__(self, *exc_info: object) -> None:
        await _run_all(self.on_shutdown)

    def __call__(self, app: object) -> DefaultLifespan:
        return self


async def _run_all(handlers: Sequence[Callable[[], Any]]) -> None:
    for handler in handlers:
        if is_async_callable(handler):
            await handler()
        else:
            handler()


def lifespan_context_for(lifespan: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The async context manager factory for ``lifespan``, converting deprecated forms."""
    if inspect.isasyncgenfunction(lifespan):
        warn_deprecated(
            "async generator function lifespans are deprecated, "
            "use an @contextlib.asynccontextmanager function instead",
            stacklevel=3,
        )
        return contextlib.asynccontextmanager(lifespan)
    if inspect.isgeneratorfunction(lifespan):
        warn_deprecated(
            "generator function lifespans are deprecated, "
            "use an @contextlib.asynccontextmanager function instead",
            stacklevel=3,
        )
        manager = contextlib.contextmanager(lifespan)

        @functools.wraps(manager)
        def lifted(app: Any) -> _AsyncLift:
            return _AsyncLift(manager(app))

        return lifted
    return lifespan


async def run_lifespan(
    context: Callable[[Any], Any], scope: Scope, receive: Receive, send: Send
) -> None:
    """Speak the ASGI lifespan protocol around ``context(app)``.

    State the context yields is merged into ``scope["state"]``, which servers copy into
    every request's scope.
    """
    started = False
    await receive()
    try:
        async with context(scope.get(APP)) as state:
            if state is not None:
                if STATE not in scope:
                    raise RuntimeError('The server does not support "state" in the lifespan scope.')
                scope[STATE].update(state)
            await send({"type": "lifespan.startup.complete"})
            started = True
            await receive()
    except BaseException:
        message = traceback.format_exc()
        failed = "lifespan.shutdown.failed" if started else "lifespan.startup.failed"
        await send({"type": failed, "message": message})
        raise
    await send({"type": "lifespan.shutdown.complete"})
