"""In-process driver: call each app directly with a synthetic scope (no server, no sockets)."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import statistics
import time
import tracemalloc
from collections.abc import AsyncIterator
from typing import Any

import anyio
from peer_common import WS_MESSAGES
from scenarios import Scenario

from asgi_core.types import ASGIApp, Message, Receive, Scope, Send


def make_scope(scenario: Scenario, variant: str = "") -> Scope:
    headers = scenario.headers_for(variant)
    if scenario.kind == "websocket":
        return {
            "type": "websocket",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "scheme": "ws",
            "path": scenario.path,
            "raw_path": scenario.path.encode(),
            "query_string": scenario.query,
            "root_path": "",
            "headers": [
                *headers,
                (b"upgrade", b"websocket"),
                (b"sec-websocket-version", b"13"),
                (b"sec-websocket-key", b"dGhlIHNhbXBsZSBub25jZQ=="),
            ],
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 50000),
            "subprotocols": [],
            "state": {},
        }
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": scenario.method,
        "scheme": "http",
        "path": scenario.path,
        "raw_path": scenario.path.encode(),
        "query_string": scenario.query,
        "root_path": "",
        "headers": [*headers, (b"content-length", str(len(scenario.body)).encode())],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "state": {},
    }


def _messages(scenario: Scenario) -> list[Message]:
    """What ``receive`` delivers, in order (then it waits, as a server's does)."""
    if scenario.kind == "websocket":
        return [
            {"type": "websocket.connect"},
            *({"type": "websocket.receive", "text": text} for text in WS_MESSAGES),
            {"type": "websocket.disconnect", "code": 1000, "reason": ""},
        ]
    body, size = scenario.body, scenario.chunk_size
    if not size or len(body) <= size:
        return [{"type": "http.request", "body": body, "more_body": False}]
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]


async def call_once(app: ASGIApp, scenario: Scenario, variant: str = "") -> tuple[int, str]:
    """Run one request; return its status and a digest of its body (to compare variants)."""
    status = 0
    body = bytearray()

    async def send(message: Message) -> None:
        nonlocal status
        kind = message["type"]
        if kind == "http.response.start":
            status = message["status"]
        elif kind == "websocket.accept":
            status = 101
        elif kind == "websocket.send":
            body.extend(message.get("text", "").encode() + b"\n")
        body.extend(message.get("body", b""))

    exchange = Exchange(scenario, send)
    await app(make_scope(scenario, variant), exchange.receive, exchange.send)
    data = bytes(body)
    if scenario.normalise is not None:
        data = scenario.normalise(data)
    return status, hashlib.sha256(data).hexdigest()


class Exchange:
    """One request's ``receive`` and ``send``, as a server such as uvicorn gives them.

    ``receive`` delivers the request's messages, then waits until the response is complete
    and answers ``http.disconnect`` (frameworks that listen for a disconnect while they stream
    end that way); ``send`` drops what it is given and notes when the response is complete.
    """

    __slots__ = ("_event", "_messages", "complete", "on_message")

    def __init__(self, scenario: Scenario, on_message: Any = None) -> None:
        self._messages = iter(_messages(scenario))
        self._event: anyio.Event | None = None
        self.complete = False
        self.on_message = on_message

    async def receive(self) -> Message:
        for message in self._messages:
            return message
        if not self.complete:
            self._event = anyio.Event()
            await self._event.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.on_message is not None:
            await self.on_message(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.complete = True
            if self._event is not None:
                self._event.set()


def make_receive(scenario: Scenario) -> Any:
    """A ``receive`` that delivers the messages once, then waits, as a server's does."""
    return Exchange(scenario).receive


async def prepare(scenario: Scenario) -> None:
    """Fetch each variant's session cookie (a first request without one), once."""
    if scenario.session_cookie is None or scenario.variant_headers:
        return
    prefix = scenario.session_cookie.encode() + b"="
    for variant, app in scenario.apps.items():
        cookie = None

        async def send(message: Message) -> None:
            nonlocal cookie
            if message["type"] == "http.response.start":
                for key, value in message["headers"]:
                    if key.lower() == b"set-cookie" and value.startswith(prefix):
                        cookie = value.split(b";")[0]

        exchange = Exchange(scenario, send)
        await app(make_scope(scenario, variant), exchange.receive, exchange.send)
        if cookie is None:
            raise SystemExit(f"{scenario.name}: {variant} set no {prefix.decode()} cookie")
        scenario.variant_headers[variant] = [(b"cookie", cookie)]


async def prepare_started(scenario: Scenario) -> None:
    """:func:`prepare`, with the applications started."""
    async with lifespans(scenario):
        await prepare(scenario)


async def time_calls(app: ASGIApp, scenario: Scenario, calls: int, variant: str = "") -> float:
    """CPU seconds taken by ``calls`` requests (a fresh scope and receive each, as a server
    has)."""

    requests = [(make_scope(scenario, variant), Exchange(scenario)) for _ in range(calls)]
    gc.collect()
    pop = requests.pop
    # the CPU time of this process (all its threads), not the wall clock: other processes
    # on a loaded machine then slow the measurement down without changing its result
    started = time.process_time()
    # each request is dropped once answered, as a server drops it: kept, the scopes and what
    # the apps leave in them would pile up and make the garbage collector's full passes
    # (whose cost grows with every live object) dominate the measurement
    while requests:
        scope, exchange = pop()
        await app(scope, exchange.receive, exchange.send)
    return time.process_time() - started


async def _serve(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    await app(scope, receive, send)


@contextlib.asynccontextmanager
async def lifespans(scenario: Scenario) -> AsyncIterator[None]:
    """Run each variant's lifespan start-up (when the scenario asks), and shut down after."""
    if not scenario.lifespan:
        yield
        return
    async with anyio.create_task_group() as group:
        stops = []
        for variant, app in scenario.apps.items():
            if variant == "raw":
                continue
            to_app, app_inbox = anyio.create_memory_object_stream[Message](2)
            to_us, our_inbox = anyio.create_memory_object_stream[Message](2)
            scope: Scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
            group.start_soon(_serve, app, scope, app_inbox.receive, to_us.send)
            await to_app.send({"type": "lifespan.startup"})
            answer = await our_inbox.receive()
            if answer["type"] != "lifespan.startup.complete":
                raise SystemExit(f"{scenario.name}: {variant} failed to start: {answer}")
            stops.append((to_app, our_inbox))
        try:
            yield
        finally:
            for to_app, our_inbox in stops:
                await to_app.send({"type": "lifespan.shutdown"})
                await our_inbox.receive()


async def measure(scenario: Scenario, rounds: int, seconds: float) -> dict[str, dict[str, Any]]:
    """Requests per second of each variant: ``{"ours": {"best": .., "median": ..}, ...}``."""
    async with lifespans(scenario):
        return await _measure(scenario, rounds, seconds)


async def _measure(scenario: Scenario, rounds: int, seconds: float) -> dict[str, dict[str, Any]]:
    await prepare(scenario)
    reference = None
    for variant, app in scenario.apps.items():
        sent = await call_once(app, scenario, variant)
        if sent[0] != scenario.status:
            raise SystemExit(
                f"{scenario.name}: {variant} answered {sent[0]}, not {scenario.status}"
            )
        if reference is None:
            reference = sent
        elif sent != reference:
            raise SystemExit(
                f"{scenario.name}: {variant} answers differently:\n{sent}\n!=\n{reference}"
            )
    if scenario.calls is not None:
        calls = scenario.calls
    else:  # calibrate a batch size that takes about `seconds` for the slowest variant
        calls = 200
        while True:
            slowest = max(
                [
                    await time_calls(app, scenario, calls, variant)
                    for variant, app in scenario.apps.items()
                ]
            )
            if slowest >= seconds / 4 or calls >= 1_000_000:
                break
            calls *= 2
        calls = max(200, int(calls * seconds / max(slowest, 1e-9)))
    samples: dict[str, list[float]] = {variant: [] for variant in scenario.apps}
    order = list(scenario.apps.items())
    for round_ in range(rounds):  # interleaved, so machine noise hits every variant alike
        # and rotated, so that no variant always runs right after the same one
        shift = round_ % len(order)
        for variant, app in order[shift:] + order[:shift]:
            samples[variant].append(calls / await time_calls(app, scenario, calls, variant))
    results: dict[str, dict[str, Any]] = {
        variant: {
            "best": max(values),
            "median": statistics.median(values),
            "calls": calls,
            "samples": values,
        }
        for variant, values in samples.items()
    }
    if scenario.measure_memory:
        for variant, app in scenario.apps.items():
            exchange = Exchange(scenario)  # drops the body: only the app's memory counts
            tracemalloc.start()
            await app(make_scope(scenario, variant), exchange.receive, exchange.send)
            results[variant]["peak_memory"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return results


def progress_line(index: int, total: int, name: str, results: dict[str, Any], took: float) -> str:
    rates = ", ".join(f"{variant} {_short(r['median'])}/s" for variant, r in results.items())
    return f"[{index}/{total}] {name}: {rates} ({took:.1f} s)"


def _short(rate: float) -> str:
    return f"{rate / 1000:.1f}k" if rate >= 1000 else f"{rate:.0f}"


def run(
    scenarios: list[Scenario], rounds: int, seconds: float
) -> dict[str, dict[str, dict[str, Any]]]:
    async def main() -> dict[str, dict[str, dict[str, Any]]]:
        results = {}
        for index, scenario in enumerate(scenarios, 1):
            started = time.perf_counter()
            results[scenario.name] = result = await measure(scenario, rounds, seconds)
            took = time.perf_counter() - started
            print(progress_line(index, len(scenarios), scenario.name, result, took), flush=True)
        return results

    return anyio.run(main, backend="asyncio")
