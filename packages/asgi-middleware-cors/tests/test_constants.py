from __future__ import annotations

from asgi_middleware_cors import ALL_METHODS, SAFELISTED_HEADERS


def test_all_methods() -> None:
    assert ALL_METHODS == ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY")


def test_safelisted_headers() -> None:
    assert {"Accept", "Accept-Language", "Content-Language", "Content-Type"} == SAFELISTED_HEADERS
