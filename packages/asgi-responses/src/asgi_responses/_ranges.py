"""Parsing the ``Range`` request header (RFC 9110 section 14) in linear time."""

from __future__ import annotations

__all__ = ["MalformedRangeHeader", "RangeNotSatisfiable", "parse_range_header"]


class MalformedRangeHeader(Exception):
    """The ``Range`` header is not valid byte-range syntax (answered with ``400``)."""

    def __init__(self, content: str = "Malformed range header.") -> None:
        super().__init__(content)
        self.content = content


class RangeNotSatisfiable(Exception):
    """No requested range overlaps the file (answered with ``416`` and ``bytes */size``)."""

    def __init__(self, max_size: int) -> None:
        super().__init__(max_size)
        self.max_size = max_size


def _shown(text: str, limit: int = 60) -> str:
    """``repr(text)`` cut to about ``limit`` characters: messages quote what clients sent."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}..."


def _position(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise MalformedRangeHeader(f"Range header: {_shown(text)} is not a byte position.")
    try:
        return int(text)
    except ValueError:  # more digits than Python converts
        raise MalformedRangeHeader(
            f"Range header: byte position too large, got a number of {len(text)} digits."
        ) from None


def parse_range_header(
    value: str, size: int, max_ranges: int = 100
) -> list[tuple[int, int]] | None:
    """The ``(start, stop)`` byte ranges (``stop`` exclusive) that ``value`` asks of ``size`` bytes.

    Overlapping and adjacent ranges are merged and the result is sorted. Returns ``None``
    when the header must be ignored and the whole file sent: a unit other than ``bytes``
    (RFC 9110 requires ignoring it) or more than ``max_ranges`` ranges (a cheap defence
    against requests for thousands of tiny ranges). Raises :class:`MalformedRangeHeader`
    for invalid syntax and :class:`RangeNotSatisfiable` when no range overlaps the file.
    The work done is linear in the length of ``value``.
    """
    unit, separator, specs = value.partition("=")
    if not separator:
        raise MalformedRangeHeader(
            f"Malformed range header: expected 'bytes=<ranges>', got {_shown(value)}."
        )
    if unit.strip().lower() != "bytes":
        return None
    if specs.count(",") >= max_ranges:
        return None
    ranges: list[tuple[int, int]] = []
    requested = 0
    for spec in specs.split(","):
        spec = spec.strip()
        if not spec:
            continue
        first, dash, last = spec.partition("-")
        if not dash:
            raise MalformedRangeHeader(f"Range header: {_shown(spec)} is not a byte range.")
        first, last = first.strip(), last.strip()
        requested += 1
        if first:
            start = _position(first)
            stop = _position(last) + 1 if last else max(size, start + 1)
            if stop <= start:
                raise MalformedRangeHeader(
                    f"Range header: start must be less than end, got {_shown(spec)}"
                )
        else:
            if not last:
                raise MalformedRangeHeader(f"Range header: {_shown(spec)} is not a byte range.")
            suffix = _position(last)
            start, stop = max(0, size - suffix), size
            if suffix == 0:
                continue  # a zero-length suffix selects nothing
        if start < size:
            ranges.append((start, min(stop, size)))
    if requested == 0:
        raise MalformedRangeHeader(f"Range header: range must be requested, got {_shown(value)}")
    if not ranges:
        raise RangeNotSatisfiable(size)
    ranges.sort()
    merged = [ranges[0]]
    for start, stop in ranges[1:]:
        last_start, last_stop = merged[-1]
        if start <= last_stop:
            merged[-1] = (last_start, max(last_stop, stop))
        else:
            merged.append((start, stop))
    return merged
