"""Parsing the ``Host`` request header into a host and a port (RFC 9112 3.2, RFC 3986 3.2.2).

A ``Host`` header is attacker controlled: only a syntactically valid ``host[:port]`` may
become the authority of the redirect target, or ``Host: evil.com/path`` or ``Host: a@b``
would send the client elsewhere.
"""

from __future__ import annotations

import re
from ipaddress import AddressValueError, IPv6Address

__all__ = ["split_host"]

# A reg-name (unreserved / pct-encoded / sub-delims), an IPv6 literal or an IPvFuture literal,
# then an optional port of at most five digits. "@", "/", "?", "#", "\", ":" in a name and
# whitespace can never match.
_AUTHORITY = re.compile(
    r"(?P<host>[A-Za-z0-9._~%!$&'()*+,;=-]+"
    r"|\[(?:(?P<ipv6>[0-9A-Fa-f:.]+)|[vV][0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+)\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)


def split_host(value: str) -> tuple[str, int | None] | None:
    """``(host, port)`` of a valid ``Host`` header value, else ``None``.

    ``"example.org:8080"`` gives ``("example.org", 8080)``, ``"[::1]"`` gives
    ``("[::1]", None)``; a port above 65535 is not valid.
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
    if port is None:
        return match["host"], None
    number = int(port)
    if number > 65535:
        return None
    return match["host"], number
