"""precompressed=: x.js.br / x.js.zst / x.js.gz sent in place of x.js (the representation)."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from asgi_staticfiles import StaticFiles
from asgi_testing import TestClient

JS = b"console.log('hello, precompressed world');" * 20
LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"


@pytest.fixture
def assets(tree: Path, write: Any) -> Path:
    write(tree, "app.js", JS)
    write(tree, "app.js.gz", gzip.compress(JS, mtime=0))
    write(tree, "app.js.br", b"brotli bytes")
    write(tree, "app.js.zst", b"zstd bytes")
    write(tree, "only-gz.css", b"body{}")
    write(tree, "only-gz.css.gz", gzip.compress(b"body{}", mtime=0))
    write(tree, "index.html.gz", gzip.compress(b"<h1>home</h1>", mtime=0))
    return tree


@pytest.fixture
def client(assets: Path, client_for: Callable[..., TestClient]) -> TestClient:
    app = StaticFiles(directory=assets, precompressed=True, html=True)
    return client_for(app, headers={"accept-encoding": "identity"})


class Raw:
    """A response with its body as sent: httpx would decode gzip, brotli and zstd."""

    def __init__(self, client: TestClient, method: str, path: str, headers: dict[str, str]):
        with client.stream(method, path, headers=headers) as response:
            self.status_code = response.status_code
            self.headers = response.headers
            self.content = b"".join(response.iter_raw())

    @property
    def text(self) -> str:
        return self.content.decode()


def get(client: TestClient, path: str, encoding: str, **headers: str) -> Raw:
    return Raw(client, "GET", path, {"accept-encoding": encoding, **headers})


def test_brotli_first_then_zstd_then_gzip(client: TestClient) -> None:
    response = get(client, "/app.js", "gzip, deflate, br, zstd")
    assert response.headers["content-encoding"] == "br"
    assert response.headers["content-length"] == str(len(b"brotli bytes"))
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["vary"] == "Accept-Encoding"
    assert get(client, "/app.js", "gzip, zstd").headers["content-encoding"] == "zstd"
    response = get(client, "/app.js", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(response.content) == JS
    assert client.get("/app.js", headers={"accept-encoding": "gzip"}).content == JS


def test_the_clients_q_values_win(client: TestClient) -> None:
    response = get(client, "/app.js", "br;q=0.5, gzip;q=0.9")
    assert response.headers["content-encoding"] == "gzip"
    response = get(client, "/app.js", "br;q=0, zstd;q=0, gzip;q=0")
    assert "content-encoding" not in response.headers
    assert response.content == JS


def test_headers_in_order(client: TestClient, assets: Path) -> None:
    response = get(client, "/app.js", "br")
    names = [name for name, _ in response.headers.items()]
    assert names == [
        "content-type",
        "accept-ranges",
        "content-length",
        "last-modified",
        "etag",
        "content-encoding",
        "vary",
    ]


def test_identity_still_varies(client: TestClient) -> None:
    response = get(client, "/app.js", "identity")
    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.content == JS
    assert client.get("/a.txt").headers["vary"] == "Accept-Encoding"  # no sibling at all


def test_a_missing_sibling_falls_back_to_the_next(client: TestClient) -> None:
    response = get(client, "/only-gz.css", "br, gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(response.content) == b"body{}"


def test_each_representation_has_its_own_etag(client: TestClient) -> None:
    tags = {
        encoding: get(client, "/app.js", encoding).headers["etag"]
        for encoding in ("identity", "br", "zstd", "gzip")
    }
    assert len(set(tags.values())) == 4
    assert tags["br"].endswith('-br"')
    assert tags["gzip"].endswith('-gzip"')
    assert tags["identity"].count("-") == 0


def test_conditional_requests_on_the_chosen_representation(client: TestClient) -> None:
    br_tag = get(client, "/app.js", "br").headers["etag"]
    response = get(client, "/app.js", "br", **{"if-none-match": br_tag})
    assert response.status_code == 304
    assert list(response.headers.items()) == [("etag", br_tag), ("vary", "Accept-Encoding")]
    # the brotli tag does not match the gzip representation
    response = get(client, "/app.js", "gzip", **{"if-none-match": br_tag})
    assert response.status_code == 200
    response = get(client, "/app.js", "br", **{"if-modified-since": LAST_MODIFIED})
    assert response.status_code == 304


def test_ranges_of_the_chosen_representation(client: TestClient) -> None:
    response = get(client, "/app.js", "br", range="bytes=0-5")
    assert response.status_code == 206
    assert response.content == b"brotli"
    assert response.headers["content-range"] == f"bytes 0-5/{len(b'brotli bytes')}"
    assert response.headers["content-encoding"] == "br"
    tag = response.headers["etag"]
    response = get(client, "/app.js", "br", range="bytes=0-5", **{"if-range": tag})
    assert response.status_code == 206
    response = get(client, "/app.js", "gzip", range="bytes=0-5", **{"if-range": tag})
    assert response.status_code == 200  # another representation: the whole of it


def test_head(client: TestClient) -> None:
    response = Raw(client, "HEAD", "/app.js", {"accept-encoding": "br"})
    assert response.headers["content-encoding"] == "br"
    assert response.content == b""


def test_index_html_in_html_mode(client: TestClient) -> None:
    response = get(client, "/", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(response.content) == b"<h1>home</h1>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_the_404_page_is_sent_as_it_is(client: TestClient) -> None:
    response = get(client, "/missing", "gzip")
    assert response.status_code == 404
    assert "content-encoding" not in response.headers


def test_only_the_listed_encodings(assets: Path, client_for: Callable[..., TestClient]) -> None:
    client = client_for(StaticFiles(directory=assets, precompressed=["gzip"]))
    assert get(client, "/app.js", "br, gzip").headers["content-encoding"] == "gzip"
    client = client_for(StaticFiles(directory=assets, precompressed=["zstd", "br"]))
    assert get(client, "/app.js", "br, zstd").headers["content-encoding"] == "zstd"


def test_off_by_default(assets: Path, client_for: Callable[..., TestClient]) -> None:
    response = get(client_for(StaticFiles(directory=assets)), "/app.js", "br")
    assert "content-encoding" not in response.headers
    assert "vary" not in response.headers


def test_siblings_can_still_be_fetched_by_name(client: TestClient) -> None:
    response = client.get("/app.js.br")
    assert response.content == b"brotli bytes"
    assert "content-encoding" not in response.headers


def test_sibling_links_need_follow_symlink(
    tree: Path, write: Any, client_for: Callable[..., TestClient]
) -> None:
    write(tree, "lib.js", b"lib")
    (tree.parent / "lib.js.br").write_bytes(b"outside")
    (tree / "lib.js.br").symlink_to(tree.parent / "lib.js.br")
    client = client_for(StaticFiles(directory=tree, precompressed=True))
    response = get(client, "/lib.js", "br")
    assert "content-encoding" not in response.headers
    assert response.content == b"lib"
    client = client_for(StaticFiles(directory=tree, precompressed=True, follow_symlink=True))
    assert get(client, "/lib.js", "br").headers["content-encoding"] == "br"


def test_unreadable_siblings_are_skipped(
    assets: Path, client_for: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    real_access = os.access

    def access(path: Any, mode: int, **options: Any) -> bool:
        return not str(path).endswith(".br") and real_access(path, mode)

    monkeypatch.setattr(os, "access", access)
    client = client_for(StaticFiles(directory=assets, precompressed=True))
    assert get(client, "/app.js", "br, gzip").headers["content-encoding"] == "gzip"


def test_a_subclass_serving_another_file_gets_it_unencoded(
    assets: Path, client_for: Callable[..., TestClient]
) -> None:
    from asgi_core.types import Scope
    from asgi_responses import Response

    class Other(StaticFiles):
        def file_response(
            self, full_path: Any, stat_result: Any, scope: Scope, status_code: int = 200
        ) -> Response:
            full_path, stat_result = self.lookup_path("a.txt")
            return super().file_response(full_path, stat_result, scope, status_code)

    response = get(client_for(Other(directory=assets, precompressed=True)), "/app.js", "br")
    assert response.text == "hello world"
    assert "content-encoding" not in response.headers
