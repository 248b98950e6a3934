"""Conditional requests (RFC 9110 section 13): ``If-Match`` ... ``If-Range``."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from asgi_core import Headers

__all__ = ["if_range_matches", "precondition_status"]


def _tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith(("W/", "w/")) else tag


def _strong_match(header: str, etag: str | None) -> bool:
    if etag is None or etag.startswith("W/"):
        return False
    return any(tag in ("*", etag) for tag in _tags(header))


def _weak_match(header: str, etag: str | None) -> bool:
    if etag is None:
        return False
    return any(tag == "*" or _opaque(tag) == _opaque(etag) for tag in _tags(header))


def _timestamp(value: str) -> float | None:
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None  # an invalid date makes the condition be ignored (RFC 9110)


def precondition_status(
    method: str, headers: Headers, etag: str | None, last_modified: float | None
) -> int | None:
    """``304``, ``412`` or ``None`` (go on) for a request about a resource with these validators.

    Evaluated in the order of RFC 9110 section 13.2.2: ``If-Match``, else
    ``If-Unmodified-Since``; then ``If-None-Match``, else ``If-Modified-Since`` (GET and
    HEAD only). Dates compare at whole-second precision, as ``Last-Modified`` carries.
    """
    modified = int(last_modified) if last_modified is not None else None
    if_match = headers.get("if-match")
    if if_match is not None:
        if not _strong_match(if_match, etag):
            return 412
    else:
        since = headers.get("if-unmodified-since")
        limit = _timestamp(since) if since is not None else None
        if limit is not None and modified is not None and modified > limit:
            return 412
    safe = method in ("GET", "HEAD")
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        if _weak_match(if_none_match, etag):
            return 304 if safe else 412
    elif safe:
        since = headers.get("if-modified-since")
        limit = _timestamp(since) if since is not None else None
        if limit is not None and modified is not None and modified <= limit:
            return 304
    return None


def if_range_matches(value: str, etag: str | None, last_modified: float | None) -> bool:
    """Whether ``If-Range: value`` still describes the resource (then the range is served)."""
    if value.startswith(('"', "W/")):
        return etag is not None and not value.startswith("W/") and value == etag
    when = _timestamp(value)
    return when is not None and last_modified is not None and int(last_modified) == when
