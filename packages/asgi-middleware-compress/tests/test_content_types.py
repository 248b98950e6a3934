"""The excluded media types: exact, ``type/*``, and gRPC's ``+suffix`` variants."""

from __future__ import annotations

from asgi_middleware_compress import DEFAULT_EXCLUDED_CONTENT_TYPES
from asgi_middleware_compress._content_types import ContentTypeFilter


def test_defaults() -> None:
    excluded = ContentTypeFilter(DEFAULT_EXCLUDED_CONTENT_TYPES).excluded
    assert excluded(b"image/png")
    assert excluded(b"VIDEO/whatever")
    assert excluded(b"application/grpc+json")
    assert not excluded(b"image/svg+xml")
    assert not excluded(b"application/grpc-web")
    assert not excluded(b"application/gzip+x")  # only gRPC has its variants excluded
    assert not excluded(b"")


def test_grpc_variants_follow_the_grpc_entry() -> None:
    assert not ContentTypeFilter(["image/png"]).excluded(b"application/grpc+proto")
    assert not ContentTypeFilter(["image/png"]).excluded(b"image/png+x")


def test_the_empty_type() -> None:
    assert ContentTypeFilter([""]).excluded(b"")
    assert not ContentTypeFilter([""]).excluded(b"text/html")


def test_wildcards_cover_a_whole_type_only() -> None:
    excluded = ContentTypeFilter(["text/*", "*/*", "application/*+json"]).excluded
    assert excluded(b"text/html; charset=utf-8")
    assert excluded(b"text")
    assert not excluded(b"application/x+json")
    assert not excluded(b"image/png")


def test_the_cache_is_bounded() -> None:
    content_types = ContentTypeFilter(["image/png"])
    for i in range(600):
        assert content_types.excluded(b"image/x-%d" % i) is False
    assert len(content_types._cache) <= 256
    assert content_types.excluded(b"image/png") is True
