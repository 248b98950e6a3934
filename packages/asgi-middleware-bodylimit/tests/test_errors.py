from __future__ import annotations

import pytest

from asgi_core import HTTPException
from asgi_middleware_bodylimit import InvalidContentLength, RequestBodyTooLarge
from asgi_middleware_bodylimit._errors import checked_max_body_size


def test_request_body_too_large_is_a_413_http_exception() -> None:
    error = RequestBodyTooLarge()
    assert isinstance(error, HTTPException)
    assert (error.status_code, error.detail, error.headers) == (413, "Content Too Large", None)
    assert str(error) == "413: Content Too Large"
    assert repr(error) == "RequestBodyTooLarge(status_code=413, detail='Content Too Large')"


def test_invalid_content_length_is_a_400_http_exception() -> None:
    error = InvalidContentLength("bad")
    assert isinstance(error, HTTPException)
    assert (error.status_code, error.detail) == (400, "bad")


@pytest.mark.parametrize("value", [None, 0, 1, 10**12])
def test_max_body_size_accepts_sizes_and_none(value: int | None) -> None:
    assert checked_max_body_size(value) == value


@pytest.mark.parametrize("value", ["10", 1.5, True, b"1"])
def test_max_body_size_of_another_type_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match=r"max_body_size must be a whole number of bytes") as info:
        checked_max_body_size(value)
    assert repr(value) in str(info.value)
    assert type(value).__name__ in str(info.value)


def test_negative_max_body_size_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"0 or more bytes: received -1\. Use None for no limit"):
        checked_max_body_size(-1)
