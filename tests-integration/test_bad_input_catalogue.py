"""The bad-input catalogue: every published attack on this kind of framework, against uvicorn.

One parametrized suite. Each case sends an attack to ``bad_input_server.py`` (an
``asgi_framework.App`` served by uvicorn with h11 in a process of its own) and asserts the
exact status or WebSocket close code; then, for every case, that

- the server still answers the next request (``GET /`` on a new connection is ``200 ok``),
- nothing outside the static directory was opened (an audit hook in the server records every
  ``open``/``listdir``/``scandir`` inside the site folder but outside ``static/``), no answer
  carries the secret files' content, and the files beside the static folder are untouched,
- nothing hangs or leaks: no request is left in flight and the server's open file
  descriptors come back to what they were before the case.

Sources: Starlette's advisories (GHSA-86qp-5c8j-p5mr Host header, GHSA-jp82-jpqv-5vv3 paths
not starting with ``/``, CVE-2023-29159 and CVE-2026-48818 StaticFiles traversal and UNC
paths, CVE-2023-30798 part/field/file floods, CVE-2024-47874 oversized parts, CVE-2025-62727
quadratic Range parsing, GHSA-x746-7m8f-x49c non-verb methods on HTTPEndpoint,
GHSA-82w8-qh3p-5jfq urlencoded limits) and python-multipart's (CVE-2024-53981 preamble and
epilogue floods, GHSA-pp6c-gr5w-3c5g unbounded part headers, GHSA-5rvq-cxj2-64vf ``;``
separators, CVE-2024-24762 Content-Type options, negative Content-Length, CVE-2026-24486
filename traversal, GHSA-vffw-93wf-4j4q RFC 2231 ``filename*``), plus oversized headers and
cookies, invalid UTF-8, huge Content-Length, truncated bodies, clients leaving mid-upload and
mid-download, slow readers and WebSocket messages over the size limit.

Where the answer is uvicorn's (h11 refuses a malformed request before the application sees
it), the case asserts what uvicorn really sends: ``400`` with ``Invalid HTTP request
received.``.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from _ports import free_port, wait_for_port
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

HERE = Path(__file__).resolve().parent
SECRET = b"SENTINEL-secret-7f3a91"
PRIVATE = b"SENTINEL-private-c42e"
HELLO = b"hello from static\n"
BIG = bytes(range(256)) * (8 * 4096)  # 8 MiB, more than any socket buffer holds
UVICORN_400 = b"Invalid HTTP request received."
BOUNDARY = "XyZzy"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
URLENCODED = "application/x-www-form-urlencoded"
RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST, as a vanished client
SETTLE_SECONDS = 10.0  # how long a case may take to release its request and descriptors


# --- the server -------------------------------------------------------------------------------


@dataclass
class Server:
    """``bad_input_server.py`` running on ``port``, serving ``site``."""

    port: int
    site: Path
    process: subprocess.Popen[bytes]
    baseline_fds: int = 0
    tree: dict[str, object] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def probe(self) -> dict[str, Any]:
        report: dict[str, Any] = httpx.get(f"{self.base}/__probe__", timeout=10).json()
        return report

    def snapshot(self) -> dict[str, object]:
        """Every file of the site: size and modification time, and the secrets' content."""
        files: dict[str, object] = {
            str(path.relative_to(self.site)): (path.lstat().st_size, path.lstat().st_mtime_ns)
            for path in sorted(self.site.rglob("*"))
        }
        files["secret"] = (self.site / "secret.txt").read_bytes()
        files["private"] = (self.site / "static_private" / "secret.txt").read_bytes()
        return files


def make_site(root: Path) -> Path:
    site = root / "site"
    static = site / "static"
    (static / "sub").mkdir(parents=True)
    (site / "static_private").mkdir()
    (static / "hello.txt").write_bytes(HELLO)
    (static / "big.bin").write_bytes(BIG)
    (static / "sub" / "page.txt").write_bytes(b"sub page")
    (site / "secret.txt").write_bytes(SECRET)
    (site / "static_private" / "secret.txt").write_bytes(PRIVATE)
    (static / "link.txt").symlink_to(site / "secret.txt")  # a symlink out of the folder
    return site


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    site = make_site(tmp_path_factory.mktemp("bad-input"))
    port = free_port()
    command = [sys.executable, str(HERE / "bad_input_server.py"), str(site), str(port)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    try:
        wait_for_port(port, timeout=30)
        running = Server(port=port, site=site, process=process)
        httpx.get(f"{running.base}/", timeout=10)  # the first request imports what it needs
        running.baseline_fds = running.probe()["fds"]
        running.tree = running.snapshot()
        yield running
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- clients ----------------------------------------------------------------------------------


@dataclass
class Answer:
    """What came back: an HTTP status (``None``: the connection closed without an answer)
    or a WebSocket close code, headers and body."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    raw: bytes = b""


def parse(raw: bytes) -> Answer:
    if not raw:
        return Answer(None)
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        decoded = b""
        while body:
            size_text, _, rest = body.partition(b"\r\n")
            size = int(size_text, 16)
            if size == 0:
                break
            decoded += rest[:size]
            body = rest[size + 2 :]
        body = decoded
    return Answer(int(status_line.split()[1]), headers, body, raw)


def read_all(sock: socket.socket) -> bytes:
    received = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return received
        received += chunk


def exchange(server: Server, data: bytes, *, half_close: bool = False) -> Answer:
    """Send ``data`` as is on a new connection and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        return parse(read_all(sock))


def request(
    server: Server,
    target: bytes,
    *,
    method: bytes = b"GET",
    host: bytes = b"127.0.0.1",
    headers: bytes = b"",
    body: bytes = b"",
) -> Answer:
    length = b"Content-Length: %d\r\n" % len(body) if body else b""
    head = b"%s %s HTTP/1.1\r\nHost: %s\r\n%s%sConnection: close\r\n\r\n"
    return exchange(server, head % (method, target, host, headers, length) + body)


def http(server: Server, method: str, path: str, **kwargs: Any) -> Answer:
    with httpx.Client(base_url=server.base, timeout=30) as client:
        response = client.request(method, path, **kwargs)
        raw = response.content
        return Answer(response.status_code, dict(response.headers), raw, raw)


def url_seen(answer: Answer) -> dict[str, Any]:
    seen: dict[str, Any] = json.loads(answer.body)
    return seen


# --- bodies -----------------------------------------------------------------------------------


def part(name: str, value: str, filename: str | None = None, extra: str = "") -> str:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}{extra}\r\n\r\n{value}\r\n"


END = f"--{BOUNDARY}--\r\n"


def form(server: Server, body: str | bytes, content_type: str = MULTIPART) -> Answer:
    return http(server, "POST", "/form", content=body, headers={"content-type": content_type})


def asks(target: bytes, method: bytes = b"GET") -> Callable[[Server], Answer]:
    return lambda server: request(server, target, method=method)


def sends(data: bytes) -> Callable[[Server], Answer]:
    return lambda server: exchange(server, data)


def posts(body: str) -> Callable[[Server], Answer]:
    return lambda server: form(server, body)


def posts_json(body: bytes) -> Callable[[Server], Answer]:
    return lambda server: http(server, "POST", "/json", content=body)


# --- cases ------------------------------------------------------------------------------------


@dataclass
class Case:
    """One attack: ``attack`` sends it, ``status`` is the exact answer expected (an HTTP
    status, a WebSocket close code, or ``None`` for no answer: the client left first), and
    ``check`` looks at the rest of the answer."""

    id: str
    attack: Callable[[Server], Answer]
    status: int | None
    check: Callable[[Answer], object] = lambda answer: None


CASES: list[Case] = []


def case(
    id: str, status: int | None, check: Callable[[Answer], object] | None = None
) -> Callable[[Callable[[Server], Answer]], Callable[[Server], Answer]]:
    def register(attack: Callable[[Server], Answer]) -> Callable[[Server], Answer]:
        CASES.append(Case(id, attack, status, check or (lambda answer: None)))
        return attack

    return register


def body_is(expected: bytes) -> Callable[[Answer], None]:
    def check(answer: Answer) -> None:
        assert answer.body == expected

    return check


def body_starts(prefix: bytes) -> Callable[[Answer], None]:
    def check(answer: Answer) -> None:
        assert answer.body.startswith(prefix), answer.body[:200]

    return check


def json_is(expected: object) -> Callable[[Answer], None]:
    def check(answer: Answer) -> None:
        assert json.loads(answer.body) == expected

    return check


def url_from_the_server(answer: Answer) -> None:
    """The URL is the server's address and the path asked for, whatever ``Host`` said."""
    seen = url_seen(answer)
    port = seen["port"]
    assert seen["url"] == f"http://127.0.0.1:{port}/admin?q=1"
    assert (seen["hostname"], seen["path"], seen["query"]) == ("127.0.0.1", "/admin", "q=1")


def params_are(count: int) -> Callable[[Answer], None]:
    def check(answer: Answer) -> None:
        assert url_seen(answer)["params"] == count

    return check


# Starlette GHSA-86qp-5c8j-p5mr: request.url was built from the Host header as sent, so
# "Host: example.com/health?x=" made request.url.path "/health" on a request for /admin.
FORGED_HOSTS = [
    b"example.com/health?x=",
    b"example.com/health",
    b"example.com#/health",
    b"user@example.com",
    b"example.com?",
    b"example.com\\health",
    b"example.com:99999",
    b"example.com:80:80",
    b"[::1",
    b"exa mple.com",
    b"\xff\xfe.example.com",
]
for forged in FORGED_HOSTS:

    def forged_host(server: Server, host: bytes = forged) -> Answer:
        return request(server, b"/admin", host=host)

    def forged_host_url(server: Server, host: bytes = forged) -> Answer:
        return request(server, b"/admin?q=1", host=host, headers=b"X-Show-URL: 1\r\n")

    name = forged.decode("latin-1").encode("unicode_escape").decode()
    case(f"host-header-bypass[{name}]", 401, body_is(b"Unauthorized"))(forged_host)
    case(f"host-header-url[{name}]", 200, url_from_the_server)(forged_host_url)


# Starlette GHSA-jp82-jpqv-5vv3: a request target not starting with "/" ("@evil.com") became
# part of the authority of request.url.
for target, shown_path in [
    (b"@evil.com", "/@evil.com"),
    (b"@evil.com/admin", "/@evil.com/admin"),
    (b"evil.com:80/x", "/evil.com:80/x"),
    (b"//evil.com/x", "//evil.com/x"),
    (b"http://evil.com/x", "/http://evil.com/x"),
    (b"/x%3f/y%23z", "/x%3F/y%23z"),
]:

    def not_a_path(server: Server, target: bytes = target) -> Answer:
        return request(server, target, headers=b"X-Show-URL: 1\r\n")

    def shows(path: str) -> Callable[[Answer], None]:
        def check(answer: Answer) -> None:
            seen = url_seen(answer)
            assert (seen["hostname"], seen["path"], seen["query"]) == ("127.0.0.1", path, "")
            assert seen["url"] == f"http://127.0.0.1{path}"

        return check

    case(f"path-without-slash[{target.decode()}]", 200, shows(shown_path))(not_a_path)
    case(f"path-without-slash-routed[{target.decode()}]", 404, body_is(b"Not Found"))(asks(target))

# Starlette CVE-2023-29159 / CVE-2026-48818 and friends: StaticFiles traversal, encoded,
# backslash and UNC forms, absolute paths, NUL bytes, a sibling folder sharing the prefix,
# a symlink out of the folder, overlong UTF-8 and double encoding. Sent byte for byte.
TRAVERSALS = [
    b"/static/../secret.txt",
    b"/static/..%2fsecret.txt",
    b"/static/%2e%2e/secret.txt",
    b"/static/%2e%2e%2fsecret.txt",
    b"/static/sub/../../secret.txt",
    b"/static/sub/..%2f..%2fsecret.txt",
    b"/static/..\\secret.txt",
    b"/static/..%5csecret.txt",
    b"/static/sub%5c..%5c..%5csecret.txt",
    b"/static/\\\\evil.example\\share\\file",
    b"/static/%5c%5cevil.example%5cshare%5cfile",
    b"/static///evil.example/share/file",
    b"/static/C:%5cWindows%5cwin.ini",
    b"/static//etc/passwd",
    b"/static/%2fetc%2fpasswd",
    b"/static/hello.txt%00.png",
    b"/static/%00",
    b"/static/%252e%252e/secret.txt",
    b"/static/%c0%ae%c0%ae/secret.txt",
    b"/static/../static_private/secret.txt",
    b"/static/..%2fstatic_private%2fsecret.txt",
    b"/static/link.txt",
    b"/static/%ff%fe",
]
for target in TRAVERSALS:
    case(f"static-traversal[{target.decode()}]", 404, body_is(b"Not Found"))(asks(target))
case("static-file-still-served", 200, body_is(HELLO))(
    lambda server: request(server, b"/static/sub/../hello.txt")
)

# Starlette CVE-2023-30798: multipart floods of parts, fields and files.
case("multipart-field-flood", 400, body_is(b"Too many fields. Maximum number of fields is 20."))(
    lambda server: form(server, "".join(part(f"f{i}", "v") for i in range(5000)) + END)
)
case("multipart-file-flood", 400, body_is(b"Too many files. Maximum number of files is 5."))(
    lambda server: form(server, "".join(part(f"f{i}", "v", f"{i}.txt") for i in range(5000)) + END)
)
case(
    "multipart-empty-part-flood",
    400,
    body_is(b'The Content-Disposition header field "name" must be provided.'),
)(lambda server: form(server, f"--{BOUNDARY}\r\n\r\n\r\n" * 5000 + END))
# Starlette CVE-2024-47874: a field without filename was buffered whole in memory.
case("multipart-oversized-field", 400, body_is(b"Part exceeded maximum size of 1KB."))(
    lambda server: form(server, part("a", "x" * 2_000_000) + END)
)
case("multipart-oversized-file", 400, body_is(b"File 'big.bin' exceeded maximum size of 64KB."))(
    lambda server: form(server, part("a", "x" * 2_000_000, "big.bin") + END)
)
# Starlette GHSA-82w8-qh3p-5jfq: the limits were ignored for urlencoded bodies.
case("urlencoded-field-flood", 400, body_is(b"Too many fields. Maximum number of fields is 20."))(
    lambda server: form(server, "&".join(f"f{i}=v" for i in range(200_000)), URLENCODED)
)
case("urlencoded-oversized-field", 400, body_is(b"Field exceeded maximum size of 1KB."))(
    lambda server: form(server, "a=" + "x" * 3_000_000, URLENCODED)
)
case("urlencoded-empty-field-flood", 200, json_is({"a": "1"}))(
    lambda server: form(server, "&" * 3_000_000 + "a=1", URLENCODED)
)
# Starlette CVE-2025-62727: Range parsing that grew with the square of the ranges.
RANGES_1000 = ",".join(f"{i * 3}-{i * 3}" for i in range(1000))
RANGES_OVERLAP = ",".join("0-100" for _ in range(1500))
RANGES_SUFFIX = ",".join(f"-{i + 1}" for i in range(1500))
for name, path, spec in [
    ("file-1000-ranges", "/file", RANGES_1000),
    ("file-overlapping-ranges", "/file", RANGES_OVERLAP),
    ("static-1000-ranges", "/static/big.bin", RANGES_1000),
    ("static-suffix-ranges", "/static/big.bin", RANGES_SUFFIX),
]:

    def many_ranges(server: Server, path: str = path, spec: str = spec) -> Answer:
        return http(server, "GET", path, headers={"range": f"bytes={spec}"})

    case(f"range-{name}", 200, body_is(BIG))(many_ranges)  # over 100 ranges: ignored
case("range-empty", 400, body_is(b"Range header: range must be requested"))(
    lambda server: http(server, "GET", "/file", headers={"range": "bytes="})
)
case("range-reversed", 400, body_is(b"Range header: start must be less than end"))(
    lambda server: http(server, "GET", "/static/big.bin", headers={"range": "bytes=100-0"})
)


def past_end(answer: Answer) -> None:
    assert answer.headers["content-range"] == f"bytes */{len(BIG)}"


case("range-past-the-end", 416, past_end)(
    lambda server: http(server, "GET", "/file", headers={"range": f"bytes={len(BIG)}-"})
)
case("static-range-past-the-end", 416, past_end)(
    lambda server: http(server, "GET", "/static/big.bin", headers={"range": "bytes=99999999-"})
)
# Starlette GHSA-x746-7m8f-x49c: HTTPEndpoint looked up any method name as an attribute.
for method in [b"_DO_DELETE", b"INTERNAL", b"DISPATCH", b"METHOD_NOT_ALLOWED", b"__INIT__"]:

    def allow_get_head(answer: Answer) -> None:
        assert answer.headers["allow"] == "GET, HEAD"
        assert answer.body == b"Method Not Allowed"

    case(f"endpoint-method[{method.decode()}]", 405, allow_get_head)(
        asks(b"/things", method=method)
    )

# python-multipart CVE-2024-53981: CR/LF before the first boundary, data after the last.
case("multipart-preamble-flood", 200, json_is({"a": "1"}))(
    lambda server: form(server, "\r\n" * 1_500_000 + part("a", "1") + END)
)
case("multipart-epilogue-flood", 200, json_is({"a": "1"}))(
    lambda server: form(server, part("a", "1") + END + "x" * 3_000_000)
)
case("multipart-epilogue-crlf-flood", 200, json_is({"a": "1"}))(
    lambda server: form(server, part("a", "1") + END + "\r\n" * 1_500_000)
)
# python-multipart GHSA-pp6c-gr5w-3c5g: unbounded part headers.
case("multipart-header-count-flood", 400, body_is(b"Invalid multipart data."))(
    lambda server: form(
        server, f"--{BOUNDARY}\r\n" + "X-A: b\r\n" * 20_000 + part("a", "1")[len(BOUNDARY) + 4 :]
    )
)
case("multipart-huge-part-header", 400, body_is(b"Invalid multipart data."))(
    lambda server: form(server, f"--{BOUNDARY}\r\nX-A: " + "b" * 2_000_000 + "\r\n\r\n" + END)
)
case("multipart-unterminated-part-headers", 400, body_is(b"Invalid multipart data."))(
    lambda server: form(server, f"--{BOUNDARY}\r\n" + "X-A: b\r\n" * 200_000)
)
# python-multipart GHSA-5rvq-cxj2-64vf: ";" separators (quadratic there); only "&" here.
case("urlencoded-semicolon", 200, json_is({"a": "1;b=2"}))(
    lambda server: form(server, "a=1;b=2", URLENCODED)
)
case("urlencoded-semicolon-flood", 400, body_is(b"Field exceeded maximum size of 1KB."))(
    lambda server: form(server, "a;" * 1_500_000, URLENCODED)
)
# Quadratic query strings: as many parameters as uvicorn lets through, and ";" floods.
case("query-parameter-flood", 200, params_are(3000))(
    lambda server: request(server, b"/x?" + b"a=1&" * 3000, headers=b"X-Show-URL: 1\r\n")
)
case("query-semicolon-flood", 200, params_are(1))(
    lambda server: request(server, b"/x?" + b"a;" * 6000, headers=b"X-Show-URL: 1\r\n")
)
# python-multipart CVE-2024-24762: Content-Type options that made a regex backtrack.
BACKTRACK = '"' + "\\" * 5000
case("content-type-options-backtracking", 200, json_is({"a": "1"}))(
    lambda server: form(server, "a=1", f"{URLENCODED}; x={BACKTRACK}")
)
case("multipart-content-type-options-backtracking", 200, json_is({"a": "1"}))(
    lambda server: form(server, part("a", "1") + END, f"{MULTIPART}; x={BACKTRACK}")
)
case("multipart-missing-boundary", 400, body_is(b"Missing boundary in multipart."))(
    lambda server: form(server, part("a", "1") + END, "multipart/form-data")
)
case("multipart-boundary-too-long", 400, body_is(b"Invalid multipart data."))(
    lambda server: form(server, "x", "multipart/form-data; boundary=" + "b" * 100)
)
# python-multipart: a negative (or otherwise invalid) Content-Length. h11 refuses it.
for length in [b"-1", b"-99999999", b"abc", b"1e3", b"3, 4"]:
    case(f"content-length[{length.decode()}]", 400, body_is(UVICORN_400))(
        sends(
            b"POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: "
            + URLENCODED.encode()
            + b"\r\nContent-Length: "
            + length
            + b"\r\n\r\na=1",
        )
    )
# Huge Content-Length: 413 from the body limit before anything is read.
for target in [b"/form", b"/upload", b"/nowhere"]:
    case(f"huge-content-length[{target.decode()}]", 413, body_is(b"Content Too Large"))(
        sends(
            b"POST "
            + target
            + b" HTTP/1.1\r\nHost: x\r\nContent-Type: "
            + URLENCODED.encode()
            + b"\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\na=1",
        )
    )
case("streamed-body-over-limit", 413, body_is(b"Content Too Large"))(
    lambda server: http(server, "POST", "/upload", content=iter([b"x" * 65536] * 80))
)
# python-multipart CVE-2026-24486: a file name that climbs out of an upload folder. The
# name is reported as sent (as in Starlette); nothing is written anywhere near it.
for filename in ["../../secret.txt", "/etc/passwd", "..\\..\\secret.txt", "a\x00.txt"]:
    case(
        f"multipart-filename-traversal[{filename.encode('unicode_escape').decode()}]",
        200,
        json_is({"up": {"filename": filename, "size": 4}}),
    )(posts(part("up", "data", filename) + END))
# python-multipart GHSA-vffw-93wf-4j4q: RFC 2231/5987 parameters must not win (RFC 7578).
case("multipart-filename-star", 200, json_is({"up": {"filename": "safe.txt", "size": 4}}))(
    lambda server: form(server, part("up", "data", "safe.txt", "; filename*=utf-8''evil.php") + END)
)
case("multipart-name-star", 200, json_is({"comment": "data"}))(
    lambda server: form(server, part("comment", "data", None, "; name*=utf-8''role") + END)
)
case("multipart-filename-continuation", 200, json_is({"up": "data"}))(
    lambda server: form(
        server, part("up", "data", None, '; filename*0="ev"; filename*1="il"') + END
    )
)
case("multipart-filename-star-only", 200, json_is({"up": "data"}))(
    lambda server: form(server, part("up", "data", None, "; filename*=utf-8''..%2F..%2Fx") + END)
)

# Oversized headers and cookies: uvicorn refuses a head that does not fit 16 KiB before it
# ends; one that arrives whole is passed on, and the application copes with it.
for name, line in [
    ("header", b"X-Big: " + b"a" * 40_000),
    ("cookie", b"Cookie: " + b"; ".join(b"c%d=v" % i for i in range(8000))),
]:
    case(f"oversized-{name}-unterminated", 400, body_is(UVICORN_400))(
        sends(b"GET /headers HTTP/1.1\r\nHost: x\r\n" + line[:20_000])
    )
case("big-header-in-one-piece", 200, json_is({"count": 3, "cookies": 0, "x-name": None}))(
    lambda server: request(server, b"/headers", headers=b"X-Big: " + b"a" * 60_000 + b"\r\n")
)
case("cookie-flood", 200, json_is({"count": 3, "cookies": 5000, "x-name": None}))(
    lambda server: request(
        server,
        b"/headers",
        headers=b"Cookie: " + b"; ".join(b"c%d=v" % i for i in range(5000)) + b"\r\n",
    )
)
case("header-count-flood", 200, json_is({"count": 3002, "cookies": 0, "x-name": None}))(
    lambda server: request(
        server, b"/headers", headers=b"".join(b"X-%d: 1\r\n" % i for i in range(3000))
    )
)
# Invalid UTF-8: raw bytes are refused by h11; percent-encoded ones reach the application.
case("raw-invalid-utf8-path", 400, body_is(UVICORN_400))(
    lambda server: request(server, b"/static/\xff\xfe")
)
case("raw-invalid-utf8-query", 400, body_is(UVICORN_400))(
    lambda server: request(server, b"/x?q=\xff")
)
case("encoded-invalid-utf8-path", 404, body_is(b"Not Found"))(
    lambda server: request(server, b"/%ff%fe/%c3%28")
)
case("encoded-invalid-utf8-query", 200, params_are(2))(
    lambda server: request(server, b"/x?q=%ff%fe&%c3%28=1", headers=b"X-Show-URL: 1\r\n")
)
case(
    "invalid-utf8-header-and-cookie",
    200,
    json_is({"count": 4, "cookies": 1, "x-name": "\xff\xfe\xc3("}),
)(
    lambda server: request(
        server, b"/headers", headers=b"X-Name: \xff\xfe\xc3(\r\nCookie: a=\xff\r\n"
    )
)
case("control-character-in-header", 400, body_is(UVICORN_400))(
    lambda server: request(server, b"/headers", headers=b"X-Name: a\x00b\r\n")
)


# An {n:int} parameter longer than Python converts to an int (4300 digits): no match, 404.
case("int-parameter-fits", 200, body_is(b"item 4300"))(asks(b"/items/4300"))
case("int-parameter-too-long", 404, body_is(b"Not Found"))(asks(b"/items/" + b"9" * 5000))

# JSON bodies Python's parser cannot take are the client's error too (they were 500s).
JSON_ERROR = b"Invalid JSON in request body: "
for name, body, message in [
    ("not-json", b"{not json}", b"Expecting property name enclosed in double quotes"),
    ("invalid-utf8", b'"\xff\xfe"', b"Body is not valid UTF-8"),
    ("nested-arrays", b"[" * 200_000, b"Arrays or objects nested too deeply"),
    ("nested-objects", b'{"a":' * 200_000, b"Arrays or objects nested too deeply"),
    ("long-integer", b"1" * 100_000, b"Number with too many digits"),
]:
    case(f"json-{name}", 400, body_starts(JSON_ERROR + message))(posts_json(body))
case("json-deep-but-fine", 200, json_is({"type": "list"}))(posts_json(b"[" * 500 + b"]" * 500))


# Truncated bodies: the client stops early and half-closes; no answer, nothing left behind.
def truncated(path: bytes, content_type: bytes, sent: bytes) -> Callable[[Server], Answer]:
    def attack(server: Server) -> Answer:
        head = b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: 100000\r\n\r\n"
        return exchange(server, head % (path, content_type) + sent, half_close=True)

    return attack


case("truncated-upload", None)(truncated(b"/upload", b"text/plain", b"a" * 10))
case("truncated-urlencoded", None)(truncated(b"/form", URLENCODED.encode(), b"a=1&b="))
case("truncated-multipart", None)(
    truncated(b"/form", MULTIPART.encode(), (part("a", "1") + part("f", "x" * 500, "f")).encode())
)
case("truncated-multipart-closing-boundary", 200, json_is({"a": "1"}))(
    lambda server: form(server, part("a", "1") + f"--{BOUNDARY}\r\nContent-Disposition: form-")
)


def leave_mid_upload(path: bytes, body: bytes, declared: int) -> Callable[[Server], Answer]:
    """Send the head and ``body`` of a larger declared body, wait a moment, vanish (RST)."""

    def attack(server: Server) -> Answer:
        with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
            head = b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            sock.sendall(head % (path, MULTIPART.encode(), declared) + body)
            wait_until(server, lambda report: report["in_flight"] == 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
        return Answer(None)

    return attack


SPOOLED = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="f.bin"\r\n\r\n'
case("disconnect-mid-upload-in-memory", None)(
    leave_mid_upload(b"/form", (part("a", "1") + SPOOLED).encode() + b"z" * 30_000, 60_000)
)
case("disconnect-mid-upload-spooled-to-disk", None)(
    leave_mid_upload(b"/files", SPOOLED.encode() + b"z" * 1_500_000, 2_900_000)
)
case("disconnect-mid-stream-upload", None)(leave_mid_upload(b"/upload", b"z" * 100_000, 3_000_000))


def leave_mid_download(path: bytes) -> Callable[[Server], Answer]:
    def attack(server: Server) -> Answer:
        with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
            sock.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path)
            first = sock.recv(65536)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
        return parse(first.partition(b"\r\n\r\n")[0] + b"\r\n\r\n")

    return attack


for target in [b"/static/big.bin", b"/file", b"/stream"]:
    case(f"disconnect-mid-download[{target.decode()}]", 200)(leave_mid_download(target))


def slow_reader(server: Server) -> Answer:
    """A client that reads a big download a little at a time; others are served meanwhile."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(20)
        sock.connect(("127.0.0.1", server.port))
        sock.sendall(b"GET /static/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        first = sock.recv(1024)
        others = [http(server, "GET", "/").status for _ in range(5)]
        assert others == [200] * 5  # the server is not stuck behind the slow reader
        for _ in range(20):
            sock.recv(1024)
            time.sleep(0.01)
        return parse(first.partition(b"\r\n\r\n")[0] + b"\r\n\r\n")


case("slow-reader", 200)(slow_reader)


def websocket(path: str, *messages: str | bytes | list[str]) -> Callable[[Server], Answer]:
    """Send ``messages`` (a list is one fragmented message); the answer is the close code."""

    def attack(server: Server) -> Answer:
        with connect(f"ws://127.0.0.1:{server.port}{path}", max_size=None) as ws:
            for message in messages:
                ws.send(message)
            try:
                while True:
                    ws.recv(timeout=10)
            except ConnectionClosed as closed:
                frame = closed.rcvd
            if frame is None:
                return Answer(None)
            return Answer(frame.code, body=frame.reason.encode())

    return attack


TOO_BIG = b"Message too big: more than 1024 bytes."
case("websocket-text-over-limit", 1009, body_is(TOO_BIG))(websocket("/ws", "a" * 1025))
case("websocket-utf8-over-limit", 1009, body_is(TOO_BIG))(websocket("/ws", "é" * 513))
case("websocket-fragments-over-limit", 1009, body_is(TOO_BIG))(
    websocket("/ws", ["a" * 600, "b" * 600])
)
case("websocket-bytes-over-limit", 1009, body_is(TOO_BIG))(websocket("/ws-bytes", b"a" * 2000))
case("websocket-over-server-limit", 1009, body_is(b"frame exceeds limit of 65536 bytes"))(
    websocket("/ws", "a" * 70_000)
)
# JSON a WebSocketEndpoint cannot parse closes with 1003, however it is malformed.
for name, text in [
    ("not-json", "{nope"),
    ("nested-too-deeply", "[" * 60_000),
    ("too-many-digits", "9" * 5_000),
]:
    case(f"websocket-json-{name}", 1003, body_is(b""))(websocket("/ws-json", text))


# --- the suite --------------------------------------------------------------------------------


def wait_until(server: Server, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + SETTLE_SECONDS
    report = server.probe()
    while not done(report) and time.monotonic() < deadline:
        time.sleep(0.05)
        report = server.probe()
    return report


def test_every_case_has_its_own_id() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("attack", CASES, ids=[c.id for c in CASES])
def test_bad_input(server: Server, attack: Case) -> None:
    answer = attack.attack(server)

    assert answer.status == attack.status, answer.raw[:300]
    attack.check(answer)
    assert SECRET not in answer.raw
    assert PRIVATE not in answer.raw

    # the server still answers, nothing was opened outside static/, nothing hangs or leaks
    assert request(server, b"/").body == b"ok"
    report = wait_until(
        server,
        lambda report: report["in_flight"] == 0 and report["fds"] <= server.baseline_fds,
    )
    assert report["outside"] == []
    assert report["in_flight"] == 0
    assert report["fds"] <= server.baseline_fds
    assert server.snapshot() == server.tree
    assert server.process.poll() is None
