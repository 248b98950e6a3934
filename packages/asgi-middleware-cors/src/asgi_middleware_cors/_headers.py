"""Adding the CORS headers to the raw header list of an ``http.response.start`` message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["VARY_ORIGIN", "with_cors_headers"]

RawHeaders = list[tuple[bytes, bytes]]

#: What a response without ``Vary`` gets: it depends on the request's ``Origin``.
VARY_ORIGIN = (b"vary", b"Origin")
_VARY = b"vary"
_ORIGIN_SUFFIX = b", Origin"


def with_cors_headers(
    raw: Iterable[tuple[bytes, bytes]], headers: Mapping[bytes, bytes]
) -> RawHeaders:
    """A new header list: ``raw`` with ``headers`` set and ``Origin`` added to ``Vary``.

    As Starlette does it: a name of ``headers`` the response already has (in lower case, as
    ASGI sends header names) is replaced where it first appears and its other lines are
    dropped; the others are appended in order. ``Vary`` keeps the response's values, joined
    into its first line, with ``Origin`` after them, or is appended last. ``raw`` itself is
    never changed: an application may send the same list with every response.
    """
    out: RawHeaders = []
    vary_at = -1
    vary_values: list[bytes] = []
    pending = dict(headers) if headers else None
    for pair in raw:
        name = pair[0]
        if name == _VARY:
            if vary_at < 0:
                vary_at = len(out)
                out.append(pair)
            vary_values.append(pair[1])
        elif pending is not None and name in headers:
            value = pending.pop(name, None)
            if value is not None:
                out.append((name, value))
        else:
            out.append(pair)
    if pending:
        out.extend(pending.items())
    if vary_at < 0:
        out.append(VARY_ORIGIN)
    else:
        out[vary_at] = (_VARY, b", ".join(vary_values) + _ORIGIN_SUFFIX)
    return out
