"""A lifespan that sets ``app.state`` and per-request state.

Run: ``hatch run uvicorn --app-dir examples/lifespan_state app:app``
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from asgi_core import Request
from asgi_framework import App
from asgi_responses import JSONResponse
from asgi_routing import Route


class Counter:
    """Stands for a resource opened at startup and closed at shutdown (a pool, a client)."""

    def __init__(self) -> None:
        self.value = 0
        self.closed = False


@asynccontextmanager
async def lifespan(app: App) -> AsyncIterator[dict[str, Any]]:
    counter = Counter()
    app.state.started = True
    yield {"counter": counter}  # copied into every request's state
    counter.closed = True
    app.state.started = False


async def hit(request: Request) -> JSONResponse:
    counter: Counter = request.state.counter
    counter.value += 1
    return JSONResponse({"hits": counter.value, "started": request.app.state.started})


app = App(routes=[Route("/", hit)], lifespan=lifespan)
