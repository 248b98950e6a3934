"""Header rewriting: Vary merged once, Content-Length updated in place or removed."""

from __future__ import annotations

from asgi_middleware_compress._headers import rewrite

CT = (b"content-type", b"text/plain")
AE = (b"vary", b"Accept-Encoding")


def test_identity_only_adds_vary() -> None:
    headers = [CT, (b"content-length", b"9")]
    assert rewrite(headers) == [CT, (b"content-length", b"9"), AE]
    assert headers == [CT, (b"content-length", b"9")]  # never changed in place


def test_content_length_is_updated_in_place_and_duplicates_dropped() -> None:
    headers = [(b"Content-Length", b"600"), CT, (b"content-length", b"600")]
    assert rewrite(headers, b"gzip", 27) == [
        (b"content-length", b"27"),
        CT,
        AE,
        (b"content-encoding", b"gzip"),
    ]


def test_content_length_is_removed_for_a_stream() -> None:
    assert rewrite([CT, (b"content-length", b"5")], b"br") == [CT, AE, (b"content-encoding", b"br")]


def test_vary_fields_are_merged_at_the_first_place() -> None:
    headers = [(b"vary", b"Origin"), CT, (b"Vary", b"Cookie"), (b"vary", b" ")]
    assert rewrite(headers, b"gzip", 3) == [
        (b"vary", b"Origin, Cookie, Accept-Encoding"),
        CT,
        (b"content-encoding", b"gzip"),
        (b"content-length", b"3"),
    ]


def test_an_empty_vary_gets_no_empty_element() -> None:
    assert rewrite([(b"vary", b"")]) == [AE]


def test_vary_already_naming_accept_encoding_is_kept_as_sent() -> None:
    headers = [(b"Vary", b"origin"), CT, (b"vary", b"cookie,  accept-encoding ")]
    assert rewrite(headers) == headers
    assert rewrite([(b"vary", b"*")]) == [(b"vary", b"*, Accept-Encoding")]
