from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_middleware_bodylimit import InvalidContentLength
from asgi_middleware_bodylimit._content_length import declared_length


def test_no_content_length_declares_nothing() -> None:
    assert declared_length([(b"host", b"x"), (b"content-type", b"text/plain")]) is None


@pytest.mark.parametrize(
    ("values", "size"),
    [
        ([b"0"], 0),
        ([b"10"], 10),
        ([b"007"], 7),
        ([b"5, 5"], 5),  # a list of equal values is one size (RFC 9110 8.6)
        ([b"5", b"5"], 5),
        ([b" 12\t"], 12),
        ([b"9" * 40], 10**30),  # more digits than any body: "too large" without a huge int
        ([b"0" * 50 + b"3"], 3),
    ],
)
def test_valid_values(values: list[bytes], size: int) -> None:
    assert declared_length([(b"content-length", value) for value in values]) == size


@given(st.integers(min_value=0, max_value=10**25))
def test_any_digit_string_is_its_size(size: int) -> None:
    assert declared_length([(b"content-length", str(size).encode())]) == size


@pytest.mark.parametrize(
    "value", [b"-1", b"abc", b"+5", b"1_1", "\u0663".encode(), b"", b"1 2", b"0x10", b"1.0"]
)
def test_not_digits_is_invalid(value: bytes) -> None:
    with pytest.raises(InvalidContentLength) as info:
        declared_length([(b"content-length", value)])
    assert info.value.status_code == 400
    assert info.value.detail == (
        f"Invalid Content-Length header: {value.decode('latin-1')!r}. It must be the body "
        "size in bytes, written with the digits 0-9 only (no sign, no spaces inside)."
    )


def test_a_long_bad_value_is_cut_in_the_message() -> None:
    with pytest.raises(InvalidContentLength) as info:
        declared_length([(b"content-length", b"x" * 1000)])
    assert "'" + "x" * 40 + "...'" in info.value.detail
    assert len(info.value.detail) < 200


@pytest.mark.parametrize("values", [[b"5", b"50"], [b"5, 50"], [b"50", b"5"]])
def test_conflicting_values_are_invalid(values: list[bytes]) -> None:
    with pytest.raises(InvalidContentLength) as info:
        declared_length([(b"content-length", value) for value in values])
    first, second = (b", ".join(values)).split(b", ")
    assert info.value.detail == (
        f"Conflicting Content-Length values: '{first.decode()}' and '{second.decode()}'. A "
        "request has one body size; send a single Content-Length."
    )
