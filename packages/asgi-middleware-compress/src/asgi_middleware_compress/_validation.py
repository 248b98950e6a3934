"""Checks of the middleware's settings, made once at construction with clear messages."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["check_int", "check_level", "check_media_types"]


def check_int(name: str, value: object, *, minimum: int = 0) -> int:
    """``value`` if it is an int of at least ``minimum``; TypeError/ValueError otherwise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(
            f"{name} must be an int (a number of bytes), got {value!r} of type "
            f"{type(value).__name__}; pass for example {name}=500."
        )
    if value < minimum:
        raise ValueError(
            f"{name} must be at least {minimum}, got {value}; use {minimum} to apply it to "
            "every response."
        )
    return value


def check_level(name: str, value: object, low: int, high: int, note: str = "") -> int:
    """``value`` if it is an int in ``low..high``; TypeError/ValueError otherwise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(
            f"{name} must be an int from {low} to {high}, got {value!r} of type "
            f"{type(value).__name__}."
        )
    if not low <= value <= high:
        raise ValueError(
            f"{name} must be from {low} to {high}, got {value}{note}; lower levels are "
            "faster, higher ones compress more."
        )
    return value


def check_media_types(name: str, values: object) -> tuple[str, ...]:
    """Media types lowercased, without parameters or surrounding spaces, in the given order.

    ``"Text/HTML; charset=utf-8 "`` becomes ``"text/html"``; ``"video/*"`` stays a wildcard.
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"{name} must be a collection of media types such as ('image/png', 'video/*'), "
            f"got {values!r}; wrap a single type in a tuple: ({values!r},)."
        )
    normalized: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise TypeError(
                f"{name} must hold media types as str, got {value!r} of type "
                f"{type(value).__name__}."
            )
        normalized.append(value.split(";", 1)[0].strip().lower())
    return tuple(normalized)
