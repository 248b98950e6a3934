from __future__ import annotations

import pytest

from asgi_core import Headers
from asgi_responses._conditional import if_range_matches, precondition_status

ETAG = '"abc"'
MODIFIED = 1_700_000_000.7  # Tue, 14 Nov 2023 22:13:20 GMT
BEFORE = "Tue, 14 Nov 2023 22:13:19 GMT"
SAME = "Tue, 14 Nov 2023 22:13:20 GMT"
AFTER = "Tue, 14 Nov 2023 22:13:21 GMT"


def status(headers: dict[str, str], method: str = "GET", etag: str | None = ETAG) -> int | None:
    return precondition_status(method, Headers(headers), etag, MODIFIED)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"if-none-match": ETAG}, 304),
        ({"if-none-match": 'W/"abc"'}, 304),  # weak comparison
        ({"if-none-match": '"x", "abc"'}, 304),
        ({"if-none-match": "*"}, 304),
        ({"if-none-match": '"other"'}, None),
        ({"if-modified-since": SAME}, 304),
        ({"if-modified-since": AFTER}, 304),
        ({"if-modified-since": BEFORE}, None),
        ({"if-modified-since": "not a date"}, None),
        ({"if-none-match": '"other"', "if-modified-since": AFTER}, None),  # If-None-Match wins
        ({"if-match": ETAG}, None),
        ({"if-match": "*"}, None),
        ({"if-match": '"other"'}, 412),
        ({"if-match": 'W/"abc"'}, 412),  # strong comparison
        ({"if-unmodified-since": SAME}, None),
        ({"if-unmodified-since": BEFORE}, 412),
        ({"if-unmodified-since": "garbage"}, None),
        ({"if-match": ETAG, "if-unmodified-since": BEFORE}, None),  # If-Match wins
        ({"if-match": ETAG, "if-none-match": ETAG}, 304),
    ],
)
def test_get(headers: dict[str, str], expected: int | None) -> None:
    assert status(headers) == expected


def test_unsafe_methods() -> None:
    assert status({"if-none-match": ETAG}, method="POST") == 412
    assert status({"if-modified-since": AFTER}, method="POST") is None
    assert status({"if-none-match": ETAG}, method="HEAD") == 304


def test_weak_current_etag_never_matches_if_match() -> None:
    assert status({"if-match": 'W/"abc"'}, etag='W/"abc"') == 412
    assert status({"if-match": "*"}, etag=None) == 412
    assert status({"if-none-match": "*"}, etag=None) is None


def test_without_last_modified() -> None:
    headers = Headers({"if-modified-since": AFTER, "if-unmodified-since": BEFORE})
    assert precondition_status("GET", headers, ETAG, None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ETAG, True),
        ('"other"', False),
        ('W/"abc"', False),
        (SAME, True),
        (AFTER, False),
        ("nonsense", False),
    ],
)
def test_if_range(value: str, expected: bool) -> None:
    assert if_range_matches(value, ETAG, MODIFIED) is expected


def test_if_range_without_validators() -> None:
    assert not if_range_matches(ETAG, None, None)
    assert not if_range_matches(SAME, None, None)
