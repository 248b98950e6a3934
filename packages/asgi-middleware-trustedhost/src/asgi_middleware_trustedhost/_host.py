"""Parsing the ``Host`` request header: RFC 3986 ``host [ ":" port ]``, port removed.

The syntax check comes first: a ``Host`` like ``evil.com/x.example.org`` or
``a@b.example.org`` ends with an allowed suffix but is not a host, and never passes.
"""

from __future__ import annotations

import re
from ipaddress import AddressValueError, IPv6Address

__all__ = ["host_without_port"]

# A reg-name (unreserved / pct-encoded / sub-delims), an IPv6 literal or an IPvFuture literal,
# then an optional port of one or more digits. "@", "/", "?", "#", "\", ":" in a name and
# whitespace can never match.
_HOST = re.compile(
    r"(?P<host>[A-Za-z0-9._~%!$&'()*+,;=-]+"
    r"|\[(?:(?P<ipv6>[0-9A-Fa-f:.]+)|[vV][0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+)\])"
    r"(?::[0-9]+)?"
)


def host_without_port(value: bytes) -> str | None:
    """The lower-cased host of a ``Host`` header value, or ``None`` when it is not valid.

    ``b"Example.org:8000"`` gives ``"example.org"``, ``b"[::1]:8000"`` gives ``"[::1]"``.
    """
    match = _HOST.fullmatch(value.decode("latin-1"))
    if match is None:
        return None
    ipv6 = match["ipv6"]
    if ipv6 is not None:
        try:
            IPv6Address(ipv6)
        except AddressValueError:
            return None
    return match["host"].lower()
