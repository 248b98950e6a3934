"""Every real server, real clients: the demo and a feature app (servers_app.py) over TCP.

Each server kind of ``tools/_servers.py`` (uvicorn with h11 and with httptools, hypercorn
with its asyncio and trio workers, granian) serves ``servers_app:app`` in a process of its
own, once for this module. httpx talks HTTP/1.1 to it (keep-alive, chunked uploads,
streaming downloads, ranges, gzip/br/zstd, Server-Sent Events), the ``websockets`` library
talks WebSocket (subprotocols, close codes both ways, denial responses, messages of
megabytes), and a raw socket sends a malformed request. After each test the server's
output must hold no traceback.

A FastAPI app with our session and compression middleware and our ``StaticFiles`` runs on
each server too.

The other real-server tests (test_*_on_real_servers.py, test_staticfiles_servers.py, the
demo's) run each package's details on uvicorn and hypercorn-trio; this module is the
breadth: the same behaviour from every server.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _servers import SERVERS, Server, serving
from websockets.exceptions import ConnectionClosedError, InvalidStatus
from websockets.sync.client import connect

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STATIC = ROOT / "examples" / "demo" / "static"

# servers_app's constants (a module of this folder, imported by the servers, not by pytest)
STREAM_CHUNK = 64 * 1024
STREAM_CHUNKS = 48
FILE_DATA = bytes(range(256)) * (100_000 // 256) + bytes(100_000 % 256)
DENIAL = "No WebSocket for you."

#: What the application hears of a client's close (code 4002, a reason) where the server does
#: not pass both on: hypercorn 0.18 reports every close by a client as 1006 (abnormal) with
#: no reason, granian passes the code but no reason.
CLIENT_CLOSES = {
    "hypercorn-asyncio": {"code": 1006, "reason": None},
    "hypercorn-trio": {"code": 1006, "reason": None},
    "granian": {"code": 4002, "reason": None},
}


@pytest.fixture(scope="module", params=SERVERS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    kind = str(request.param)
    env = {
        "DEMO_DATABASE": str(tmp_path_factory.mktemp(kind) / "demo.sqlite3"),
        "DEMO_SSE_PING": "0.2",
        "REDIS_URL": "",  # the demo on memory://, whatever the shell says
    }
    with serving(kind, "servers_app:app", cwd=ROOT, env=env, python_path=(HERE, ROOT)) as server:
        yield server


@pytest.fixture(autouse=True)
def no_traceback(server: Server) -> Iterator[None]:
    before = len(server.log())
    yield
    printed = server.log()[before:]
    assert "Traceback" not in printed, printed


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- HTTP


def test_keep_alive_reuses_one_connection(client: httpx.Client) -> None:
    answers = [client.get("/t/whoami").json() for _ in range(5)]
    assert {answer["http_version"] for answer in answers} == {"1.1"}
    assert len({answer["port"] for answer in answers}) == 1  # one TCP connection
    head = client.head("/t/text")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len("héllo".encode()))
    assert client.get("/t/text").text == "héllo"
    assert client.get("/t/whoami").json()["port"] == answers[0]["port"]


def test_chunked_upload(client: httpx.Client) -> None:
    pieces = [bytes([number]) * 50_000 for number in range(40)]  # 2 MB
    expected = {"size": 2_000_000, "sha256": sha256(b"".join(pieces))}
    streamed = client.post("/t/upload", content=iter(pieces)).json()
    assert streamed.items() >= {**expected, "transfer_encoding": "chunked"}.items()
    assert streamed["content_length"] is None
    assert streamed["chunks"] >= 1
    whole = client.post("/t/upload", content=b"".join(pieces)).json()
    assert whole.items() >= {**expected, "content_length": "2000000"}.items()
    assert whole["transfer_encoding"] is None
    empty = client.post("/t/upload", content=b"").json()
    assert (empty["size"], empty["chunks"]) == (0, 0)


def test_streaming_download(client: httpx.Client) -> None:
    digest = hashlib.sha256()
    size = 0
    with client.stream("GET", "/t/download") as response:
        assert response.status_code == 200
        assert response.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in response.headers
        for piece in response.iter_bytes():
            digest.update(piece)
            size += len(piece)
    expected = b"".join(bytes([number]) * STREAM_CHUNK for number in range(STREAM_CHUNKS))
    assert (size, digest.hexdigest()) == (len(expected), sha256(expected))


def test_ranges(client: httpx.Client) -> None:
    whole = client.get("/t/file")
    assert (whole.status_code, whole.headers["accept-ranges"]) == (200, "bytes")
    assert whole.content == FILE_DATA
    part = client.get("/t/file", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == "bytes 100-199/100000"
    assert part.content == FILE_DATA[100:200]
    tail = client.get("/t/file", headers={"Range": "bytes=-10"})
    assert (tail.status_code, tail.content) == (206, FILE_DATA[-10:])
    several = client.get("/t/file", headers={"Range": "bytes=0-9, 5000-5009"})
    assert several.status_code == 206
    (boundary,) = re.findall(
        r"multipart/byteranges; boundary=(\S+)", several.headers["content-type"]
    )
    parts = several.content.split(b"--" + boundary.encode())
    assert [p.split(b"\r\n\r\n", 1)[1][:10] for p in parts[1:-1]] == [
        FILE_DATA[0:10],
        FILE_DATA[5000:5010],
    ]
    assert b"Content-Range: bytes 5000-5009/100000" in parts[2]
    refused = client.get("/t/file", headers={"Range": "bytes=200000-"})
    assert (refused.status_code, refused.headers["content-range"]) == (416, "bytes */100000")


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_compression(client: httpx.Client, encoding: str) -> None:
    expected = {"items": [{"id": number, "name": f"item {number}"} for number in range(2000)]}
    plain = json.dumps(expected, separators=(",", ":")).encode()
    with client.stream("GET", "/t/document", headers={"Accept-Encoding": encoding}) as response:
        assert response.headers["content-encoding"] == encoding
        assert response.headers["vary"] == "Accept-Encoding"
        raw = b"".join(response.iter_raw())
    assert len(raw) < len(plain) // 4
    decoded = client.get("/t/document", headers={"Accept-Encoding": encoding})
    assert decoded.json() == expected  # httpx decodes each of the three
    identity = client.get("/t/document", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers
    assert identity.json() == expected


def test_server_sent_events(client: httpx.Client) -> None:
    with client.stream("GET", "/t/events?count=3") as response:
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        body = response.read().decode()
    assert body == "".join(f'id: {n}\nevent: tick\ndata: {{"n":{n}}}\n\n' for n in range(3))


def test_a_malformed_request_is_refused_and_the_server_goes_on(server: Server) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(b"NOT A REQUEST\x00\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert httpx.get(server.url + "/t/text").text == "héllo"


# --------------------------------------------------------------------------- WebSockets


def test_websocket_subprotocols(server: Server) -> None:
    url = server.ws_url + "/t/ws/echo"
    with connect(url, subprotocols=["chat.v1", "chat.v2"]) as websocket:  # type: ignore[list-item]
        assert websocket.subprotocol == "chat.v2"  # the server's preference wins
        websocket.send("hi")
        assert websocket.recv(timeout=10) == "hi"
    with connect(url, subprotocols=["chat.v1"]) as websocket:  # type: ignore[list-item]
        assert websocket.subprotocol == "chat.v1"
    with connect(url) as websocket:
        assert websocket.subprotocol is None


def test_websocket_close_codes_both_ways(server: Server, client: httpx.Client) -> None:
    url = server.ws_url + "/t/ws/echo"
    with connect(url) as websocket:
        websocket.send("close 4001 the server says bye")
        with pytest.raises(ConnectionClosedError) as closed:
            websocket.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4001, "the server says bye")
    with connect(url) as websocket:
        websocket.send("x")
        assert websocket.recv(timeout=10) == "x"
        websocket.close(code=4002, reason="the client says bye")
    expected = CLIENT_CLOSES.get(server.kind, {"code": 4002, "reason": "the client says bye"})
    deadline = time.monotonic() + 10  # the server may pass the close on a moment later
    while client.get("/t/closes").json()[-1:] != [expected]:
        assert time.monotonic() < deadline, client.get("/t/closes").json()
        time.sleep(0.02)


def test_websocket_denial_response(server: Server) -> None:
    with pytest.raises(InvalidStatus) as refused:
        with connect(server.ws_url + "/t/ws/deny"):
            pass  # pragma: no cover - refused
    response = refused.value.response  # every server has the denial-response extension
    assert (response.status_code, response.body) == (403, DENIAL.encode())
    assert response.headers["x-denied"] == "yes"


def test_websocket_big_messages(server: Server) -> None:
    binary = bytes(range(256)) * (4 * 1024 * 1024 // 256)  # 4 MiB
    text = "ü" * (1024 * 1024)  # 2 MiB of UTF-8
    with connect(server.ws_url + "/t/ws/echo", max_size=None) as websocket:
        websocket.send(binary)
        assert websocket.recv(timeout=30) == binary
        websocket.send(text)
        assert websocket.recv(timeout=30) == text


# --------------------------------------------------------------------------- FastAPI


def test_fastapi_with_our_middleware_and_static_files(server: Server, client: httpx.Client) -> None:
    assert [client.get("/f/visit").json() for _ in range(2)] == [{"visits": 1}, {"visits": 2}]
    cookie = client.cookies["session"]
    css = client.get("/f/static/demo.css", headers={"Accept-Encoding": "br"})
    assert (css.status_code, css.headers["content-encoding"]) == (200, "br")  # precompressed
    assert css.content == (STATIC / "demo.css").read_bytes()
    with client.stream("GET", "/f/document", headers={"Accept-Encoding": "zstd"}) as response:
        assert response.headers["content-encoding"] == "zstd"
        assert len(b"".join(response.iter_raw())) < 20_000
    headers = {"Cookie": f"session={cookie}"}  # the session reaches FastAPI's WebSocket too
    with connect(server.ws_url + "/f/ws", additional_headers=headers) as websocket:
        websocket.send("hi")
        assert websocket.recv(timeout=10) == "HI (after 2 visits)"


# --------------------------------------------------------------------------- the demo


def next_event(lines: Iterator[str]) -> dict[str, str]:
    """The fields of the next event of a ``text/event-stream`` (comments such as pings skipped)."""
    fields: dict[str, str] = {}
    for line in lines:
        if line.startswith(":"):
            continue
        if line:
            name, _, value = line.partition(": ")
            fields[name] = value
        elif fields:
            return fields
    raise AssertionError("the event stream ended")


def test_the_demo(server: Server, client: httpx.Client) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert "<h1>asgi-framework demo</h1>" in home.text
    css = client.get("/static/demo.css", headers={"Accept-Encoding": "br"})
    assert css.headers["content-encoding"] == "br"
    assert css.content == (STATIC / "demo.css").read_bytes()
    login = client.post("/login", data={"username": "ada", "password": "demo"})
    assert login.status_code == 303
    assert "<h1>Hello, ada</h1>" in client.get("/account").text
    assert client.get("/nowhere").status_code == 404
    with (
        connect(server.ws_url + "/ws/chat?name=bob") as bob,
        client.stream("GET", "/api/events") as feed,
    ):
        assert json.loads(bob.recv(timeout=10)) == {"from": "server", "text": "bob joined"}
        lines = feed.iter_lines()
        assert next(line for line in lines if line and line != ": ping") == ": connected"
        note = client.post("/api/notes", json={"title": server.kind, "body": "b"}).json()
        bob.send("hello")
        assert json.loads(bob.recv(timeout=10)) == {"from": "bob", "text": "hello"}
        fields = next_event(lines)
    data = json.dumps(note, separators=(",", ":"))
    assert fields == {"event": "note", "id": str(note["id"]), "data": data}
