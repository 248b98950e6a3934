"""In-process driver: call each app directly with a synthetic scope (no server, no sockets)."""

from __future__ import annotations

import gc
import hashlib
import statistics
import time
import tracemalloc
from typing import Any

import anyio
from scenarios import Scenario

from asgi_core.types import ASGIApp, Message, Scope


def make_scope(scenario: Scenario) -> Scope:
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
        "headers": [*scenario.headers, (b"content-length", str(len(scenario.body)).encode())],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "state": {},
    }


async def call_once(app: ASGIApp, scenario: Scenario) -> tuple[int, str]:
    """Run one request; return its status and a digest of its body (to compare variants)."""
    status = 0
    body = bytearray()

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        body.extend(message.get("body", b""))

    await app(make_scope(scenario), make_receive(scenario), send)
    data = bytes(body)
    if scenario.normalise is not None:
        data = scenario.normalise(data)
    return status, hashlib.sha256(data).hexdigest()


def make_receive(scenario: Scenario) -> Any:
    """A ``receive`` that delivers the body once, then waits, as a server's does."""
    body_message = {"type": "http.request", "body": scenario.body, "more_body": False}
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            await anyio.sleep_forever()
        delivered = True
        return body_message

    return receive


async def time_calls(app: ASGIApp, scenario: Scenario, calls: int) -> float:
    """Seconds taken by ``calls`` requests (a fresh scope and receive each, as a server has)."""

    async def send(message: Message) -> None:
        return None

    requests = [(make_scope(scenario), make_receive(scenario)) for _ in range(calls)]
    gc.collect()
    started = time.perf_counter()
    for scope, receive in requests:
        await app(scope, receive, send)
    return time.perf_counter() - started


async def measure(scenario: Scenario, rounds: int, seconds: float) -> dict[str, dict[str, Any]]:
    """Requests per second of each variant: ``{"ours": {"best": .., "median": ..}, ...}``."""
    reference = None
    for variant, app in scenario.apps.items():
        sent = await call_once(app, scenario)
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
                [await time_calls(app, scenario, calls) for app in scenario.apps.values()]
            )
            if slowest >= seconds / 4 or calls >= 1_000_000:
                break
            calls *= 2
        calls = max(200, int(calls * seconds / max(slowest, 1e-9)))
    samples: dict[str, list[float]] = {variant: [] for variant in scenario.apps}
    for _ in range(rounds):  # interleaved, so machine noise hits every variant alike
        for variant, app in scenario.apps.items():
            samples[variant].append(calls / await time_calls(app, scenario, calls))
    results: dict[str, dict[str, Any]] = {
        variant: {"best": max(values), "median": statistics.median(values), "calls": calls}
        for variant, values in samples.items()
    }
    if scenario.measure_memory:
        for variant, app in scenario.apps.items():
            tracemalloc.start()
            await call_once(app, scenario)
            results[variant]["peak_memory"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return results


def run(
    scenarios: list[Scenario], rounds: int, seconds: float
) -> dict[str, dict[str, dict[str, Any]]]:
    async def main() -> dict[str, dict[str, dict[str, Any]]]:
        return {scenario.name: await measure(scenario, rounds, seconds) for scenario in scenarios}

    return anyio.run(main, backend="asyncio")
