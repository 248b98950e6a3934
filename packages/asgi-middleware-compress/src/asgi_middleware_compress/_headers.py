"""Rewriting a response's headers: Vary, Content-Encoding and Content-Length.

The app's header list is never changed in place (an app may send the same list with every
response); a new list is returned. Names are compared case-insensitively. The order follows
Starlette's: headers keep their places (a Content-Length is updated where it is; several
Vary fields become one, at the first one's place), then come a new ``vary``, the
``content-encoding`` and a new ``content-length``.
"""

from __future__ import annotations

__all__ = ["Headers", "rewrite"]

Headers = list[tuple[bytes, bytes]]

_VARY = b"vary"
_ACCEPT_ENCODING = b"Accept-Encoding"
_CONTENT_LENGTH = b"content-length"
_CONTENT_ENCODING = b"content-encoding"


def _names_accept_encoding(values: list[bytes]) -> bool:
    return any(
        token.strip().lower() == b"accept-encoding"
        for value in values
        for token in value.split(b",")
    )


def rewrite(headers: Headers, encoding: bytes | None = None, length: int | None = None) -> Headers:
    """The headers of a response whose encoding depends on the request's Accept-Encoding.

    Vary names Accept-Encoding (merged with the app's Vary, not repeated). With
    ``encoding`` (the body is compressed): ``Content-Encoding: encoding``, and the
    Content-Length becomes ``length``, or is removed when ``length`` is None (a stream,
    or a response with trailers). Without ``encoding`` the Content-Length is kept.
    """
    result: Headers = []
    varies: list[int] = []
    new_length = None if length is None else str(length).encode("ascii")
    length_set = False
    for name, value in headers:
        lowered = name.lower()
        if lowered == _VARY:
            varies.append(len(result))
        elif encoding is not None and lowered == _CONTENT_LENGTH:
            if new_length is not None and not length_set:
                result.append((_CONTENT_LENGTH, new_length))
                length_set = True
            continue
        result.append((name, value))
    if not varies:
        result.append((_VARY, _ACCEPT_ENCODING))
    else:
        values = [value for at in varies if (value := result[at][1].strip())]
        if not _names_accept_encoding(values):
            first = varies[0]
            result[first] = (_VARY, b", ".join([*values, _ACCEPT_ENCODING]))
            if len(varies) > 1:
                drop = set(varies[1:])
                result = [header for at, header in enumerate(result) if at not in drop]
    if encoding is not None:
        result.append((_CONTENT_ENCODING, encoding))
        if new_length is not None and not length_set:
            result.append((_CONTENT_LENGTH, new_length))
    return result
