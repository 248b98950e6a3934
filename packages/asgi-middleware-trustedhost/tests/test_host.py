from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_core import split_authority


def host_without_port(value: bytes) -> str | None:
    """How the middleware reads a Host header: asgi-core's parser, any port, lower case."""
    parts = split_authority(value.decode("latin-1"), any_port=True)
    return parts[0].lower() if parts is not None else None


@pytest.mark.parametrize(
    ("value", "host"),
    [
        (b"example.org", "example.org"),
        (b"Example.ORG:8000", "example.org"),
        (b"example.org:99999", "example.org"),
        (b"1.2.3.4:80", "1.2.3.4"),
        (b"[::1]", "[::1]"),
        (b"[::1]:8000", "[::1]"),
        (b"[::FFFF:1.2.3.4]", "[::ffff:1.2.3.4]"),
        (b"[v1.x]", "[v1.x]"),
        (b"[V1.X]:1", "[v1.x]"),
        (b"a..b", "a..b"),
        (b"a%41.org", "a%41.org"),
        (b"!$&'()*+,;=-_~.", "!$&'()*+,;=-_~."),
    ],
)
def test_valid_hosts(value: bytes, host: str) -> None:
    assert host_without_port(value) == host


@pytest.mark.parametrize(
    "value",
    [
        b"",
        b":80",
        b"example.org:",
        b"example.org:abc",
        b"example.org:+80",
        b"example.org:1:2",
        b"evil.com/x.example.org",
        b"a@b.example.org",
        b"evil.com#.example.org",
        b"evil.com?.example.org",
        b"a\\b.example.org",
        b"x y.example.org",
        b" example.org",
        b"example.org\n",
        b"\xe9.example.org",
        b"::1",
        b"[::1",
        b"[::1]]",
        b"[zz]",
        b"[:::]",
        b"[1:2:3:4:5:6:7:8:9]",
        b"[fe80::1%eth0]",
        b"[]",
        b"[v.x]",
    ],
)
def test_invalid_hosts(value: bytes) -> None:
    assert host_without_port(value) is None


name_chars = st.sampled_from("abcxyzABC0123456789-._~!$&'()*+,;=%")


@given(st.text(name_chars, min_size=1, max_size=20), st.one_of(st.none(), st.integers(0, 10**6)))
def test_a_name_and_port_give_the_lower_name(name: str, port: int | None) -> None:
    value = name if port is None else f"{name}:{port}"
    assert host_without_port(value.encode()) == name.lower()


@given(
    st.text(name_chars, min_size=1, max_size=10),
    st.sampled_from('@/?#\\ \t[]"<>^`{|}'),
    st.text(max_size=10),
)
def test_a_delimiter_in_the_name_is_refused(left: str, delimiter: str, right: str) -> None:
    assert host_without_port(f"{left}{delimiter}{right}".encode()) is None
