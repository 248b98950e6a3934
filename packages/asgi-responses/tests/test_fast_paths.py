"""The hand-written fast paths of ``Response`` and ``JSONResponse`` against the general path.

``Response.__init__`` and ``JSONResponse.__init__`` build the headers of the common case
inline; ``init_headers`` is the general path. For any content, media type, charset, headers
and status, rebuilding the headers with ``init_headers`` must give the same bytes.
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from asgi_responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

MEDIA_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "text/plain",
            "text/html",
            "text/csv; charset=latin-1",
            "text/x; Charset=utf-8",
            "TEXT/PLAIN",
            "application/json",
            "application/octet-stream",
            "image/png",
            "text/event-stream",
        ]
    ),
    st.from_regex(r"\A[a-z]{1,8}/[a-z0-9.+-]{1,12}(; ?[a-z]{1,8}=[a-z0-9-]{1,8})?\Z"),
)
CHARSETS = st.sampled_from(["utf-8", "latin-1", "ascii", "utf-16"])
HEADER_VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=20)
HEADERS = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["content-length", "Content-Length", "content-type", "Content-Type"])
        | st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,15}\Z"),
        HEADER_VALUES,
        max_size=4,
    ),
)
STATUSES = st.sampled_from([100, 101, 103, 199, 200, 201, 204, 205, 304, 404, 500]) | st.integers(
    100, 599
)
CONTENT = st.one_of(st.none(), st.text(max_size=30), st.binary(max_size=30))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
BASES = st.sampled_from([Response, PlainTextResponse, HTMLResponse])


def general_path(response: Response, headers: dict[str, str] | None) -> list[tuple[bytes, bytes]]:
    fast = list(response.raw_headers)
    response.init_headers(headers)
    assert response.raw_headers == fast, "the fast path differs from init_headers()"
    return fast


def encodable(content: Any, charset: str) -> bool:
    try:
        if isinstance(content, str):
            content.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


@given(CONTENT, STATUSES, HEADERS, MEDIA_TYPES, BASES)
def test_response_fast_path(
    content: Any,
    status: int,
    headers: dict[str, str] | None,
    media_type: str | None,
    base: type[Response],
) -> None:
    response = base(content, status_code=status, headers=headers, media_type=media_type)
    general_path(response, headers)
    assert response.body == base.render(response, content)


@given(CONTENT, STATUSES, HEADERS, MEDIA_TYPES, MEDIA_TYPES, CHARSETS, BASES)
def test_response_subclass_fast_path(
    content: Any,
    status: int,
    headers: dict[str, str] | None,
    class_media_type: str | None,
    media_type: str | None,
    charset: str,
    base: type[Response],
) -> None:
    assume(encodable(content, charset))
    cls = type("Custom", (base,), {"media_type": class_media_type, "charset": charset})
    response = cls(content, status_code=status, headers=headers, media_type=media_type)
    general_path(response, headers)


@given(CONTENT, STATUSES, MEDIA_TYPES, CHARSETS, MEDIA_TYPES, CHARSETS)
def test_class_attributes_changed_after_the_class_was_made(
    content: Any,
    status: int,
    first_media_type: str | None,
    first_charset: str,
    media_type: str | None,
    charset: str,
) -> None:
    assume(encodable(content, charset))
    cls: type[Response] = type(
        "Custom", (Response,), {"media_type": first_media_type, "charset": first_charset}
    )
    cls.media_type = media_type
    cls.charset = charset
    general_path(cls(content, status_code=status), None)


@given(JSON_VALUES, STATUSES, HEADERS, MEDIA_TYPES)
def test_json_fast_path(
    content: Any, status: int, headers: dict[str, str] | None, media_type: str | None
) -> None:
    response = JSONResponse(content, status_code=status, headers=headers, media_type=media_type)
    general_path(response, headers)
    assert response.body == response.render(content)


@given(JSON_VALUES, STATUSES, MEDIA_TYPES, CHARSETS)
def test_json_subclass_fast_path(
    content: Any, status: int, class_media_type: str | None, charset: str
) -> None:
    cls: type[JSONResponse] = type(
        "CustomJSON", (JSONResponse,), {"media_type": class_media_type, "charset": charset}
    )
    general_path(cls(content, status_code=status), None)
    cls.media_type = "application/problem+json"
    general_path(cls(content, status_code=status), None)
