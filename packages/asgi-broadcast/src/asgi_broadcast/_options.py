"""Checks of configuration values: a clear exception at configuration time for a wrong one."""

from __future__ import annotations

from asgi_broadcast._subscriber import OVERFLOW_POLICIES, Overflow

__all__ = ["check_int", "check_overflow", "check_seconds", "redacted"]


def check_int(owner: str, name: str, value: object, *, minimum: int) -> int:
    """``value`` when it is an int of at least ``minimum``, else a TypeError or ValueError."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{owner}({name}={value!r}): pass an integer (at least {minimum}).")
    if value < minimum:
        raise ValueError(f"{owner}({name}={value!r}): pass an integer of at least {minimum}.")
    return value


def check_seconds(owner: str, name: str, value: object) -> float:
    """``value`` when it is a positive number of seconds, else a TypeError or ValueError."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{owner}({name}={value!r}): pass a number of seconds.")
    if not value > 0:
        raise ValueError(f"{owner}({name}={value!r}): pass a positive number of seconds.")
    return float(value)


def check_overflow(owner: str, value: object) -> Overflow:
    """``value`` when it is one of the overflow policies, else a ValueError naming them."""
    if value not in OVERFLOW_POLICIES:
        raise ValueError(
            f"{owner}(overflow={value!r}): pass 'drop_oldest' (a full queue drops its oldest "
            "event to make room) or 'drop_newest' (a full queue drops the arriving event)."
        )
    return value


def redacted(url: str) -> str:
    """``url`` with its password replaced by ``***``, fit for messages and logs."""
    scheme, separator, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}{separator}{user}:***@{host}"
