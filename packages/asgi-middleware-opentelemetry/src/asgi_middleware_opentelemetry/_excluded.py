"""``excluded_urls``: the regular expressions whose requests get no span.

Starlette's rules: a string is a comma-separated list (each entry stripped of surrounding
whitespace; an empty string means no exclusion), a sequence holds one pattern per item, used
as given. Each pattern is searched (``re.search``) in the full request URL, so ``"health"``
excludes ``http://host/healthz`` and ``"^https?://[^/]+/metrics$"`` only that exact path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["compile_excluded_urls"]


def compile_excluded_urls(excluded_urls: Any) -> tuple[re.Pattern[str], ...]:
    """Compile ``excluded_urls`` once, at configuration time.

    Raises ``TypeError`` for anything but a string, a sequence of strings or compiled
    ``str`` patterns, or ``None`` (no exclusion); ``re.error`` naming the pattern for an
    invalid regular expression.
    """
    if excluded_urls is None:
        return ()
    if isinstance(excluded_urls, str):
        entries: Iterable[Any] = (
            [entry.strip() for entry in excluded_urls.split(",")] if excluded_urls else []
        )
    elif isinstance(excluded_urls, (bytes, bytearray, re.Pattern)) or not isinstance(
        excluded_urls, Iterable
    ):
        raise TypeError(
            "excluded_urls must be a comma-separated string or a sequence of regular "
            f"expressions (str or compiled str patterns), got {excluded_urls!r}; "
            'for example excluded_urls="healthz,metrics" or excluded_urls=[r"/healthz$"].'
        )
    else:
        entries = excluded_urls
    return tuple(_compile(entry) for entry in entries)


def _compile(entry: Any) -> re.Pattern[str]:
    if isinstance(entry, re.Pattern):
        if isinstance(entry.pattern, str):
            return entry
    elif isinstance(entry, str):
        try:
            return re.compile(entry)
        except re.error as exc:
            raise re.error(
                f"excluded_urls: {entry!r} is not a valid regular expression ({exc.msg}); "
                "escape special characters with re.escape() to match them literally",
                pattern=entry,
                pos=exc.pos,
            ) from exc
    raise TypeError(
        "excluded_urls: every entry must be a regular expression as str or a compiled str "
        f"pattern (URLs are matched as text), got {entry!r}"
    )
