"""Accept-Encoding parsing and choice (RFC 9110 section 12.5.3), with Hypothesis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from asgi_middleware_compress._negotiation import (
    Negotiator,
    accept_encoding,
    choose_encoding,
    parse_accept_encoding,
)

OFFERED = ("zstd", "br", "gzip")
CODINGS = st.sampled_from(["gzip", "br", "zstd", "deflate", "identity", "compress", "*"])
# qvalues with up to three decimals, written the ways the grammar allows
QVALUES = st.integers(0, 1000).map(lambda n: n / 1000)


def qvalue_text(q: float) -> str:
    return "1" if q == 1 else f"{q:.3f}".rstrip("0").rstrip(".") or "0"


def test_parse() -> None:
    assert parse_accept_encoding("gzip;q=0.5, br, *;q=0") == {"gzip": 0.5, "br": 1.0, "*": 0.0}
    assert parse_accept_encoding(" GZip ; Q = 0.5 ,,, ") == {"gzip": 0.5}
    assert parse_accept_encoding("x-gzip;q=0.3, gzip") == {"gzip": 0.3}  # first mention wins
    assert parse_accept_encoding("br;level=5;q=0.2") == {"br": 0.2}
    assert parse_accept_encoding("br;level=5") == {"br": 1.0}
    assert parse_accept_encoding("") == {}


def test_invalid_weights_drop_the_element() -> None:
    for weight in ("2", "1.5", "0.1234", "-0", "abc", "", ".5", "1.001"):
        assert parse_accept_encoding(f"gzip;q={weight}, br") == {"br": 1.0}, weight


def test_choose() -> None:
    assert choose_encoding({"gzip": 1.0, "br": 1.0}, OFFERED) == "br"
    assert choose_encoding({"gzip": 1.0, "br": 0.5}, OFFERED) == "gzip"
    assert choose_encoding({"*": 0.1}, OFFERED) == "zstd"
    assert choose_encoding({"*": 0.5, "zstd": 0.0}, OFFERED) == "br"
    assert choose_encoding({"*": 0.0, "gzip": 0.2}, OFFERED) == "gzip"
    assert choose_encoding({"identity": 1.0, "deflate": 1.0}, OFFERED) is None
    assert choose_encoding({}, OFFERED) is None


def test_accept_encoding_joins_field_lines() -> None:
    headers = [(b"accept-encoding", b"br"), (b"host", b"x"), (b"accept-encoding", b"gzip")]
    assert accept_encoding(headers) == b"br,gzip"
    assert accept_encoding([(b"host", b"x")]) is None


def test_negotiator_caches_and_bounds_its_cache() -> None:
    negotiate = Negotiator({"br": "BR", "gzip": "GZ"})
    assert negotiate([]) is None
    assert negotiate([(b"accept-encoding", b"gzip")]) == "GZ"
    assert negotiate([(b"accept-encoding", b"gzip")]) == "GZ"  # from the cache
    assert negotiate([(b"accept-encoding", b"deflate")]) is None
    assert negotiate([(b"accept-encoding", b"deflate")]) is None
    for i in range(1, 300):
        assert negotiate([(b"accept-encoding", b"br;q=0.%03d" % i)]) == "BR"
    assert len(negotiate._cache) <= 256


@given(st.lists(st.tuples(CODINGS, QVALUES), max_size=8))
def test_parse_reads_back_what_was_written(elements: list[tuple[str, float]]) -> None:
    value = ", ".join(f"{coding};q={qvalue_text(q)}" for coding, q in elements)
    expected: dict[str, float] = {}
    for coding, q in elements:
        expected.setdefault(coding, q)
    assert parse_accept_encoding(value) == expected


@given(st.lists(st.tuples(CODINGS, QVALUES), max_size=8))
def test_the_choice_follows_the_rfc(elements: list[tuple[str, float]]) -> None:
    weights = parse_accept_encoding(", ".join(f"{c};q={qvalue_text(q)}" for c, q in elements))
    chosen = choose_encoding(weights, OFFERED)

    def weight(coding: str) -> float:
        return weights.get(coding, weights.get("*", 0.0))

    if chosen is None:
        assert all(weight(coding) == 0 for coding in OFFERED)
    else:
        assert weight(chosen) > 0
        assert all(weight(coding) <= weight(chosen) for coding in OFFERED)
        earlier = OFFERED[: OFFERED.index(chosen)]
        assert all(weight(coding) < weight(chosen) for coding in earlier)


@given(st.text())
def test_any_header_text_parses_without_error(value: str) -> None:
    weights = parse_accept_encoding(value)
    assert all(0 <= q <= 1 for q in weights.values())
    assert all(coding == coding.lower().strip() and coding for coding in weights)


@given(st.binary())
def test_any_header_bytes_negotiate_without_error(value: bytes) -> None:
    assert Negotiator({"gzip": 1})([(b"accept-encoding", value)]) in (None, 1)
