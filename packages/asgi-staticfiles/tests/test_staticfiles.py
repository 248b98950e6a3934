"""StaticFiles as Starlette 1.10 serves files: answers, headers in order, HTML mode, 304s."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asgi_core import Headers, HTTPException, UsageError
from asgi_core.types import Message, Scope
from asgi_responses import Response
from asgi_staticfiles import NotModifiedResponse, StaticFiles
from asgi_testing import TestClient

Static = Callable[..., TestClient]
LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"


def etag_of(path: Path) -> str:
    import hashlib

    stat = path.stat()
    digest = hashlib.md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False)
    return f'"{digest.hexdigest()}"'


def test_get_a_file_with_starlettes_headers_in_order(static: Static, tree: Path) -> None:
    response = static().get("/a.txt")
    assert response.status_code == 200
    assert response.text == "hello world"
    assert list(response.headers.items()) == [
        ("content-type", "text/plain; charset=utf-8"),
        ("accept-ranges", "bytes"),
        ("content-length", "11"),
        ("last-modified", LAST_MODIFIED),
        ("etag", etag_of(tree / "a.txt")),
    ]


def test_head_sends_the_headers_without_the_body(static: Static) -> None:
    response = static().head("/a.txt")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "11"


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("app.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("data.json", "application/json"),
        ("index.html", "text/html; charset=utf-8"),
        ("noext", "application/octet-stream"),
        ("with%20space.txt", "text/plain; charset=utf-8"),
    ],
)
def test_media_type_from_the_extension(static: Static, name: str, media_type: str) -> None:
    assert static().get(f"/{name}").headers["content-type"] == media_type


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
@pytest.mark.parametrize("path", ["/a.txt", "/missing", "/docs"])
def test_other_methods_get_405_with_allow(static: Static, method: str, path: str) -> None:
    response = static(html=True).request(method, path)
    assert response.status_code == 405
    assert response.text == "Method Not Allowed"
    assert list(response.headers.items()) == [
        ("allow", "GET, HEAD"),
        ("content-length", "18"),
        ("content-type", "text/plain; charset=utf-8"),
    ]


@pytest.mark.anyio
async def test_methods_are_case_sensitive(tree: Path, call: Any) -> None:
    sent = await call(StaticFiles(directory=tree), "/a.txt", "get")
    assert (sent.status, sent.body) == (405, b"Method Not Allowed")


@pytest.mark.parametrize("path", ["/missing", "/", "/docs", "/docs/", "/empty/", "/a.txt/x"])
def test_misses_are_404(static: Static, path: str) -> None:
    response = static().get(path)
    assert (response.status_code, response.text) == (404, "Not Found")
    assert list(response.headers.items()) == [
        ("content-length", "9"),
        ("content-type", "text/plain; charset=utf-8"),
    ]


def test_a_trailing_slash_after_a_file_still_serves_it(static: Static) -> None:
    assert static().get("/a.txt/").text == "hello world"


def test_dot_segments_are_resolved_inside(static: Static) -> None:
    assert static().get("/docs/../a.txt").text == "hello world"


# --- HTML mode --------------------------------------------------------------------------


def test_html_mode_serves_index_html(static: Static) -> None:
    client = static(html=True)
    assert client.get("/").text == "<h1>home</h1>"
    assert client.get("/docs/").text == "<h1>docs</h1>"
    assert client.get("/docs/guide.html").text == "<h1>guide</h1>"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_html_mode_redirects_directories_to_a_slash(static: Static, method: str) -> None:
    response = static(html=True).request(method, "/docs?page=2")
    assert response.status_code == 307
    assert list(response.headers.items()) == [
        ("content-length", "0"),
        ("location", "http://testserver/docs/?page=2"),
    ]


def test_the_redirect_keeps_host_scheme_and_quotes_the_path(
    tree: Path, call: Any, anyio_backend: str
) -> None:
    import anyio

    (tree / "my docs").mkdir()
    (tree / "my docs" / "index.html").write_text("x")
    app = StaticFiles(directory=tree, html=True)

    async def main() -> None:
        sent = await call(
            app,
            "/my docs",
            headers=[("host", "example.org:8080")],
            scheme="https",
            query_string=b"q=%20",
        )
        assert sent.status == 307
        assert sent.header("location") == "https://example.org:8080/my%20docs/?q=%20"
        mounted = await call(app, "/static/my docs", root_path="/static")
        assert mounted.header("location") == "http://testserver/static/my%20docs/"

    anyio.run(main, backend=anyio_backend)


@pytest.mark.parametrize("path", ["/missing", "/empty", "/empty/", "/docs/nothing.html"])
def test_html_mode_serves_404_html_with_status_404(static: Static, tree: Path, path: str) -> None:
    response = static(html=True).get(path)
    assert response.status_code == 404
    assert response.text == "<h1>not here</h1>"
    assert list(response.headers.items()) == [
        ("content-type", "text/html; charset=utf-8"),
        ("accept-ranges", "bytes"),
        ("content-length", "17"),
        ("last-modified", LAST_MODIFIED),
        ("etag", etag_of(tree / "404.html")),
    ]


def test_the_404_page_ignores_conditions_and_ranges(static: Static, tree: Path) -> None:
    client = static(html=True)
    headers = {"if-none-match": etag_of(tree / "404.html"), "range": "bytes=0-1"}
    response = client.get("/missing", headers=headers)
    assert (response.status_code, response.text) == (404, "<h1>not here</h1>")
    assert client.head("/missing").content == b""


def test_html_mode_without_404_html_is_a_plain_404(static: Static, tree: Path) -> None:
    (tree / "404.html").unlink()
    response = static(html=True).get("/missing")
    assert (response.status_code, response.text) == (404, "Not Found")


def test_html_mode_ignores_an_index_html_folder(static: Static, tree: Path) -> None:
    (tree / "odd" / "index.html").mkdir(parents=True)
    assert static(html=True).get("/odd/").status_code == 404


# --- conditional requests ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["{etag}", "W/{etag}", '"other", {etag}', '"other",{etag}', "*", " {etag} "],
)
def test_if_none_match_gets_304_with_only_the_etag(static: Static, tree: Path, value: str) -> None:
    etag = etag_of(tree / "a.txt")
    for method in ("GET", "HEAD"):
        response = static().request(
            method, "/a.txt", headers={"if-none-match": value.format(etag=etag)}
        )
        assert response.status_code == 304
        assert list(response.headers.items()) == [("etag", etag)]
        assert response.content == b""


def test_if_none_match_without_a_match_sends_the_file(static: Static, tree: Path) -> None:
    headers = {"if-none-match": '"other"', "if-modified-since": LAST_MODIFIED}
    response = static().get("/a.txt", headers=headers)
    assert (response.status_code, response.text) == (200, "hello world")
    unquoted = etag_of(tree / "a.txt").strip('"')
    assert static().get("/a.txt", headers={"if-none-match": unquoted}).status_code == 200


@pytest.mark.parametrize(
    ("since", "status"),
    [
        (LAST_MODIFIED, 304),
        ("Wed, 15 Nov 2023 00:00:00 GMT", 304),
        ("Tue, 14 Nov 2023 22:13:19 GMT", 200),
        ("not a date", 200),
    ],
)
def test_if_modified_since(static: Static, since: str, status: int) -> None:
    response = static().get("/a.txt", headers={"if-modified-since": since})
    assert response.status_code == status


def test_index_html_gets_304_too(static: Static, tree: Path) -> None:
    etag = etag_of(tree / "index.html")
    response = static(html=True).get("/", headers={"if-none-match": etag})
    assert response.status_code == 304


# --- Range, through FileResponse ----------------------------------------------------------


def test_range_requests(static: Static, tree: Path) -> None:
    client = static()
    response = client.get("/a.txt", headers={"range": "bytes=0-4"})
    assert (response.status_code, response.text) == (206, "hello")
    assert response.headers["content-range"] == "bytes 0-4/11"
    assert client.get("/a.txt", headers={"range": "bytes=-5"}).text == "world"
    response = client.get("/a.txt", headers={"range": "bytes=50-60"})
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */11"
    response = client.get("/a.txt", headers={"range": "bytes=0-1,4-5"})
    assert response.status_code == 206
    assert response.headers["content-type"].startswith("multipart/byteranges; boundary=")
    etag = etag_of(tree / "a.txt")
    response = client.get("/a.txt", headers={"range": "bytes=0-4", "if-none-match": etag})
    assert response.status_code == 304


# --- other scopes, configuration, public methods -----------------------------------------


def test_websocket_is_closed(tree: Path, anyio_backend: str) -> None:
    import anyio

    sent: list[Message] = []

    async def main() -> None:
        async def receive() -> Message:
            return {"type": "websocket.connect"}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {"type": "websocket", "path": "/a.txt", "headers": []}
        await StaticFiles(directory=tree)(scope, receive, send)

    anyio.run(main, backend=anyio_backend)
    assert sent == [{"type": "websocket.close", "code": 1000, "reason": ""}]


def test_lifespan_is_refused_clearly(tree: Path, anyio_backend: str) -> None:
    import anyio

    async def main() -> None:
        await StaticFiles(directory=tree)({"type": "lifespan"}, _never, _never)

    with pytest.raises(UsageError, match="serves 'http' requests, not 'lifespan'"):
        anyio.run(main, backend=anyio_backend)
    assert issubclass(UsageError, AssertionError)  # what Starlette raises


async def _never(*args: Any) -> Any:
    raise AssertionError("not called")  # pragma: no cover - the app refuses first


def test_signature_and_attributes_are_starlettes(tree: Path) -> None:
    import inspect

    parameters = inspect.signature(StaticFiles).parameters
    assert list(parameters)[:5] == ["directory", "packages", "html", "check_dir", "follow_symlink"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    assert [p.default for p in list(parameters.values())[:5]] == [None, None, False, True, False]
    app = StaticFiles(directory=tree)
    assert (app.directory, app.packages, app.html, app.follow_symlink) == (tree, None, False, False)
    assert app.all_directories == [tree]
    assert app.config_checked is False
    assert StaticFiles().all_directories == []


def test_missing_directory_at_startup(tmp_path: Path, tree: Path) -> None:
    with pytest.raises(RuntimeError, match="^Directory 'nope' does not exist") as info:
        StaticFiles(directory="nope")
    assert "relative to the working directory" in str(info.value)
    assert "check_dir=False" in str(info.value)
    absolute = str(tmp_path / "nope")
    with pytest.raises(RuntimeError, match="does not exist. Create it") as info:
        StaticFiles(directory=absolute)
    assert "relative" not in str(info.value)
    with pytest.raises(RuntimeError, match="it is a file, not a directory"):
        StaticFiles(directory=tree / "a.txt")
    StaticFiles(directory="nope", check_dir=False)  # checked on the first request


def test_the_first_request_checks_the_directory(
    tmp_path: Path, tree: Path, client_for: Callable[..., TestClient]
) -> None:
    app = StaticFiles(directory=tmp_path / "later", check_dir=False)
    client = client_for(app)
    with pytest.raises(RuntimeError, match="^StaticFiles directory '.*later' does not exist."):
        client.get("/a.txt")
    checked = [app.config_checked]
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "a.txt").write_text("late")
    assert client.get("/a.txt").text == "late"
    checked.append(app.config_checked)
    assert checked == [False, True]
    app = StaticFiles(directory=tree / "a.txt", check_dir=False)
    with pytest.raises(RuntimeError, match=r"^StaticFiles path '.*a\.txt' is not a directory\."):
        client_for(app).get("/a.txt")


def test_check_config_without_a_directory(anyio_backend: str) -> None:
    import anyio

    anyio.run(StaticFiles().check_config, backend=anyio_backend)


def test_no_directory_serves_nothing(client_for: Callable[..., TestClient]) -> None:
    assert client_for(StaticFiles()).get("/a.txt").status_code == 404


def test_get_path(tree: Path, make_scope: Callable[..., Scope]) -> None:
    app = StaticFiles(directory=tree)
    cases = {
        "/a.txt": "a.txt",
        "/x/../a.txt": "a.txt",
        "/a/b/": os.path.join("a", "b"),
        "/": ".",
        "": ".",
        "//a": "a",
        "/../x": os.path.join("..", "x"),
    }
    for path, expected in cases.items():
        assert app.get_path(make_scope(path)) == expected
    assert app.get_path(make_scope("/static/x/y.txt", root_path="/static")) == os.path.join(
        "x", "y.txt"
    )


def test_lookup_path(tree: Path, tmp_path: Path) -> None:
    app = StaticFiles(directory=tree)
    full, stat = app.lookup_path("a.txt")
    assert full == str(tree / "a.txt")
    assert stat is not None
    assert stat.st_size == 11
    assert app.lookup_path("docs")[0] == str(tree / "docs")
    assert app.lookup_path(".")[0] == str(tree)
    for outside in [os.path.join("..", "secret.txt"), str(tmp_path / "secret.txt"), "missing"]:
        assert app.lookup_path(outside) == ("", None)
    with pytest.raises(ValueError, match="NUL"):
        app.lookup_path("a.txt\x00")


def test_relative_directories_are_resolved_from_the_working_directory(
    tree: Path, monkeypatch: pytest.MonkeyPatch, static: Static
) -> None:
    monkeypatch.chdir(tree.parent)
    app = StaticFiles(directory="root")
    assert app.lookup_path("a.txt")[0] == str(tree / "a.txt")
    app.all_directories = [str(tree / "docs")]  # reassigned: looked up again
    assert app.lookup_path("guide.html")[0] == str(tree / "docs" / "guide.html")


def test_several_directories_in_order(tmp_path: Path, write: Any) -> None:
    write(tmp_path / "one", "a.txt", "one")
    write(tmp_path / "two", "a.txt", "two")
    write(tmp_path / "two", "b.txt", "two b")
    app = StaticFiles(directory=tmp_path / "one")
    app.all_directories = [*app.all_directories, tmp_path / "two"]
    assert app.lookup_path("a.txt")[0] == str(tmp_path / "one" / "a.txt")
    assert app.lookup_path("b.txt")[0] == str(tmp_path / "two" / "b.txt")


def test_subclass_falls_back_by_catching_the_404(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    class SPA(StaticFiles):
        async def get_response(self, path: str, scope: Scope) -> Response:
            try:
                return await super().get_response(path, scope)
            except HTTPException as exc:
                if exc.status_code != 404:
                    raise
                return await super().get_response("index.html", scope)

    client = client_for(SPA(directory=tree))
    assert client.get("/some/route").text == "<h1>home</h1>"
    assert client.post("/some/route").status_code == 405


def test_subclass_changes_file_responses(tree: Path, client_for: Callable[..., TestClient]) -> None:
    class Cached(StaticFiles):
        def file_response(self, *args: Any, **kwargs: Any) -> Response:
            response = super().file_response(*args, **kwargs)
            response.headers["cache-control"] = "no-cache"
            return response

    response = client_for(Cached(directory=tree)).get("/a.txt")
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.anyio
async def test_file_response_and_is_not_modified(
    tree: Path, make_scope: Callable[..., Scope]
) -> None:
    app = StaticFiles(directory=tree)
    full, stat = app.lookup_path("a.txt")
    assert stat is not None
    response = app.file_response(full, stat, make_scope("/a.txt"), status_code=201)
    assert response.status_code == 201
    etag = etag_of(tree / "a.txt")
    scope = make_scope("/a.txt", headers=[("if-none-match", etag)])
    response = app.file_response(full, stat, scope, status_code=404)
    assert isinstance(response, NotModifiedResponse)  # as Starlette, whatever the status
    assert app.is_not_modified(Headers({"etag": etag}), Headers({"if-none-match": etag}))
    response = await app.get_response("a.txt", make_scope("/a.txt"))
    assert response.status_code == 200
    with pytest.raises(HTTPException) as info:
        await app.get_response("a.txt", make_scope("/a.txt", "PUT"))
    assert (info.value.status_code, info.value.headers) == (405, {"Allow": "GET, HEAD"})
    with pytest.raises(HTTPException) as info:
        await app.get_response("missing", make_scope("/missing"))
    assert (info.value.status_code, info.value.headers) == (404, None)
