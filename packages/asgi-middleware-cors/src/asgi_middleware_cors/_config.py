"""Checks of CORSMiddleware's arguments, made once when the middleware is built.

Every problem raises at configuration time with what was wrong, what was received and what
to do, instead of a middleware that silently allows too much or answers with broken headers.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

__all__ = ["compile_origin_regex", "max_age_value", "string_collection"]

_EXAMPLES = {
    "allow_origins": "['https://example.org']",
    "allow_methods": "['GET', 'POST']",
    "allow_headers": "['X-Requested-With']",
    "expose_headers": "['X-Request-Id']",
}


def string_collection(name: str, value: Collection[str]) -> tuple[str, ...]:
    """``value`` as a tuple of strings; a single string or a non-string item is refused.

    A single string is a collection of its characters: ``allow_origins="https://a.org"``
    would allow the origins ``"h"``, ``"t"``, ... (Starlette checks ``origin in
    allow_origins``, a substring test), so it raises instead.
    """
    example = _EXAMPLES[name]
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must be a collection of strings such as {example}, not a single "
            f"string: received {value!r}. Wrap it in a list: {name}=[{value!r}]."
        )
    items = tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(
                f"{name} must hold strings such as {example}: received {item!r} "
                f"({type(item).__name__}) in {name}={value!r}."
            )
    return items


def max_age_value(value: Any) -> int:
    """``value`` when it is a whole number of seconds, >= 0, for ``Access-Control-Max-Age``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"max_age must be a whole number of seconds (an int), received {value!r} "
            f"({type(value).__name__}). Pass for example max_age=600."
        )
    if value < 0:
        raise ValueError(
            f"max_age must be 0 or more seconds, received {value}. Use max_age=0 so that "
            "browsers do not cache preflight answers."
        )
    return value


def compile_origin_regex(pattern: str | None) -> re.Pattern[str] | None:
    """The compiled ``allow_origin_regex``; an invalid one raises ``re.error`` saying so."""
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise re.error(
            f"allow_origin_regex is not a valid regular expression ({exc}): received "
            f"{pattern!r}. It must match whole origins, for example "
            r"'https://.*\.example\.org'.",
            exc.pattern,
            exc.pos,
        ) from exc
