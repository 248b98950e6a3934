"""The codecs: one-shot and flushed streams decode; optional modules load or are missing."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest

from asgi_middleware_compress._codecs import BrotliCodec, GzipCodec, ZstdCodec, load_codec

DATA = b"The quick brown fox jumps over the lazy dog. " * 50


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_round_trips(kit: Any, coding: str) -> None:
    codec = load_codec(coding, 5)
    assert codec is not None
    assert codec.encoding == coding.encode()
    assert kit.decode(codec.encoding, codec.compress(DATA)) == DATA
    stream = codec.stream()
    decompress = kit.decompressor(codec.encoding)
    for piece in (DATA[:10], DATA[10:500], b""):
        assert decompress(stream.chunk(piece)) == piece
    assert decompress(stream.last(DATA[500:])) == DATA[500:]


def test_gzip_whole_body_equals_a_finished_stream() -> None:
    assert GzipCodec(9).compress(DATA) == GzipCodec(9).stream().last(DATA)


def test_classes() -> None:
    assert isinstance(load_codec("gzip", 1), GzipCodec)
    assert isinstance(load_codec("br", 1), BrotliCodec)
    assert isinstance(load_codec("zstd", 1), ZstdCodec)


def test_missing_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "brotli", None)
    monkeypatch.setitem(sys.modules, "compression.zstd", None)
    monkeypatch.setitem(sys.modules, "backports.zstd", None)
    assert load_codec("br", 4) is None
    assert load_codec("zstd", 3) is None
    assert isinstance(load_codec("gzip", 6), GzipCodec)


def test_the_standard_librarys_zstd_comes_first(monkeypatch: pytest.MonkeyPatch, kit: Any) -> None:
    """From Python 3.14 ``compression.zstd`` is used; before, the backport plays it here."""
    try:
        standard = importlib.import_module("compression.zstd")
    except ImportError:
        standard = importlib.import_module("backports.zstd")
    monkeypatch.setitem(sys.modules, "compression.zstd", standard)
    monkeypatch.setitem(sys.modules, "backports.zstd", None)
    codec = load_codec("zstd", 3)
    assert isinstance(codec, ZstdCodec)
    assert codec.module is standard
    assert kit.decode(b"zstd", codec.compress(DATA)) == DATA
