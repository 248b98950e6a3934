"""Parsing the ``Range`` request header in linear time, with Starlette 1.10's answers."""

from __future__ import annotations

__all__ = ["MalformedRangeHeader", "RangeNotSatisfiable", "parse_range_header"]

#: Python's default ``sys.int_max_str_digits``: a longer position is not a number (as with
#: ``int()`` by default), whatever the interpreter is configured to, so that converting
#: one never costs more than a bounded amount of work.
_MAX_POSITION_LENGTH = 4300


class MalformedRangeHeader(Exception):
    """The ``Range`` header is not valid byte-range syntax (answered with ``400``)."""

    def __init__(self, content: str = "Malformed range header.") -> None:
        super().__init__(content)
        self.content = content


class RangeNotSatisfiable(Exception):
    """A requested range starts past the end of the file (answered with ``416``)."""

    def __init__(self, max_size: int) -> None:
        super().__init__(max_size)
        self.max_size = max_size


def _position(text: str) -> int | None:
    """``int(text)``, or ``None`` when it is not a number (that range is skipped)."""
    if len(text) > _MAX_POSITION_LENGTH:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _requested(specs: str, size: int) -> list[tuple[int, int]]:
    """The ``(first, last)`` byte positions (``last`` inclusive) of each well-formed range.

    A range whose positions are not numbers is skipped, as Starlette does; a suffix range
    ``-n`` asks for the last ``n`` bytes, an open range ``n-`` for everything from ``n``.
    """
    ranges: list[tuple[int, int]] = []
    for spec in specs.split(","):
        first, dash, last = spec.strip().partition("-")
        if not dash:
            continue
        if first:
            start = _position(first)
            end = _position(last) if last else size - 1
        else:
            suffix = _position(last)
            start = None if suffix is None else max(0, size - suffix)
            end = size - 1
        if start is not None and end is not None:
            ranges.append((start, end))
    return ranges


def parse_range_header(
    value: str, size: int, max_ranges: int = 100
) -> list[tuple[int, int]] | None:
    """The ``(start, stop)`` byte ranges (``stop`` exclusive) that ``value`` asks of ``size`` bytes.

    Answers as Starlette 1.10 does: overlapping and adjacent ranges are merged and the
    result is sorted; a range that is not made of numbers is skipped; a range starting at
    or past the end of the file raises :class:`RangeNotSatisfiable` (``416``) even when
    others could be served; :class:`MalformedRangeHeader` (``400``) is raised with
    Starlette's messages for a header without ``=``, an empty unit, no usable range, or a
    range ending before it starts. Returns ``None`` when the header must be ignored and the
    whole file sent: a unit other than ``bytes`` (RFC 9110 section 14.2: an origin server
    MUST ignore a range unit it does not understand; Starlette answers ``400``) or more
    than ``max_ranges`` ranges (a cheap defence against requests for thousands of tiny
    ranges, at Starlette's limit). The work done is linear in the length of ``value``.
    """
    unit, separator, specs = value.partition("=")
    if not separator:
        raise MalformedRangeHeader()
    unit = unit.strip().lower()
    if unit != "bytes":
        if unit:
            return None
        raise MalformedRangeHeader("Only support bytes range")
    if specs.count(",") >= max_ranges:
        return None
    ranges = _requested(specs, size)
    if not ranges:
        raise MalformedRangeHeader("Range header: range must be requested")
    if any(start >= size for start, _ in ranges):
        raise RangeNotSatisfiable(size)
    if any(start > end for start, end in ranges):
        raise MalformedRangeHeader("Range header: start must be less than end")
    ranges.sort()
    merged = [(ranges[0][0], min(ranges[0][1], size - 1) + 1)]
    for start, end in ranges[1:]:
        stop = min(end, size - 1) + 1
        last_start, last_stop = merged[-1]
        if start <= last_stop:
            merged[-1] = (last_start, max(last_stop, stop))
        else:
            merged.append((start, stop))
    return merged
