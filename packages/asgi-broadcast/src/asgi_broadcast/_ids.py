"""Event ids in the Redis Streams format (``"<milliseconds>-<sequence>"``), for every backend.

The memory backend makes ids of the same form, so an application that passes
``Last-Event-ID`` to ``subscribe(last_id=...)`` behaves the same on ``memory://`` and
``redis-stream://``, and an id from before a restart sorts before every newer one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from asgi_broadcast._errors import InvalidEventId

__all__ = ["EventIds", "parse_event_id"]

_ID = re.compile(r"([0-9]{1,20})(?:-([0-9]{1,20}))?")
_MAX = 2**64 - 1


def parse_event_id(value: object) -> tuple[int, int]:
    """``(milliseconds, sequence)`` of an id like ``"1718000000000-0"`` (or ``"1718000000000"``).

    Raises :class:`InvalidEventId` for anything else, ids from clients included.
    """
    match = _ID.fullmatch(value) if isinstance(value, str) else None
    if match is not None:
        milliseconds, sequence = int(match[1]), int(match[2] or 0)
        if milliseconds <= _MAX and sequence <= _MAX:
            return milliseconds, sequence
    raise InvalidEventId(
        f"last_id={value!r} is not an event id: ids look like '1718000000000-0' (milliseconds, "
        "a dash and a sequence number), as Event.id gives them. When it comes from a client's "
        "Last-Event-ID header, answer 400 (or subscribe without last_id)."
    )


class EventIds:
    """Makes increasing ids from the clock, as Redis does for ``XADD key * ...``.

    ``clock`` gives the time in nanoseconds (``time.time_ns``).
    """

    __slots__ = ("_clock", "_last")

    def __init__(self, clock: Callable[[], int] = time.time_ns) -> None:
        self._clock = clock
        self._last = (0, 0)

    def next(self) -> str:
        """A new id, greater than every id made before, even when the clock goes back."""
        now = self._clock() // 1_000_000
        milliseconds, sequence = self._last
        self._last = (now, 0) if now > milliseconds else (milliseconds, sequence + 1)
        return f"{self._last[0]}-{self._last[1]}"
