"""Reading ``Accept-Encoding`` and ``Accept`` (RFC 9110 sections 12.4.2, 12.5.1, 12.5.3).

Both parsers are lenient the way RFC 9110 asks of recipients: an element with an invalid
``q`` is ignored, names are case-insensitive, ``x-gzip`` means ``gzip``. Browsers send the
same few header values again and again, so answers are remembered (a bounded cache: the
values come from clients).
"""

from __future__ import annotations

import re
from typing import TypeVar

__all__ = ["ENCODINGS", "accepted_encodings", "accepts_html"]

#: content codings that can be served precompressed, with the suffix of their files
ENCODINGS: dict[str, str] = {"br": ".br", "zstd": ".zst", "gzip": ".gz"}

_QVALUE = re.compile(r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)\Z")
_CACHE_SIZE = 256
_K = TypeVar("_K")
_V = TypeVar("_V")
_encodings_cache: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
_html_cache: dict[str, bool] = {}


def _elements(value: str) -> list[tuple[str, float]]:
    """``(name, q)`` of each element of a header list; elements with a bad ``q`` are left out."""
    elements = []
    for element in value.split(","):
        name, *params = element.split(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params:
            key, _, raw = param.partition("=")
            if key.strip().lower() == "q":
                raw = raw.strip()
                q = float(raw) if _QVALUE.match(raw) else -1.0
        if q >= 0:
            elements.append((name, q))
    return elements


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()  # a client sending endless variants only costs the parsing again
    cache[key] = value


def accepted_encodings(value: str | None, offered: tuple[str, ...]) -> tuple[str, ...]:
    """The ``offered`` codings ``Accept-Encoding: value`` accepts, the preferred first.

    Higher ``q`` first; equal ``q`` in the order of ``offered`` (the server's preference).
    ``*`` stands for every coding the header does not name; ``q=0`` refuses. Without the
    header nothing is offered (the file is sent as it is).
    """
    if not value or not offered:
        return ()
    key = (value, offered)
    cached = _encodings_cache.get(key)
    if cached is not None:
        return cached
    weights: dict[str, float] = {}
    for name, q in _elements(value):
        weights.setdefault("gzip" if name == "x-gzip" else name, q)
    default = weights.get("*", 0.0)
    ranked = sorted(
        (-weights.get(name, default), index, name) for index, name in enumerate(offered)
    )
    result = tuple(name for weight, _, name in ranked if weight < 0)
    _remember(_encodings_cache, key, result)
    return result


def accepts_html(value: str | None) -> bool:
    """Whether ``Accept: value`` names ``text/html`` (with ``q`` above 0).

    Only an explicit ``text/html`` counts: ``*/*`` is what scripts, stylesheets, images and
    command-line clients send, and they should get a 404 for a missing file, not a page.
    """
    if not value:
        return False
    cached = _html_cache.get(value)
    if cached is not None:
        return cached
    result = any(name == "text/html" and q > 0 for name, q in _elements(value))
    _remember(_html_cache, value, result)
    return result
