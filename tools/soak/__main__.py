"""Soak: many requests of every kind against uvicorn; errors and memory growth fail the run.

Usage (from the repository root):

    hatch run soak:run                              # 200,000 requests
    hatch run soak:run --requests 5000              # a short run (CI)
    hatch run soak:run --json soak.json             # also write the figures

The server (``tools/soak/server.py``, an ``asgi_framework.App`` on uvicorn) runs in a process
of its own. After a warm-up, the client sends the requests through ``--concurrency``
connections, mixed in a fixed rotation: plain text, JSON (POST and echo), a streamed
download, a static file, a multipart upload, a WebSocket session (three messages echoed) and
a Server-Sent Events feed; each answer is checked in full. It reports the throughput, the
errors, and the server's resident memory (RSS, from ``/proc``) at the start, after the
warm-up and at the end, and its open file descriptors.

The exit status is 1 when any request failed, when RSS grew by more than ``--max-growth-mib``
between the end of the warm-up and the end, or when file descriptors were left open.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import anyio
import httpx
from websockets.asyncio.client import connect

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tools/: shared helpers

from _ports import free_port, wait_for_port  # noqa: E402
from soak.server import SSE_EVENTS, STREAM_CHUNK, STREAM_CHUNKS  # noqa: E402

MIB = 1024 * 1024
#: the client is the busier side: uvloop where it is installed (uvicorn[standard])
LOOP = {"use_uvloop": importlib.util.find_spec("uvloop") is not None}
STATIC_FILE = bytes(range(256)) * 256  # 64 KiB
UPLOAD = os.urandom(32 * 1024)
#: one rotation of the mix: 40 requests
MIX = (
    ["plain"] * 12
    + ["json"] * 8
    + ["stream"] * 4
    + ["file"] * 6
    + ["upload"] * 4
    + ["websocket"] * 3
    + ["sse"] * 3
)


class Mismatch(Exception):
    """An answer that is not the one expected."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Mismatch(what)


async def plain(client: httpx.AsyncClient, port: int, number: int) -> None:
    response = await client.get("/")
    expect(response.status_code == 200 and response.text == "Hello, world!", "plain")


async def json_echo(client: httpx.AsyncClient, port: int, number: int) -> None:
    payload = {"n": number, "items": list(range(number % 20)), "name": "soak"}
    response = await client.post("/json", json=payload)
    expect(response.status_code == 200, f"json status {response.status_code}")
    expect(response.json() == {"echo": payload, "items": number % 20}, "json body")


async def stream(client: httpx.AsyncClient, port: int, number: int) -> None:
    size = 0
    async with client.stream("GET", "/stream") as response:
        expect(response.status_code == 200, f"stream status {response.status_code}")
        async for chunk in response.aiter_bytes():  # gzipped on the way: decoded here
            size += len(chunk)
    expect(size == STREAM_CHUNKS * len(STREAM_CHUNK), f"stream size {size}")


async def static_file(client: httpx.AsyncClient, port: int, number: int) -> None:
    if number % 3 == 0:  # one in three asks for a range
        response = await client.get("/static/data.bin", headers={"range": "bytes=100-4195"})
        expect(response.status_code == 206, f"range status {response.status_code}")
        expect(response.content == STATIC_FILE[100:4196], "range body")
        return
    response = await client.get("/static/data.bin")
    expect(response.status_code == 200 and response.content == STATIC_FILE, "file")


async def upload(client: httpx.AsyncClient, port: int, number: int) -> None:
    files = {"file": ("data.bin", UPLOAD, "application/octet-stream")}
    response = await client.post("/upload", data={"note": "x" * 100}, files=files)
    expect(response.status_code == 200, f"upload status {response.status_code}")
    expect(response.json() == {"note": 100, "file": len(UPLOAD)}, "upload body")


async def websocket(client: httpx.AsyncClient, port: int, number: int) -> None:
    async with connect(f"ws://127.0.0.1:{port}/ws") as ws:
        for index in range(3):
            message = f"message {number}.{index}"
            await ws.send(message)
            expect(await ws.recv() == message, "websocket echo")


async def sse(client: httpx.AsyncClient, port: int, number: int) -> None:
    async with client.stream("GET", "/events") as response:
        expect(response.status_code == 200, f"sse status {response.status_code}")
        received = [line[6:] async for line in response.aiter_lines() if line.startswith("data: ")]
    expect(received == [f"event {n}" for n in range(SSE_EVENTS)], "sse events")


KINDS: dict[str, Callable[[httpx.AsyncClient, int, int], Awaitable[None]]] = {
    "plain": plain,
    "json": json_echo,
    "stream": stream,
    "file": static_file,
    "upload": upload,
    "websocket": websocket,
    "sse": sse,
}


# --- the server process -----------------------------------------------------------------------


def proc_status(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {key} in /proc/{pid}/status")


def rss(pid: int) -> int:
    return proc_status(pid, "VmRSS")


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Run:
    """The requests sent so far, and what went wrong."""

    port: int
    pid: int
    concurrency: int
    sent: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    first_errors: list[str] = field(default_factory=list)

    async def batch(self, count: int, progress: Progress | None) -> float:
        """Send ``count`` more requests; the seconds it took."""
        end = self.sent + count
        started = time.perf_counter()

        async def worker() -> None:
            # a client (one keep-alive connection) per worker: no shared pool to contend for
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{self.port}",
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                timeout=30,
            ) as client:
                while self.sent < end:
                    number = self.sent
                    self.sent += 1
                    kind = MIX[number % len(MIX)]
                    try:
                        await KINDS[kind](client, self.port, number)
                    except Exception as exc:
                        self.errors[kind] += 1
                        if len(self.first_errors) < 10:
                            self.first_errors.append(f"{kind} #{number}: {exc!r}")
                    self.kinds[kind] += 1
                    if progress is not None:
                        progress.done += 1

        async with anyio.create_task_group() as group:
            if progress is not None:
                group.start_soon(progress.watch, self)
            for _ in range(self.concurrency):
                group.start_soon(worker)
        return time.perf_counter() - started


class Progress:
    """A progress bar on stderr (a line per tenth when stderr is not a terminal), and the
    server's RSS sampled every twentieth of the run."""

    def __init__(self, total: int, pid: int) -> None:
        self.total = total
        self.pid = pid
        self.done = 0
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.shown_tenth = -1
        self.rss_samples: list[int] = []

    async def watch(self, run: Run) -> None:
        while self.done < self.total:
            self.show(run)
            await anyio.sleep(0.25)
        self.show(run)

    def show(self, run: Run) -> None:
        done = self.done
        current = rss(self.pid)
        if done * 20 // self.total >= len(self.rss_samples):
            self.rss_samples.append(current)
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        width = 30
        filled = width * done // self.total
        line = (
            f"[{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{self.total:,}"
            f"  {done / elapsed:>7,.0f} req/s  errors {sum(run.errors.values())}"
            f"  server RSS {current / MIB:.1f} MiB"
        )
        if self.tty:
            print("\r" + line, end="" if done < self.total else "\n", file=sys.stderr, flush=True)
            return
        tenth = done * 10 // self.total
        if tenth != self.shown_tenth:
            self.shown_tenth = tenth
            print(line, file=sys.stderr, flush=True)


def settle(pid: int, fds_before: int) -> int:
    """The server's open descriptors once the client's connections are closed (up to 5 s)."""
    deadline = time.monotonic() + 5
    fds = open_fds(pid)
    while fds > fds_before and time.monotonic() < deadline:
        time.sleep(0.05)
        fds = open_fds(pid)
    return fds


def soak(args: argparse.Namespace) -> dict[str, Any]:
    with TemporaryDirectory(prefix="soak-") as folder:
        (Path(folder) / "data.bin").write_bytes(STATIC_FILE)
        port = args.port or free_port()
        command = [sys.executable, str(HERE / "server.py"), str(port), folder]
        process = subprocess.Popen(command)
        try:
            wait_for_port(port, timeout=30)
            run = Run(port=port, pid=process.pid, concurrency=args.concurrency)
            rss_start = rss(process.pid)
            fds_start = open_fds(process.pid)
            warmup = anyio.run(
                run.batch, args.warmup, None, backend="asyncio", backend_options=LOOP
            )
            fds_warm = settle(process.pid, fds_start)
            rss_warm = rss(process.pid)
            run.kinds.clear()  # the mix of the measured requests (errors keep the warm-up's)
            progress = Progress(args.requests, process.pid)
            elapsed = anyio.run(
                run.batch, args.requests, progress, backend="asyncio", backend_options=LOOP
            )
            fds_end = settle(process.pid, fds_warm)
            time.sleep(0.5)
            rss_end = rss(process.pid)
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with status {process.returncode}")
        finally:
            process.terminate()
            process.wait(timeout=10)
    growth = rss_end - rss_warm
    return {
        "requests": args.requests,
        "warmup_requests": args.warmup,
        "concurrency": args.concurrency,
        "seconds": round(elapsed, 2),
        "warmup_seconds": round(warmup, 2),
        "requests_per_second": round(args.requests / elapsed, 1),
        "errors": sum(run.errors.values()),
        "errors_by_kind": dict(run.errors),
        "first_errors": run.first_errors,
        "kinds": dict(sorted(run.kinds.items())),
        "rss_start_mib": round(rss_start / MIB, 2),
        "rss_after_warmup_mib": round(rss_warm / MIB, 2),
        "rss_end_mib": round(rss_end / MIB, 2),
        "rss_max_mib": round(max([*progress.rss_samples, rss_end]) / MIB, 2),
        "rss_samples_mib": [round(sample / MIB, 1) for sample in progress.rss_samples],
        "rss_growth_mib": round(growth / MIB, 2),
        "max_growth_mib": args.max_growth_mib,
        "fds_start": fds_start,
        "fds_after_warmup": fds_warm,
        "fds_end": fds_end,
        "python": sys.version.split()[0],
    }


def report(result: dict[str, Any]) -> str:
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in result["kinds"].items())
    lines = [
        (
            f"requests      {result['requests']:,} after {result['warmup_requests']:,} to warm"
            f" up, {result['concurrency']} connections ({kinds})"
        ),
        (
            f"throughput    {result['requests_per_second']:,.0f} requests/s"
            f" ({result['seconds']:.1f} s)"
        ),
        f"errors        {result['errors']}",
        (
            f"server RSS    {result['rss_start_mib']:.1f} MiB at the start,"
            f" {result['rss_after_warmup_mib']:.1f} MiB after the warm-up,"
            f" {result['rss_end_mib']:.1f} MiB at the end (max {result['rss_max_mib']:.1f} MiB)"
        ),
        (
            f"RSS growth    {result['rss_growth_mib']:+.2f} MiB after the warm-up"
            f" (bound: {result['max_growth_mib']} MiB)"
        ),
        (
            f"open fds      {result['fds_start']} at the start, {result['fds_after_warmup']}"
            f" after the warm-up, {result['fds_end']} at the end"
        ),
    ]
    lines += [f"  {error}" for error in result["first_errors"]]
    return "\n".join(lines)


def failures(result: dict[str, Any]) -> list[str]:
    problems = []
    if result["errors"]:
        problems.append(f"{result['errors']} requests failed")
    if result["rss_growth_mib"] > result["max_growth_mib"]:
        problems.append(
            f"server RSS grew by {result['rss_growth_mib']} MiB after the warm-up, more than"
            f" {result['max_growth_mib']} MiB"
        )
    if result["fds_end"] > result["fds_after_warmup"]:
        problems.append(
            f"{result['fds_end'] - result['fds_after_warmup']} file descriptors left open"
        )
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200_000, help="default 200,000")
    parser.add_argument(
        "--warmup", type=int, default=None, help="default: a tenth of --requests, at most 20,000"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="connections (default 16)")
    parser.add_argument(
        "--max-growth-mib",
        type=float,
        default=8.0,
        help="largest RSS growth accepted after the warm-up (default 8 MiB)",
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1:
        parser.error("--requests and --concurrency must be at least 1")
    if args.warmup is None:
        args.warmup = min(args.requests // 10, 20_000) or 1
    result = soak(args)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    problems = failures(result)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
