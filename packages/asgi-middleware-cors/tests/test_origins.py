"""Origin matching, by property: exact entries, whole-origin regexes, nothing more."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_cors import CORSMiddleware


async def app(scope: Scope, receive: Receive, send: Send) -> None:  # pragma: no cover - unused
    pass


labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
hosts = st.lists(labels, min_size=1, max_size=4).map(".".join)
origins = st.builds("{}://{}".format, st.sampled_from(["http", "https"]), hosts)
any_text = st.text(max_size=30)

REGEX = r"https://[a-z0-9-]+\.example\.org"
by_regex = CORSMiddleware(app, allow_origin_regex=REGEX)


@given(labels, any_text.filter(bool))
def test_a_regex_match_followed_by_anything_is_refused(label: str, suffix: str) -> None:
    origin = f"https://{label}.example.org"
    assert by_regex.is_allowed_origin(origin)
    assert not by_regex.is_allowed_origin(origin + suffix)
    assert not by_regex.is_allowed_origin(suffix + origin)


@given(st.one_of(origins, any_text))
def test_the_regex_decides_by_full_match(origin: str) -> None:
    assert by_regex.is_allowed_origin(origin) is (re.fullmatch(REGEX, origin) is not None)


@given(st.lists(origins, max_size=5), st.one_of(origins, any_text))
def test_listed_origins_match_exactly(allowed: list[str], origin: str) -> None:
    middleware = CORSMiddleware(app, allow_origins=allowed)
    assert middleware.is_allowed_origin(origin) is (origin in allowed)
    if allowed:
        first = allowed[0]
        assert middleware.is_allowed_origin(first)
        assert middleware.is_allowed_origin(first.upper()) is (first.upper() in allowed)
        assert middleware.is_allowed_origin(first[:-1]) is (first[:-1] in allowed)


@given(st.one_of(origins, any_text))
def test_the_wildcard_allows_every_origin(origin: str) -> None:
    assert CORSMiddleware(app, allow_origins=["*"]).is_allowed_origin(origin)
    assert not CORSMiddleware(app).is_allowed_origin(origin)
