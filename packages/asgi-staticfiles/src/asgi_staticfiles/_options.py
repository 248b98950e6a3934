"""Checking the keyword arguments ``StaticFiles`` adds to Starlette's, when it is built."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from asgi_staticfiles._lookup import is_safe_relative
from asgi_staticfiles._negotiation import ENCODINGS

__all__ = ["CacheControl", "cache_control_value", "encodings_option", "fallback_option"]

#: ``cache_control=``: one value for every file, or a function of the file's path
CacheControl = str | Callable[[str], str | None] | None

_DEFAULT_ENCODINGS = ("br", "zstd", "gzip")


def encodings_option(precompressed: bool | Sequence[str]) -> tuple[str, ...]:
    """The codings to look for, in the server's order of preference."""
    if precompressed is True:
        return _DEFAULT_ENCODINGS
    if precompressed is False:
        return ()
    if isinstance(precompressed, str) or not isinstance(precompressed, Sequence):
        raise TypeError(
            f"precompressed must be True, False or a list of encodings, got {precompressed!r}. "
            "Example: precompressed=['br', 'gzip']."
        )
    for name in precompressed:
        if name not in ENCODINGS:
            known = ", ".join(f"{code!r} ({suffix} files)" for code, suffix in ENCODINGS.items())
            raise ValueError(f"precompressed names an unknown encoding {name!r}: use {known}.")
    return tuple(dict.fromkeys(precompressed))


def cache_control_value(value: object, source: str) -> bytes:
    """A ``Cache-Control`` value as header bytes, refusing what cannot be a header value."""
    if not isinstance(value, str):
        raise TypeError(f"{source} must be a str, got {value!r}.")
    try:
        encoded = value.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError(
            f"{source} must be ASCII (a Cache-Control header), got {value!r}."
        ) from None
    if not value.strip() or any(char in value for char in "\r\n\x00"):
        raise ValueError(
            f"{source} must be one header value without line breaks, got {value!r}. "
            "Example: 'public, max-age=31536000, immutable'."
        )
    return encoded


def fallback_option(fallback: str | None) -> str | None:
    """``fallback=`` as a normalised path relative to the served directories."""
    if fallback is None:
        return None
    if not isinstance(fallback, str):
        raise TypeError(f"fallback must be a file name such as 'index.html', got {fallback!r}.")
    path = os.path.normpath(fallback.replace("/", os.sep)) if fallback else ""
    if "\x00" in path or not is_safe_relative(path) or path == ".":
        raise ValueError(
            f"fallback must name a file inside the served directories, such as 'index.html', "
            f"got {fallback!r}."
        )
    return path
