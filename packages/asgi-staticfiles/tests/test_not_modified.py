"""NotModifiedResponse and the If-None-Match / If-Modified-Since decision, as Starlette's."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_core import Headers, MutableHeaders
from asgi_staticfiles import NotModifiedResponse
from asgi_staticfiles._not_modified import is_not_modified

LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"


def test_keeps_the_304_headers_in_their_order() -> None:
    full = Headers(
        {
            "etag": '"a"',
            "vary": "Accept-Encoding",
            "cache-control": "max-age=60",
            "last-modified": LAST_MODIFIED,
            "content-type": "text/plain",
            "content-length": "3",
            "date": "d",
            "expires": "e",
            "content-location": "/x",
            "x-other": "y",
        }
    )
    response = NotModifiedResponse(full)
    assert response.status_code == 304
    assert response.body == b""
    assert response.raw_headers == [
        (b"etag", b'"a"'),
        (b"vary", b"Accept-Encoding"),
        (b"cache-control", b"max-age=60"),
        (b"date", b"d"),
        (b"expires", b"e"),
        (b"content-location", b"/x"),
    ]
    assert NotModifiedResponse.NOT_MODIFIED_HEADERS == (
        "cache-control",
        "content-location",
        "date",
        "etag",
        "expires",
        "vary",
    )


def test_accepts_any_mapping() -> None:
    response = NotModifiedResponse({"ETag": '"a"', "Content-Type": "text/plain"})
    assert response.raw_headers == [(b"etag", b'"a"')]
    mutable = MutableHeaders(raw=[(b"etag", b'"b"'), (b"vary", b"x"), (b"vary", b"y")])
    assert NotModifiedResponse(mutable).raw_headers == [
        (b"etag", b'"b"'),
        (b"vary", b"x"),
        (b"vary", b"y"),
    ]


def test_a_subclass_may_keep_other_headers() -> None:
    class KeepLastModified(NotModifiedResponse):
        NOT_MODIFIED_HEADERS = (*NotModifiedResponse.NOT_MODIFIED_HEADERS, "last-modified")

    response = KeepLastModified({"etag": '"a"', "last-modified": LAST_MODIFIED})
    assert response.raw_headers == [(b"etag", b'"a"'), (b"last-modified", LAST_MODIFIED.encode())]


FILE = {"etag": '"abc"', "last-modified": LAST_MODIFIED}


@pytest.mark.parametrize(
    ("request_headers", "response_headers", "expected"),
    [
        ({}, FILE, False),
        ({"if-none-match": '"abc"'}, FILE, True),
        ({"if-none-match": 'W/"abc"'}, FILE, True),
        ({"if-none-match": '"x", "abc"'}, FILE, True),
        ({"if-none-match": '"x"'}, FILE, False),
        ({"if-none-match": "*"}, FILE, True),
        ({"if-none-match": "*"}, {}, True),
        ({"if-none-match": ""}, FILE, False),
        ({"if-none-match": '"abc"'}, {}, False),
        ({"if-none-match": 'w/"abc"'}, FILE, False),  # the weakness mark is case-sensitive
        ({"if-none-match": 'W/"abc"'}, {"etag": 'W/"abc"'}, True),  # weak comparison
        ({"if-none-match": '"abc"'}, {"etag": 'W/"abc"'}, True),
        ({"if-none-match": '"x"', "if-modified-since": LAST_MODIFIED}, FILE, False),
        ({"if-modified-since": LAST_MODIFIED}, FILE, True),
        ({"if-modified-since": "Tue, 14 Nov 2023 22:13:20"}, FILE, True),
        ({"if-modified-since": "Tue, 14 Nov 2023 22:13:19 GMT"}, FILE, False),
        ({"if-modified-since": "garbage"}, FILE, False),
        ({"if-modified-since": LAST_MODIFIED}, {"last-modified": "garbage"}, False),
        ({"if-modified-since": LAST_MODIFIED}, {"etag": '"abc"'}, False),
    ],
)
def test_is_not_modified(
    request_headers: dict[str, str], response_headers: dict[str, str], expected: bool
) -> None:
    assert is_not_modified(Headers(response_headers), Headers(request_headers)) is expected


@given(st.text(), st.text())
def test_never_raises(if_none_match: str, if_modified_since: str) -> None:
    for request in ({"if-none-match": if_none_match}, {"if-modified-since": if_modified_since}):
        assert is_not_modified(FILE, request) in (True, False)
