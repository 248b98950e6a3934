"""The interface of server-side session stores, and the JSON form they keep sessions in."""

from __future__ import annotations

import json
import secrets
from typing import Any, Protocol, runtime_checkable

__all__ = ["SessionStore", "dumps", "loads", "new_session_id", "positive_int"]


@runtime_checkable
class SessionStore(Protocol):
    """Where a server-side session lives; the cookie then holds only its signed id.

    ``load`` returns the data saved under ``session_id``, or None when there is none (never
    saved, expired, deleted, or unreadable); ``save`` stores ``data`` (a JSON-serialisable
    dict) for ``ttl`` seconds, replacing what was there and restarting the countdown; ``ttl``
    is None when the middleware has ``max_age=None`` (a browser-session cookie), and the store
    applies its own default. ``delete`` forgets ``session_id`` (a missing one is not an error).
    A store that cannot reach its backend raises :class:`SessionStoreError`.
    """

    async def load(self, session_id: str) -> dict[str, Any] | None:
        """The data saved under ``session_id``, or None."""
        ...

    async def save(self, session_id: str, data: dict[str, Any], ttl: int | None) -> None:
        """Store ``data`` under ``session_id`` for ``ttl`` seconds."""
        ...

    async def delete(self, session_id: str) -> None:
        """Forget ``session_id``."""
        ...


def new_session_id() -> str:
    """A fresh random session id: 256 bits, URL- and cookie-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def dumps(data: dict[str, Any]) -> str:
    """``data`` as JSON, or a TypeError saying which values a session may hold."""
    try:
        return json.dumps(data)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"The session could not be saved as JSON: {exc}. Keep only JSON values in the "
            "session (str, int, float, bool, None, and lists and dicts of them with str keys); "
            "store an id or an ISO date string rather than an object."
        ) from exc


def loads(raw: str | bytes) -> dict[str, Any] | None:
    """The session dict in ``raw`` JSON, or None if it is not a JSON object."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    return data if isinstance(data, dict) else None


def positive_int(owner: str, name: str, value: object) -> int:
    """``value`` if it is a whole number > 0; a ValueError naming ``owner(name=...)`` if not."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{owner}({name}={value!r}): pass a whole number > 0.")
    return value
