"""Bad paths: never a file outside the directory, never a 500 (DESIGN section 7)."""

from __future__ import annotations

import errno
import json
import os
import select
import shutil
import signal
import stat
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asgi_core.types import Scope
from asgi_staticfiles import StaticFiles
from asgi_staticfiles._lookup import is_safe_relative, resolve, sibling
from asgi_testing import TestClient

SECRET = b"top secret"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# Each of these reaches the application as a server passes it: percent-decoded (so %2e%2e
# is "..", %2f is "/", %5c is "\", %00 is NUL), with raw_path keeping the original.
BAD_PATHS = [
    "/../secret.txt",
    "/docs/../../secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/../root/../secret.txt",
    "/..\\secret.txt",
    "/docs\\..\\..\\secret.txt",
    "/\\\\server\\share\\secret.txt",
    "//server/share/secret.txt",
    "/C:/secret.txt",
    "/C:secret.txt",
    "/c:\\secret.txt",
    "/a.txt::$DATA",
    "/a.txt\x00.png",
    "/\x00",
    "/" + "x" * 300,
    "/" + "x/" * 3000,
    "/" + "é" * 200,
]


def _as_server_passes(path: str) -> str:
    return path.replace("%2f", "/").replace("%2e", ".").replace("%5c", "\\")


@pytest.mark.anyio
@pytest.mark.parametrize("path", BAD_PATHS)
@pytest.mark.parametrize("html", [False, True])
async def test_bad_paths_get_404(tree: Path, call: Any, path: str, html: bool) -> None:
    sent = await call(StaticFiles(directory=tree, html=html), _as_server_passes(path))
    assert sent.status == 404
    assert SECRET not in sent.body


@pytest.mark.anyio
@pytest.mark.parametrize("path", BAD_PATHS)
async def test_bad_paths_with_another_method_get_405(tree: Path, call: Any, path: str) -> None:
    sent = await call(StaticFiles(directory=tree), _as_server_passes(path), "DELETE")
    assert sent.status == 405


@pytest.mark.anyio
async def test_percent_encoded_slashes_and_dots_stay_literal(tree: Path, call: Any) -> None:
    # a server that does not decode them passes the characters through: no such file
    for path in ["/..%2fsecret.txt", "/%2e%2e/secret.txt", "/..%5csecret.txt", "/a.txt%00"]:
        assert (await call(StaticFiles(directory=tree), path)).status == 404


def test_backslash_names_are_ordinary_files_on_posix(
    tree: Path, client_for: Callable[..., TestClient], write: Any
) -> None:
    if os.name == "nt":  # pragma: no cover - Windows: a backslash is a separator
        pytest.skip("a backslash separates folders on Windows")
    write(tree, "a\\b.txt", "inside")
    response = client_for(StaticFiles(directory=tree)).get("/a%5Cb.txt")
    assert response.text == "inside"


@pytest.mark.parametrize(
    "path",
    ["a.txt", "docs/a.txt", "a..b", "..a", "a:b", "a\\b", ".hidden"],
)
def test_safe_posix_paths(path: str) -> None:
    assert is_safe_relative(path, windows=False)


@pytest.mark.parametrize("path", ["", "..", "../a", "a/../../b", "/etc/passwd"])
def test_unsafe_posix_paths(path: str) -> None:
    assert not is_safe_relative(path, windows=False)


@pytest.mark.parametrize("path", ["a.txt", "docs\\a.txt", "docs/a.txt", "..a"])
def test_safe_windows_paths(path: str) -> None:
    assert is_safe_relative(path, windows=True)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "..\\secret.txt",
        "docs\\..\\..\\x",
        "\\\\server\\share\\x",
        "\\x",
        "/x",
        "C:x",
        "C:\\x",
        "a.txt::$DATA",
        "..",
    ],
)
def test_unsafe_windows_paths(path: str) -> None:
    assert not is_safe_relative(path, windows=True)


# --- symbolic links -----------------------------------------------------------------------


@pytest.fixture
def links(tree: Path) -> Path:
    outside = tree.parent / "secret.txt"
    (tree / "inside-link").symlink_to("a.txt")
    (tree / "docs-link").symlink_to("docs", target_is_directory=True)
    (tree / "outside-link").symlink_to(outside)
    (tree / "outside-dir").symlink_to(tree.parent, target_is_directory=True)
    (tree / "loop").symlink_to("loop")
    (tree / "dangling").symlink_to("nothing-there")
    return tree


def test_links_inside_the_directory_are_served(
    links: Path, client_for: Callable[..., TestClient]
) -> None:
    client = client_for(StaticFiles(directory=links, html=True), follow_redirects=False)
    response = client.get("/inside-link")
    assert response.text == "hello world"
    # as Starlette: the real path is served, so its name gives the media type
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert client.get("/docs-link/guide.html").text == "<h1>guide</h1>"
    assert client.get("/docs-link/").text == "<h1>docs</h1>"
    assert client.get("/docs-link").status_code == 307
    (links / "self").symlink_to(".", target_is_directory=True)
    assert client.get("/self/").text == "<h1>home</h1>"


@pytest.mark.parametrize("path", ["/outside-link", "/outside-dir/secret.txt", "/loop", "/dangling"])
def test_links_leading_outside_are_404(
    links: Path, client_for: Callable[..., TestClient], path: str
) -> None:
    response = client_for(StaticFiles(directory=links)).get(path)
    assert (response.status_code, response.text) == (404, "Not Found")


def test_follow_symlink_serves_links_leading_outside(
    links: Path, client_for: Callable[..., TestClient]
) -> None:
    client = client_for(StaticFiles(directory=links, follow_symlink=True))
    assert client.get("/outside-link").content == SECRET
    assert client.get("/outside-dir/secret.txt").content == SECRET
    # the link's own name gives the media type (Starlette: the path is not resolved)
    assert client.get("/inside-link").headers["content-type"] == "application/octet-stream"
    assert client.get("/loop").status_code == 404
    assert client.get("/dangling").status_code == 404
    assert client.get("/../secret.txt").status_code == 404


def test_a_served_directory_that_is_a_link(tmp_path: Path, tree: Path) -> None:
    (tmp_path / "current").symlink_to(tree, target_is_directory=True)
    app = StaticFiles(directory=tmp_path / "current")
    assert app.lookup_path("a.txt")[0] == str(tmp_path / "current" / "a.txt")
    (tree / "link").symlink_to("a.txt")
    assert app.lookup_path("link")[0] == str(tree / "a.txt")


# --- not regular files, unreadable files ----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need os.mkfifo (POSIX)")
def test_fifos_are_404_and_never_opened(tree: Path, client_for: Callable[..., TestClient]) -> None:
    os.mkfifo(tree / "pipe")
    client = client_for(StaticFiles(directory=tree, html=True))
    response = client.get("/pipe")  # opening a FIFO would block until a writer comes
    assert (response.status_code, response.text) == (404, "<h1>not here</h1>")
    assert client.post("/pipe").status_code == 405


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs the /dev/null device")
def test_devices_are_404(tree: Path, client_for: Callable[..., TestClient]) -> None:
    (tree / "null").symlink_to("/dev/null")
    client = client_for(StaticFiles(directory=tree, follow_symlink=True))
    assert client.get("/null").status_code == 404


def test_directories_without_index_are_404(
    tree: Path, client_for: Callable[..., TestClient]
) -> None:
    client = client_for(StaticFiles(directory=tree, html=True))
    response = client.get("/empty/")
    assert (response.status_code, response.text) == (404, "<h1>not here</h1>")
    assert client_for(StaticFiles(directory=tree)).get("/docs/").status_code == 404


def _statuses(app: StaticFiles, paths: list[str], backend: str) -> list[int]:
    async def main() -> list[int]:
        return [(await _send(app, {**_scope(path)}))[0] for path in paths]

    return anyio.run(main, backend=backend)


def _scope(path: str) -> Scope:
    return {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}


def _as_nobody(work: Callable[[], list[int]]) -> list[int]:
    """Run ``work`` in a forked child that dropped root's rights (uid and gid 65534).

    Root reads files whatever their mode, so an unreadable file only exists for another
    user. The child inherits the imported modules, so it needs no access to the virtual
    environment under /root; it reports through a pipe and ends with ``os._exit``.
    """
    reader, writer = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            os.write(writer, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(writer)
    try:
        ready, _, _ = select.select([reader], [], [], 30)
        data = os.read(reader, 4096) if ready else b""
    finally:
        os.close(reader)
        if not data:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert data, "the child serving as nobody did not answer in 30 seconds"
    statuses: list[int] = json.loads(data)
    return statuses


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX file modes (Windows has ACLs)")
def test_files_the_process_may_not_read_answer_403(anyio_backend: str) -> None:
    base = Path(tempfile.mkdtemp())  # not below tmp_path: it must be open to other users
    try:
        base.chmod(0o755)
        for name in ("open.txt", "closed.txt", "locked/inner.txt"):
            (base / name).parent.mkdir(exist_ok=True)
            (base / name).write_text("x")
            (base / name).chmod(0o644)
        (base / "closed.txt").chmod(0)
        (base / "locked").chmod(0)
        app = StaticFiles(directory=base)
        paths = ["/open.txt", "/closed.txt", "/locked/inner.txt"]

        def work() -> list[int]:
            return _statuses(app, paths, anyio_backend)

        statuses = _as_nobody(work) if IS_ROOT else work()
        assert statuses == [200, 403, 403]
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)


def test_unreadable_files_answer_403(
    tree: Path, client_for: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: "a.txt" not in str(path) and real_access(path, mode)
    )
    client = client_for(StaticFiles(directory=tree))
    response = client.get("/a.txt")
    assert (response.status_code, response.text) == (403, "Forbidden")


def test_folders_that_cannot_be_searched_answer_403(
    tree: Path, client_for: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_lstat = os.lstat

    def lstat(path: Any) -> os.stat_result:
        if "docs" in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_lstat(path)

    monkeypatch.setattr(os, "lstat", lstat)
    response = client_for(StaticFiles(directory=tree)).get("/docs/guide.html")
    assert (response.status_code, response.text) == (403, "Forbidden")


def test_an_unreadable_404_page_is_not_served(
    tree: Path, client_for: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: "404" not in str(path) and real_access(path, mode)
    )
    response = client_for(StaticFiles(directory=tree, html=True)).get("/missing")
    assert (response.status_code, response.text) == (404, "Not Found")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (PermissionError(errno.EACCES, "denied"), 403),
        (OSError(errno.ENAMETOOLONG, "too long"), 404),
        (ValueError("embedded null byte"), 404),
    ],
)
def test_errors_of_an_overridden_lookup_path(
    tree: Path, client_for: Callable[..., TestClient], error: Exception, status: int
) -> None:
    class Failing(StaticFiles):
        def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
            raise error

    assert client_for(Failing(directory=tree, html=True)).get("/a.txt").status_code == status


def test_io_errors_are_not_hidden(tree: Path, client_for: Callable[..., TestClient]) -> None:
    class Failing(StaticFiles):
        def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
            raise OSError(errno.EIO, "disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        client_for(Failing(directory=tree)).get("/a.txt")


def test_resolve_raises_unexpected_errors(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def lstat(path: Any) -> os.stat_result:
        raise OSError(errno.EIO, "disk on fire")

    monkeypatch.setattr(os, "lstat", lstat)
    with pytest.raises(OSError, match="disk on fire"):
        resolve(str(tree), "a.txt", follow_symlink=False)


def test_sibling(tree: Path, write: Any) -> None:
    write(tree, "a.txt.gz", b"gz")
    (tree / "a.txt.br").mkdir()
    (tree / "a.txt.zst").symlink_to("a.txt.gz")
    base = str(tree / "a.txt")
    found = sibling(base, ".gz", follow_symlink=False)
    assert found is not None
    assert found[0] == base + ".gz"
    assert sibling(base, ".br", follow_symlink=False) is None  # a folder
    assert sibling(base, ".zst", follow_symlink=False) is None  # a link
    assert sibling(base, ".zst", follow_symlink=True) is not None
    assert sibling(base, ".xz", follow_symlink=False) is None
    assert sibling(base + "\x00", ".gz", follow_symlink=False) is None


def test_root_itself(tree: Path) -> None:
    found = resolve(str(tree), ".", follow_symlink=False)
    assert found is not None
    assert stat.S_ISDIR(found[1].st_mode)


# --- property: whatever the path, nothing outside the directory ---------------------------

SEGMENTS = st.sampled_from(
    [
        "..",
        ".",
        "",
        "a.txt",
        "docs",
        "secret.txt",
        "root",
        "\\",
        "..\\",
        "C:",
        "%2e",
        "\x00",
        "outside-link",
        "inside-link",
        "é",
        "index.html",
        "~",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(segments=st.lists(SEGMENTS, max_size=8), html=st.booleans())
def test_random_paths_never_escape(
    links: Path,
    make_scope: Callable[..., Scope],
    anyio_backend: str,
    segments: list[str],
    html: bool,
) -> None:
    app = StaticFiles(directory=links, html=html)
    route = "/" + "/".join(segments)
    real_root = os.path.realpath(links)
    try:
        full, found = app.lookup_path(app.get_path(make_scope(route)))
    except ValueError:  # a NUL byte: the request gets a 404
        assert "\x00" in route
    else:
        if found is not None:
            assert os.path.realpath(full).startswith(real_root + os.sep) or full == str(links)
    sent = anyio.run(_send, app, make_scope(route), backend=anyio_backend)
    assert sent[0] in (200, 307, 404)
    assert SECRET not in sent[1]


async def _send(app: StaticFiles, scope: Scope) -> tuple[int, bytes]:
    messages: list[Any] = []

    async def receive() -> Any:
        await anyio.sleep_forever()

    async def send(message: Any) -> None:
        messages.append(message)

    await app(scope, receive, send)
    return messages[0]["status"], b"".join(m.get("body", b"") for m in messages[1:])
