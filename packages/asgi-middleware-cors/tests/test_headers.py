from __future__ import annotations

from asgi_middleware_cors._headers import VARY_ORIGIN, with_cors_headers

ACAO = b"access-control-allow-origin"
ACAC = b"access-control-allow-credentials"


def test_no_vary_and_nothing_to_set() -> None:
    raw = [(b"content-type", b"text/plain")]
    assert with_cors_headers(raw, {}) == [(b"content-type", b"text/plain"), VARY_ORIGIN]
    assert raw == [(b"content-type", b"text/plain")]


def test_vary_is_merged_in_place() -> None:
    raw = [(b"vary", b"Accept"), (b"x", b"1")]
    assert with_cors_headers(raw, {}) == [(b"vary", b"Accept, Origin"), (b"x", b"1")]


def test_several_vary_lines_become_one() -> None:
    raw = ((b"x", b"1"), (b"vary", b"A"), (b"y", b"2"), (b"vary", b"B"))
    assert with_cors_headers(raw, {ACAO: b"*"}) == [
        (b"x", b"1"),
        (b"vary", b"A, B, Origin"),
        (b"y", b"2"),
        (ACAO, b"*"),
    ]


def test_headers_are_set_in_place_and_appended_in_order() -> None:
    raw = [(ACAC, b"false"), (b"x", b"1"), (ACAC, b"again")]
    assert with_cors_headers(raw, {ACAO: b"o", ACAC: b"true"}) == [
        (ACAC, b"true"),
        (b"x", b"1"),
        (ACAO, b"o"),
        VARY_ORIGIN,
    ]


def test_capitalised_names_are_not_asgi_names() -> None:
    raw = [(b"Vary", b"A"), (b"Access-Control-Allow-Origin", b"x")]
    assert with_cors_headers(raw, {ACAO: b"*"}) == [*raw, (ACAO, b"*"), VARY_ORIGIN]
