"""MemorySessionStore: sessions kept in the process, with expiry and a bound on their number."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from asgi_middleware_sessions._store import dumps, loads, positive_int

__all__ = ["MemorySessionStore"]

DAY = 24 * 60 * 60


class MemorySessionStore:
    """A server-side :class:`SessionStore` in a dict of this process.

    For development, tests and single-process deployments: sessions are lost on restart and
    not shared between worker processes (use :class:`RedisSessionStore` for that). Each
    session is kept as JSON (so it is a copy, and only JSON values are accepted) until ``ttl``
    seconds after its last save. At most ``max_entries`` sessions are kept: saving one more
    forgets the one saved longest ago, so a flood of new sessions cannot exhaust memory.

    ``default_ttl`` (seconds) applies when the middleware has ``max_age=None``; ``clock``
    returns seconds (``time.monotonic`` unless a test passes its own).
    """

    def __init__(
        self,
        *,
        max_entries: int = 10_000,
        default_ttl: int = DAY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = positive_int("MemorySessionStore", "max_entries", max_entries)
        self.default_ttl = positive_int("MemorySessionStore", "default_ttl", default_ttl)
        self._clock = clock
        # session id -> (expiry time, JSON); in the order of the last save
        self._entries: dict[str, tuple[float, str]] = {}

    def __len__(self) -> int:
        """How many sessions are held (expired ones included until they are looked up)."""
        return len(self._entries)

    async def load(self, session_id: str) -> dict[str, Any] | None:
        """The session saved under ``session_id``, or None if unknown or expired."""
        entry = self._entries.get(session_id)
        if entry is None:
            return None
        expires, raw = entry
        if expires <= self._clock():
            del self._entries[session_id]
            return None
        return loads(raw)

    async def save(self, session_id: str, data: dict[str, Any], ttl: int | None) -> None:
        """Keep ``data`` for ``ttl`` seconds (``default_ttl`` when None) from now."""
        raw = dumps(data)
        lifetime = self.default_ttl if ttl is None else ttl
        self._entries.pop(session_id, None)  # re-inserted last: the newest save
        self._entries[session_id] = (self._clock() + lifetime, raw)
        if len(self._entries) > self.max_entries:
            del self._entries[next(iter(self._entries))]

    async def delete(self, session_id: str) -> None:
        """Forget ``session_id``."""
        self._entries.pop(session_id, None)
