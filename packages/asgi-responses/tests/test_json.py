from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

import asgi_responses._json as json_module
from asgi_responses import JSONResponse, orjson_encoder, standard_encoder


def test_compact_utf8() -> None:
    response = JSONResponse({"name": "Zoë", "list": [1, 2.5, None, True]})
    assert response.body == '{"name":"Zoë","list":[1,2.5,null,true]}'.encode()
    assert (b"content-type", b"application/json") in response.raw_headers
    assert (b"content-length", b"%d" % len(response.body)) in response.raw_headers


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        JSONResponse({"x": math.nan})


def test_none_is_null() -> None:
    assert JSONResponse(None).body == b"null"


def test_orjson_encoder_differences() -> None:
    assert orjson_encoder({"a": [1, "é"]}) == standard_encoder({"a": [1, "é"]})
    assert orjson_encoder({"x": math.nan}) == b'{"x":null}'
    assert orjson_encoder(date(2026, 1, 2)) == b'"2026-01-02"'


def test_per_class_encoder() -> None:
    class FastJSON(JSONResponse):
        json_encoder = staticmethod(orjson_encoder)

    assert FastJSON({"when": date(2026, 1, 2)}).body == b'{"when":"2026-01-02"}'
    with pytest.raises(TypeError):
        JSONResponse({"when": date(2026, 1, 2)})


def test_app_wide_encoder() -> None:
    calls: list[Any] = []

    def encoder(content: Any) -> bytes:
        calls.append(content)
        return b'"custom"'

    class Own(JSONResponse):
        json_encoder = staticmethod(standard_encoder)

    original = JSONResponse.json_encoder
    try:
        JSONResponse.use_encoder(encoder)
        assert JSONResponse([1]).body == b'"custom"'
        assert Own([1]).body == b"[1]"  # a class with its own encoder keeps it
    finally:
        JSONResponse.use_encoder(original)
    assert calls == [[1]]
    assert JSONResponse([1]).body == b"[1]"


def test_orjson_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "orjson", None)
    with pytest.raises(ImportError, match=r"pip install 'asgi-responses\[orjson\]'"):
        json_module.orjson_encoder({})


def test_fallback_without_the_c_encoder() -> None:
    import types

    without = types.SimpleNamespace(c_make_encoder=None)
    assert json_module.build_standard_encoder(without)({"a": [1, "é"]}) == '{"a":[1,"é"]}'.encode()  # type: ignore[arg-type]

    def other_signature(*args: Any) -> Any:
        raise TypeError("takes 10 arguments")

    odd = types.SimpleNamespace(c_make_encoder=other_signature, encode_basestring=None)
    assert json_module.build_standard_encoder(odd)(None) == b"null"  # type: ignore[arg-type]


def test_matches_json_dumps() -> None:
    import json

    data = {"s": 'é\\n"', "f": 1.25, "i": 10**30, "l": [None, True, False], "n": {}}
    assert (
        standard_encoder(data)
        == json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    )
    assert standard_encoder("just a string") == b'"just a string"'


def test_media_type_subclasses_and_custom_headers_keep_working() -> None:
    class JSONAPI(JSONResponse):
        media_type = "application/vnd.api+json"

    assert (b"content-type", b"application/vnd.api+json") in JSONAPI({}).raw_headers

    class Tagged(JSONResponse):
        def init_headers(self, headers: Any = None) -> None:
            super().init_headers(headers)
            self.raw_headers.append((b"x-tag", b"1"))

    assert (b"x-tag", b"1") in Tagged({}).raw_headers

    class Upper(JSONResponse):
        def render(self, content: Any) -> bytes:
            return super().render(content).upper()

    assert Upper({"a": "b"}).body == b'{"A":"B"}'
    created = JSONResponse({"id": 1}, status_code=201, headers={"location": "/1"})
    assert created.status_code == 201
    assert created.raw_headers == [
        (b"location", b"/1"),
        (b"content-length", b"8"),
        (b"content-type", b"application/json"),
    ]


def test_class_attributes_may_change_after_the_class_is_made() -> None:
    class Problem(JSONResponse):
        pass

    assert Problem({}).raw_headers[1] == (b"content-type", b"application/json")
    Problem.media_type = "application/problem+json"
    assert Problem({}).raw_headers == [
        (b"content-length", b"2"),
        (b"content-type", b"application/problem+json"),
    ]
