import pytest

from asgi_core._host import valid_authority


@pytest.mark.parametrize(
    "value",
    [
        "example.com",
        "example.com:8000",
        "EXAMPLE.com",
        "127.0.0.1",
        "127.0.0.1:65535",
        "[::1]",
        "[::1]:8000",
        "[2001:db8::7]",
        "[v1.fe80::a+en1]",
        "xn--bcher-kva.example",
        "under_score.example",
        "a%20b",
    ],
)
def test_valid_authorities_are_kept(value: str) -> None:
    assert valid_authority(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "evil.com/path",
        "evil.com?q",
        "evil.com#frag",
        "user@evil.com",
        "good.com@evil.com",
        "evil com",
        " evil.com",
        "evil.com\t",
        "evil.com\\x",
        "evil.com:80:80",
        "evil.com:",
        "evil.com:abc",
        "evil.com:65536",
        "evil.com:123456",
        "[::1",
        "[not-ipv6]",
        "[:::::]",
        "[::1]x",
        "évil.com",
    ],
)
def test_invalid_authorities_are_refused(value: str) -> None:
    assert valid_authority(value) is None


@pytest.mark.parametrize(
    ("value", "any_port", "parts"),
    [
        ("Example.org:8080", False, ("Example.org", "8080")),
        ("[::1]", False, ("[::1]", None)),
        ("example.org:65536", False, None),
        ("example.org:123456", False, None),
        ("example.org:123456", True, ("example.org", "123456")),
        ("evil.com/x", True, None),
    ],
)
def test_split_authority(value: str, any_port: bool, parts: tuple[str, str | None] | None) -> None:
    from asgi_core import split_authority

    assert split_authority(value, any_port=any_port) == parts
