"""Hypothesis-generated requests, played against both frameworks.

Generation is derandomised (the same examples every run), so a difference found here is
reproducible and can be listed, with its reason, in the accepted-differences file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cases import _echo_request, _file_app, _form_app, _routing_app, _ws_app, h
from driver import App, HTTPRequest, WebSocketSession
from hypothesis import strategies as st
from lib import Lib

PATH_CHARS = "abc/._-~%20é:@!$&'()*+,;=?#[] "
QUERY_CHARS = "ab=&;%+2F0x é\\"
COOKIE_CHARS = 'ab=;" ,\\%20x\t'


def _path() -> st.SearchStrategy[str]:
    return st.text(PATH_CHARS, max_size=20).map(lambda s: "/" + s)


def _query() -> st.SearchStrategy[bytes]:
    return st.text(QUERY_CHARS, max_size=20).map(lambda s: s.encode("utf-8"))


def _range_spec() -> st.SearchStrategy[str]:
    number = st.one_of(
        st.none(), st.integers(0, 1100).map(str), st.sampled_from(["x", "-1", " 5", "01"])
    )
    part = st.tuples(number, number).map(lambda p: f"{p[0] or ''}-{p[1] or ''}")
    unit = st.sampled_from(["bytes=", "bytes = ", "Bytes=", "items=", "bytes"])
    sep = st.sampled_from([",", ", ", " ,", ",,"])
    return st.tuples(unit, st.lists(part, min_size=0, max_size=4), sep).map(
        lambda t: t[0] + t[2].join(t[1])
    )


def _host() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text("abcXY.-:0189[]@/ ", max_size=16),
        st.sampled_from(["example.org", "EXAMPLE.org:80", "[::1]", "[::1]:8000", "a.b.c:65536"]),
    )


def _ws_message() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.text("ab☃close", max_size=8).map(lambda t: {"type": "websocket.receive", "text": t}),
        st.binary(max_size=6).map(lambda b: {"type": "websocket.receive", "bytes": b}),
        st.sampled_from([1000, 1001, 1006, 4000]).map(
            lambda c: {"type": "websocket.disconnect", "code": c}
        ),
        st.just({"type": "websocket.receive"}),
    )


def _ws_session() -> st.SearchStrategy[WebSocketSession]:
    return st.tuples(
        st.sampled_from(["/echo", "/json", "/after-close", "/receive-first"]),
        st.lists(_ws_message(), max_size=5),
    ).map(lambda t: WebSocketSession(path=t[0], client=tuple(t[1])))


GROUPS: dict[
    str,
    tuple[
        Callable[[Lib], App], st.SearchStrategy[HTTPRequest] | st.SearchStrategy[WebSocketSession]
    ],
] = {
    "gen/websocket-sequence": (_ws_app, _ws_session()),
    "gen/echo-path": (_echo_request, _path().map(lambda p: HTTPRequest(path=p))),
    "gen/echo-query": (_echo_request, _query().map(lambda q: HTTPRequest(query_string=q))),
    "gen/echo-cookie": (
        _echo_request,
        st.text(COOKIE_CHARS, max_size=24).map(lambda c: HTTPRequest(headers=h(("cookie", c)))),
    ),
    "gen/echo-host": (
        _echo_request,
        _host().map(lambda v: HTTPRequest(headers=h(("host", v)))),
    ),
    "gen/routing-path": (_routing_app, _path().map(lambda p: HTTPRequest(path=p))),
    "gen/routing-method": (
        _routing_app,
        st.tuples(
            st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "QUERY", "get"]),
            st.sampled_from(["/", "/users/1", "/post-only", "/put-only", "/slash", "/static/x"]),
        ).map(lambda t: HTTPRequest(method=t[0], path=t[1])),
    ),
    "gen/file-range": (
        _file_app,
        _range_spec().map(lambda r: HTTPRequest(headers=h(("range", r)))),
    ),
    "gen/form-urlencoded": (
        _form_app,
        _query().map(
            lambda q: HTTPRequest(
                method="POST",
                body=[q],
                headers=h(("content-type", "application/x-www-form-urlencoded")),
            )
        ),
    ),
}


def examples(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` derandomised examples of ``strategy`` (duplicates removed)."""
    from hypothesis import HealthCheck, given, settings

    found: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        if value not in found:
            found.append(value)

    collect()
    return found
