"""Peak memory (RSS) of a server while a 1 GB file is uploaded to it and downloaded from it.

Usage: hatch run bench:python tools/bench/memory.py [--size-mb 1024] [--json FILE]

Each framework's app runs in uvicorn (one worker, a fresh process per transfer). The upload
is a multipart form (a field and the file, parsed with ``request.form()``, the file read
back in 1 MiB pieces); the download is a ``FileResponse``. The client streams both and
checks the byte count. Reported: the server's resident set size after start-up and its peak
(``VmHWM`` from /proc) once the transfer is over, in MiB. Linux only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tools/: shared helpers

from _ports import free_port, wait_for_port  # noqa: E402

BIG = os.path.join(tempfile.gettempdir(), "asgi-bench-memory.bin")
BOUNDARY = "----memoryboundary0123456789"
CHUNK = 1024 * 1024

APP_SOURCE = """
import os
BIG = os.environ["BENCH_BIG_FILE"]
if os.environ["BENCH_FRAMEWORK"] == "ours":
    from asgi_framework import App as Application
    from asgi_framework.responses import FileResponse, PlainTextResponse
    from asgi_framework.routing import Route
else:
    from starlette.applications import Starlette as Application
    from starlette.responses import FileResponse, PlainTextResponse
    from starlette.routing import Route


async def upload(request):
    size = 0
    async with request.form(max_part_size=1024 * 1024) as form:
        file = form["file"]
        while chunk := await file.read(1024 * 1024):
            size += len(chunk)
    return PlainTextResponse(str(size))


async def download(request):
    return FileResponse(BIG)


app = Application(routes=[Route("/upload", upload, methods=["POST"]), Route("/download", download)])
"""


def ensure_big_file(size: int) -> None:
    if not os.path.exists(BIG) or os.path.getsize(BIG) != size:
        block = os.urandom(CHUNK)
        with open(BIG, "wb") as file:
            for _ in range(size // CHUNK):
                file.write(block)


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident set size of ``pid`` in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def multipart_body(size: int) -> tuple[int, Iterator[bytes]]:
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\nbig\r\n'
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        with open(BIG, "rb") as file:
            while chunk := file.read(CHUNK):
                yield chunk
        yield tail

    return len(head) + size + len(tail), chunks()


def transfer(framework: str, kind: str, size: int) -> dict[str, float]:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "memory_app.py").write_text(APP_SOURCE)
        env = {**os.environ, "BENCH_BIG_FILE": BIG, "BENCH_FRAMEWORK": framework}
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "--app-dir", folder, "memory_app:app"),
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "error"),
            ],
            env=env,
        )
        try:
            wait_for_port(port, timeout=20.0)
            start_rss, _ = rss_mib(server.pid)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            if kind == "upload":
                length, body = multipart_body(size)
                connection.putrequest("POST", "/upload")
                connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
                connection.putheader("Content-Length", str(length))
                connection.endheaders()
                for chunk in body:
                    connection.send(chunk)
                response = connection.getresponse()
                received = int(response.read())
            else:
                connection.request("GET", "/download")
                response = connection.getresponse()
                received = 0
                while chunk := response.read(CHUNK):
                    received += len(chunk)
            if response.status != 200 or received != size:
                raise SystemExit(f"{framework} {kind}: status {response.status}, {received} bytes")
            _, peak = rss_mib(server.pid)
            return {"start_mib": start_rss, "peak_mib": peak}
        finally:
            server.terminate()
            server.wait(timeout=30)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size (default 1024)")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    args = parser.parse_args(argv)
    size = args.size_mb * CHUNK
    ensure_big_file(size)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for kind in ("upload", "download"):
        for framework in ("ours", "starlette"):
            result = transfer(framework, kind, size)
            results.setdefault(kind, {})[framework] = result
            print(
                f"{kind} of {args.size_mb} MiB, {framework}: RSS {result['start_mib']:.0f} MiB "
                f"after start-up, peak {result['peak_mib']:.0f} MiB",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
