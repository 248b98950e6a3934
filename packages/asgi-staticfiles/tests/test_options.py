"""cache_control= and fallback=, and the checks of the added keyword arguments."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asgi_staticfiles import StaticFiles
from asgi_testing import TestClient

Static = Callable[..., TestClient]
IMMUTABLE = "public, max-age=31536000, immutable"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_one_cache_control_for_every_file(static: Static, tree: Path) -> None:
    client = static(cache_control=IMMUTABLE, html=True)
    response = client.get("/app.js")
    assert response.headers["cache-control"] == IMMUTABLE
    assert list(response.headers)[-1] == "cache-control"
    etag = response.headers["etag"]
    response = client.get("/app.js", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert list(response.headers.items()) == [("etag", etag), ("cache-control", IMMUTABLE)]
    assert "cache-control" not in client.get("/missing").headers  # the 404 page
    assert "cache-control" not in client.get("/docs").headers  # the redirect


def test_cache_control_by_path(static: Static, tree: Path, write: Any) -> None:
    write(tree, "assets/app.3f2a9c.js", "hashed")
    seen: list[str] = []

    def policy(path: str) -> str | None:
        seen.append(path)
        if path.startswith("assets/"):
            return IMMUTABLE
        if path.endswith(".html"):
            return "no-cache"
        return None

    client = static(cache_control=policy, html=True)
    assert client.get("/assets/app.3f2a9c.js").headers["cache-control"] == IMMUTABLE
    assert client.get("/docs/").headers["cache-control"] == "no-cache"
    assert "cache-control" not in client.get("/a.txt").headers
    assert seen == ["assets/app.3f2a9c.js", "docs/index.html", "a.txt"]


def test_cache_control_function_in_a_subclass_serving_its_own_file(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    from asgi_responses import Response

    class Elsewhere(StaticFiles):
        async def get_response(self, path: str, scope: Any) -> Response:
            full_path, stat_result = self.lookup_path(os.path.join("docs", "guide.html"))
            assert stat_result is not None
            return self.file_response(full_path, stat_result, scope)

    seen: list[str] = []

    def policy(path: str) -> str:
        seen.append(path)
        return "no-store"

    app = Elsewhere(directory=tree, cache_control=policy)
    assert client_for(app).get("/x").headers["cache-control"] == "no-store"
    assert seen == ["docs/guide.html"]
    from asgi_staticfiles._representation import relative_path

    outside = os.sep + os.path.join("somewhere", "else.txt")
    assert relative_path([str(tree)], outside) == "else.txt"  # outside every directory
    assert relative_path([os.sep], outside) == os.path.join("somewhere", "else.txt")


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (b"max-age=1", TypeError, "cache_control must be a str"),
        ("max-age=1\r\nSet-Cookie: x=1", ValueError, "without line breaks"),
        ("   ", ValueError, "one header value"),
        ("max-age=1\x00", ValueError, "without line breaks"),
        ("max-âge=1", ValueError, "must be ASCII"),
    ],
)
def test_bad_cache_control_values(tree: Path, value: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        StaticFiles(directory=tree, cache_control=value)


def test_a_bad_value_from_the_function(static: Static) -> None:
    client = static(cache_control=lambda path: "a\nb")
    with pytest.raises(ValueError, match="the value cache_control returned must be one header"):
        client.get("/a.txt")


# --- fallback: single-page applications ------------------------------------------------------


def test_fallback_for_pages(static: Static, tree: Path) -> None:
    client = static(fallback="index.html")
    response = client.get("/users/42/settings", headers={"accept": BROWSER})
    assert (response.status_code, response.text) == (200, "<h1>home</h1>")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert client.head("/users/42", headers={"accept": BROWSER}).status_code == 200
    assert client.get("/a.txt", headers={"accept": BROWSER}).text == "hello world"


@pytest.mark.parametrize("accept", [None, "*/*", "text/css,*/*;q=0.1", "application/json"])
def test_no_fallback_for_assets_and_apis(static: Static, accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    client = static(fallback="index.html")
    for path in ["/static/app.5e1f.js", "/missing.css", "/api/users"]:
        response = client.get(path, headers=headers)
        assert (response.status_code, response.text) == (404, "Not Found")


def test_a_subclass_keeps_its_own_fallback_attribute(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    """FastAPI's frontend subclass sets ``self.fallback`` before ``__init__``: it stays."""

    class Frontend(StaticFiles):
        def __init__(self, directory: Path) -> None:
            self.fallback = "its own setting"
            super().__init__(directory=directory)

    frontend = Frontend(tree)
    assert frontend.fallback == "its own setting"
    client = client_for(frontend)
    assert client.get("/nowhere", headers={"accept": BROWSER}).status_code == 404
    assert client.get("/a.txt").text == "hello world"


def test_fallback_before_the_404_page_and_after_index_html(static: Static, tree: Path) -> None:
    client = static(fallback="docs/guide.html", html=True)
    assert client.get("/nowhere", headers={"accept": BROWSER}).text == "<h1>guide</h1>"
    assert client.get("/docs/", headers={"accept": BROWSER}).text == "<h1>docs</h1>"
    assert client.get("/empty/", headers={"accept": BROWSER}).text == "<h1>guide</h1>"
    assert client.get("/nowhere").text == "<h1>not here</h1>"
    assert client.post("/nowhere", headers={"accept": BROWSER}).status_code == 405


def test_fallback_is_conditional_and_cached_like_a_file(static: Static, tree: Path) -> None:
    seen: list[str] = []

    def policy(path: str) -> str:
        seen.append(path)
        return "no-cache"

    client = static(fallback="index.html", cache_control=policy)
    response = client.get("/app/route", headers={"accept": BROWSER})
    assert response.headers["cache-control"] == "no-cache"
    etag = response.headers["etag"]
    response = client.get("/app/other", headers={"accept": BROWSER, "if-none-match": etag})
    assert response.status_code == 304
    assert seen == ["index.html", "index.html"]


def test_a_missing_fallback_file(tree: Path, client_for: Callable[..., TestClient]) -> None:
    with pytest.raises(RuntimeError, match=r"The fallback file 'app\.html' is not in \["):
        StaticFiles(directory=tree, fallback="app.html")
    with pytest.raises(RuntimeError, match="fallback file 'docs' is not in"):
        StaticFiles(directory=tree, fallback="docs")
    app = StaticFiles(directory=tree, fallback="app.html", check_dir=False)
    response = client_for(app).get("/route", headers={"accept": BROWSER})
    assert response.status_code == 404
    StaticFiles(fallback="app.html")  # no directory yet: nothing to check


@pytest.mark.parametrize(
    "fallback", ["", ".", "../index.html", "/etc/passwd", "a/../../index.html", "x\x00"]
)
def test_fallback_must_stay_inside(tree: Path, fallback: str) -> None:
    with pytest.raises(ValueError, match="fallback must name a file inside"):
        StaticFiles(directory=tree, fallback=fallback)


def test_fallback_must_be_a_name(tree: Path) -> None:
    with pytest.raises(TypeError, match="fallback must be a file name"):
        StaticFiles(directory=tree, fallback=Path("index.html"))  # type: ignore[arg-type]


def test_fallback_in_a_subfolder_with_slashes(static: Static, tree: Path) -> None:
    client = static(fallback="docs/index.html")
    assert client.get("/x", headers={"accept": BROWSER}).text == "<h1>docs</h1>"


# --- precompressed= checks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("br", TypeError, r"must be True, False or a list of encodings, got 'br'"),
        (1, TypeError, "must be True, False or a list"),
        (["br", "deflate"], ValueError, "unknown encoding 'deflate': use 'br' \\(.br files\\)"),
    ],
)
def test_bad_precompressed(tree: Path, value: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        StaticFiles(directory=tree, precompressed=value)


def test_precompressed_values(tree: Path) -> None:
    assert StaticFiles(directory=tree).precompressed == ()
    assert StaticFiles(directory=tree, precompressed=True).precompressed == ("br", "zstd", "gzip")
    assert StaticFiles(directory=tree, precompressed=["gzip", "br", "gzip"]).precompressed == (
        "gzip",
        "br",
    )
    assert StaticFiles(directory=tree, precompressed=()).precompressed == ()
