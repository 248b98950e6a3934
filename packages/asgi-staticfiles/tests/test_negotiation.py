"""Accept-Encoding with q-values (RFC 9110 12.5.3) and Accept for text/html."""

from __future__ import annotations

import pytest

from asgi_staticfiles._negotiation import _CACHE_SIZE, accepted_encodings, accepts_html

ALL = ("br", "zstd", "gzip")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, ()),
        ("", ()),
        ("gzip", ("gzip",)),
        ("gzip, deflate, br, zstd", ("br", "zstd", "gzip")),  # equal q: the server's order
        ("gzip;q=1.0, br;q=0.5", ("gzip", "br")),
        ("br;q=0.5, gzip;q=0.8, zstd;q=0.9", ("zstd", "gzip", "br")),
        ("br;q=0, gzip", ("gzip",)),
        ("BR, GZip", ("br", "gzip")),
        ("x-gzip", ("gzip",)),
        ("*", ALL),
        ("*;q=0.1, br", ("br", "zstd", "gzip")),
        ("*;q=0, gzip", ("gzip",)),
        ("*, br;q=0", ("zstd", "gzip")),
        ("identity", ()),
        ("identity;q=0", ()),
        ("br;q=2, gzip", ("gzip",)),  # invalid q: the element is ignored
        ("br;q=abc, gzip;q=0.5", ("gzip",)),
        ("br;q=0.1234, gzip", ("gzip",)),
        ("br ; q = 0.5 , gzip ; Q=0.4", ("br", "gzip")),
        ("br;level=5;q=0.7, gzip;q=0.8", ("gzip", "br")),
        (",,, ;q=1, br", ("br",)),
        ("br;q=1.000, gzip;q=1.", ("br", "gzip")),
        ("br;q=0.7, br;q=0.1, gzip;q=0.5", ("br", "gzip")),  # the first mention counts
    ],
)
def test_accepted_encodings(header: str | None, expected: tuple[str, ...]) -> None:
    assert accepted_encodings(header, ALL) == expected
    assert accepted_encodings(header, ALL) == expected  # from the cache


def test_only_offered_encodings() -> None:
    assert accepted_encodings("br, gzip", ("gzip",)) == ("gzip",)
    assert accepted_encodings("br, gzip", ()) == ()


def test_the_cache_is_bounded() -> None:
    from asgi_staticfiles import _negotiation

    for i in range(_CACHE_SIZE + 10):
        accepted_encodings(f"gzip;q=0.{i % 1000:03d}, x{i}", ALL)
        accepts_html(f"text/html, x/{i}")
    assert len(_negotiation._encodings_cache) <= _CACHE_SIZE
    assert len(_negotiation._html_cache) <= _CACHE_SIZE


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("text/*", False),
        ("text/css,*/*;q=0.1", False),
        ("text/html", True),
        ("TEXT/HTML", True),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8",
            True,
        ),
        ("application/json, text/html;q=0.5", True),
        ("text/html;q=0", False),
        ("text/html;q=x", False),
        ("text/html;charset=utf-8", True),
    ],
)
def test_accepts_html(header: str | None, expected: bool) -> None:
    assert accepts_html(header) is expected
    assert accepts_html(header) is expected
