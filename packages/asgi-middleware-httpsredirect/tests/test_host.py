from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_core import split_authority


def split_host(value: str) -> tuple[str, int | None] | None:
    """How the middleware reads a Host header: asgi-core's parser, the port as a number."""
    parts = split_authority(value)
    if parts is None:
        return None
    host, port = parts
    return host, None if port is None else int(port)


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("example.org", ("example.org", None)),
        ("Example.ORG:8080", ("Example.ORG", 8080)),
        ("example.org:0443", ("example.org", 443)),
        ("example.org:65535", ("example.org", 65535)),
        ("1.2.3.4:80", ("1.2.3.4", 80)),
        ("[::1]", ("[::1]", None)),
        ("[::1]:8443", ("[::1]", 8443)),
        ("[v1.x]:80", ("[v1.x]", 80)),
        ("a%41.org", ("a%41.org", None)),
    ],
)
def test_valid(value: str, parts: tuple[str, int | None]) -> None:
    assert split_host(value) == parts


@pytest.mark.parametrize(
    "value",
    [
        "",
        "evil.com/path",
        "a@b",
        "a\\b",
        "a b",
        "example.org:",
        "example.org:abc",
        "example.org:65536",
        "example.org:123456",
        "[zz]",
        "[:::]",
        "[1:2:3:4:5:6:7:8:9]",
        "[fe80::1%eth0]",
        "[::1",
        "::1",
        "é.org",
        "example.org\r\n",
    ],
)
def test_invalid(value: str) -> None:
    assert split_host(value) is None


@given(st.text(max_size=40))
def test_a_valid_host_never_holds_a_delimiter(value: str) -> None:
    parts = split_host(value)
    if parts is not None:
        host, port = parts
        assert not set(host) & set("@/?#\\ \t\r\n")
        assert port is None or 0 <= port <= 65535
