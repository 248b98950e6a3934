"""Formatting ``Set-Cookie`` header values."""

from __future__ import annotations

import http.cookies
from datetime import datetime
from email.utils import format_datetime
from typing import Literal

from asgi_core.exceptions import UsageError

__all__ = ["cookie_header"]

_SAMESITE = ("strict", "lax", "none")
# The attributes http.cookies writes before "Partitioned" when it knows it (Python 3.14+):
# it writes them sorted by name.
_BEFORE_PARTITIONED = ["comment", "domain", "expires", "httponly", "max-age"]
_AFTER_PARTITIONED = ["path", "samesite", "secure", "version"]


def cookie_header(
    key: str,
    value: str = "",
    *,
    max_age: int | None = None,
    expires: datetime | str | int | None = None,
    path: str | None = "/",
    domain: str | None = None,
    secure: bool = False,
    httponly: bool = False,
    samesite: Literal["lax", "strict", "none"] | None = "lax",
    partitioned: bool = False,
) -> str:
    """The value of a ``Set-Cookie`` header, formatted by :mod:`http.cookies` as Starlette does.

    ``expires`` is a datetime, an HTTP date string, or a number of seconds from now.
    ``partitioned`` (CHIPS) works on every Python version, written where Python 3.14's
    :mod:`http.cookies` puts it (Starlette supports it there only); browsers keep a
    ``Partitioned`` cookie only when it is also ``secure``.
    """
    if samesite is not None and samesite.lower() not in _SAMESITE:
        raise UsageError("samesite must be either 'strict', 'lax' or 'none'")
    cookie: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
    cookie[key] = value
    morsel = cookie[key]
    if max_age is not None:
        morsel["max-age"] = max_age
    if expires is not None:
        morsel["expires"] = (
            format_datetime(expires, usegmt=True) if isinstance(expires, datetime) else expires
        )
    if path is not None:
        morsel["path"] = path
    if domain is not None:
        morsel["domain"] = domain
    if secure:
        morsel["secure"] = True
    if httponly:
        morsel["httponly"] = True
    if samesite is not None:
        morsel["samesite"] = samesite
    if not partitioned:
        return morsel.OutputString()
    before = morsel.OutputString(_BEFORE_PARTITIONED)
    after = morsel.OutputString(_AFTER_PARTITIONED)
    head = f"{morsel.key}={morsel.coded_value}"  # what both strings start with
    return f"{before}; Partitioned{after[len(head) :]}"
