"""Formatting ``Set-Cookie`` header values."""

from __future__ import annotations

import http.cookies
from datetime import datetime
from email.utils import format_datetime
from typing import Literal

__all__ = ["cookie_header"]

_SAMESITE = ("strict", "lax", "none")


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
    ``partitioned`` (CHIPS) works on every Python version and requires ``secure``, as
    browsers do.
    """
    if samesite is not None and samesite.lower() not in _SAMESITE:
        raise ValueError(f"samesite must be either 'strict', 'lax' or 'none', got {samesite!r}.")
    if partitioned and not secure:
        raise ValueError("Partitioned cookies must also be secure: pass secure=True.")
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
    header = cookie.output(header="").strip()
    if partitioned:
        header += "; Partitioned"
    return header
