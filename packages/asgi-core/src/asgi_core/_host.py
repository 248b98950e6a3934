"""Validation of the ``Host`` request header (RFC 9112 section 3.2, RFC 3986 section 3.2.2).

A ``Host`` header is attacker controlled. Anything that is not a syntactically valid
``uri-host [ ":" port ]`` must never become the authority of a URL the application builds
(password-reset links, redirects, ``url_for``), so callers fall back to the server address.
"""

from __future__ import annotations

import re
from ipaddress import AddressValueError, IPv6Address

__all__ = ["split_authority", "valid_authority"]

# reg-name (unreserved / pct-encoded / sub-delims), an IPv6 literal, or an IPvFuture literal,
# then an optional numeric port. ``@``, ``/``, ``?``, ``#``, ``\`` and whitespace can never match.
_AUTHORITY = re.compile(
    r"(?P<host>[A-Za-z0-9._~%!$&'()*+,;=-]+"
    r"|\[(?:(?P<ipv6>[0-9A-Fa-f:.]+)|[vV][0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+)\])"
    r"(?::(?P<port>[0-9]+))?"
)


def split_authority(value: str, *, any_port: bool = False) -> tuple[str, str | None] | None:
    """``(host, port)`` of a valid ``host[:port]`` authority (``Host`` header), else ``None``.

    ``"example.org:8080"`` gives ``("example.org", "8080")`` and ``"[::1]"`` gives
    ``("[::1]", None)``; the host keeps its case. A port must be at most 65535 unless
    ``any_port`` is true (Starlette's host matching accepts any number of digits).
    """
    match = _AUTHORITY.fullmatch(value)
    if match is None:
        return None
    ipv6 = match["ipv6"]
    if ipv6 is not None:
        try:
            IPv6Address(ipv6)
        except AddressValueError:
            return None
    port = match["port"]
    if port is not None and not any_port and (len(port) > 5 or int(port) > 65535):
        return None
    return match["host"], port


def valid_authority(value: str) -> str | None:
    """Return ``value`` when it is a valid ``host[:port]`` authority, otherwise ``None``."""
    return value if split_authority(value) is not None else None
