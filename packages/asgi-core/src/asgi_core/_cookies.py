"""Parsing of the ``Cookie`` request header the way browsers send it.

``http.cookies.SimpleCookie`` rejects a whole header over one cookie it dislikes; this
parser instead keeps every ``name=value`` pair it can read, like browsers and Starlette do:
pairs are split on ``;``, a chunk without ``=`` is a value with an empty name, surrounding
white space is dropped and double-quoted values are unquoted (with ``\\ooo`` octal escapes).
"""

from __future__ import annotations

import re

__all__ = ["cookie_parser"]

_ESCAPE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))", re.DOTALL)


def _replace_escape(match: re.Match[str]) -> str:
    octal = match[1]
    return chr(int(octal, 8)) if octal is not None else match[2]


def _unquote(value: str) -> str:
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return value
    inner = value[1:-1]
    if "\\" not in inner:
        return inner
    return _ESCAPE.sub(_replace_escape, inner)


def cookie_parser(cookie_string: str) -> dict[str, str]:
    """Parse a ``Cookie`` header into a dict; a later duplicate name wins."""
    cookies: dict[str, str] = {}
    for chunk in cookie_string.split(";"):
        name, sep, value = chunk.partition("=")
        if not sep:
            name, value = "", name
        name = name.strip()
        value = value.strip()
        if name or value:
            cookies[name] = _unquote(value)
    return cookies
