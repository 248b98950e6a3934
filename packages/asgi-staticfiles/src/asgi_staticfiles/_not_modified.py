"""``304 Not Modified``: deciding it (``If-None-Match``, ``If-Modified-Since``) and sending it."""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate
from typing import ClassVar

from asgi_core import Headers
from asgi_responses import Response

__all__ = ["NotModifiedResponse", "is_not_modified"]


class NotModifiedResponse(Response):
    """An empty ``304 Not Modified`` carrying the validator and caching headers of ``headers``.

    Of the full response's headers it keeps those in :attr:`NOT_MODIFIED_HEADERS`, in their
    order (RFC 9110 section 15.4.5), as Starlette does: ``ETag``, and ``Cache-Control`` and
    ``Vary`` where the full response has them.
    """

    NOT_MODIFIED_HEADERS: ClassVar[tuple[str, ...]] = (
        "cache-control",
        "content-location",
        "date",
        "etag",
        "expires",
        "vary",
    )

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__(status_code=304)
        if isinstance(headers, Headers):
            raw = headers.raw
        else:
            raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        keep = {name.encode("latin-1") for name in self.NOT_MODIFIED_HEADERS}
        self.raw_headers = [(name, value) for name, value in raw if name in keep]


def _opaque(tag: str) -> str:
    """The tag without its weakness mark: ``If-None-Match`` compares weakly (RFC 9110 13.1.2)."""
    return tag[2:] if tag.startswith("W/") else tag


def is_not_modified(
    response_headers: Mapping[str, str], request_headers: Mapping[str, str]
) -> bool:
    """Whether the client's copy is current, so a ``304`` can be sent instead of the file.

    ``If-None-Match`` wins when present: a listed tag equal to the ``ETag`` (weak tags
    ``W/"..."`` included) or ``*``. Otherwise ``If-Modified-Since`` at or after
    ``Last-Modified``. A date that cannot be read is ignored.
    """
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        etag = response_headers.get("etag")
        tags = [_opaque(tag.strip()) for tag in if_none_match.split(",")]
        return "*" in tags or (etag is not None and _opaque(etag) in tags)
    if_modified_since = request_headers.get("if-modified-since")
    last_modified = response_headers.get("last-modified")
    if if_modified_since is None or last_modified is None:
        return False
    since, modified = parsedate(if_modified_since), parsedate(last_modified)
    return since is not None and modified is not None and modified <= since
