"""Accept-Encoding negotiation (RFC 9110 section 12.5.3)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

__all__ = ["Negotiator", "accept_encoding", "choose_encoding", "parse_accept_encoding"]

T = TypeVar("T")

# qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
# RFC 9110 section 8.4.1.3: a recipient SHOULD consider "x-gzip" equivalent to "gzip".
_ALIASES = {"x-gzip": "gzip"}
_CACHE_SIZE = 256


def parse_accept_encoding(value: str) -> dict[str, float]:
    """The codings of an ``Accept-Encoding`` value with their weights.

    Codings are lowercased (they are case-insensitive), ``x-gzip`` counts as ``gzip``, an
    element whose weight is not a valid qvalue is ignored, and the first mention of a
    coding wins. ``"gzip;q=0.5, br, *;q=0"`` gives ``{"gzip": 0.5, "br": 1.0, "*": 0.0}``.
    """
    weights: dict[str, float] = {}
    for element in value.split(","):
        coding, _, parameters = element.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = _weight(parameters) if parameters else 1.0
        if weight is not None:
            weights.setdefault(_ALIASES.get(coding, coding), weight)
    return weights


def _weight(parameters: str) -> float | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            value = value.strip()
            return float(value) if _QVALUE.fullmatch(value) else None
    return 1.0


def choose_encoding(weights: Mapping[str, float], offered: Iterable[str]) -> str | None:
    """The offered coding the client prefers, or None when it accepts none of them.

    A coding is acceptable when listed with a weight above 0, or, when not listed, when
    ``*`` is listed with a weight above 0. The highest weight wins; on a tie the earlier
    one in ``offered`` (the server's preference) wins.
    """
    star = weights.get("*")
    best: str | None = None
    best_weight = 0.0
    for coding in offered:
        weight = weights.get(coding, star)
        if weight is not None and weight > best_weight:
            best, best_weight = coding, weight
    return best


def accept_encoding(headers: Iterable[tuple[bytes, bytes]]) -> bytes | None:
    """The request's ``Accept-Encoding`` value (several field lines joined), or None."""
    found: bytes | None = None
    for name, value in headers:
        if name == b"accept-encoding":
            found = value if found is None else found + b"," + value
    return found


class Negotiator(Generic[T]):
    """Picks one of ``choices`` (coding name -> value) for a request, None for identity.

    ``choices`` is ordered by the server's preference. Decisions are cached per raw
    ``Accept-Encoding`` value (clients send few distinct values); the cache is bounded.
    """

    __slots__ = ("_cache", "_choices")

    def __init__(self, choices: Mapping[str, T]) -> None:
        self._choices = dict(choices)
        self._cache: dict[bytes, T | None] = {}

    def __call__(self, headers: Iterable[tuple[bytes, bytes]]) -> T | None:
        """The choice for a request with these headers."""
        value = accept_encoding(headers)
        if value is None:
            return None
        cache = self._cache
        if value in cache:
            return cache[value]
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        coding = choose_encoding(parse_accept_encoding(value.decode("latin-1")), self._choices)
        choice = cache[value] = None if coding is None else self._choices[coding]
        return choice
