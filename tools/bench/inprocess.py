"""In-process driver: call each app directly with a synthetic scope (no server, no sockets)."""

from __future__ import annotations

import gc
import statistics
import time
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


async def call_once(app: ASGIApp, scenario: Scenario) -> list[Message]:
    """Run one request and return every message the app sent."""
    sent: list[Message] = []
    body_message = {"type": "http.request", "body": scenario.body, "more_body": False}

    async def receive() -> Message:
        return body_message

    async def send(message: Message) -> None:
        sent.append(message)

    await app(make_scope(scenario), receive, send)
    return sent


async def time_calls(app: ASGIApp, scenario: Scenario, calls: int) -> float:
    """Seconds taken by ``calls`` requests (scope built fresh each time, as a server does)."""
    body_message = {"type": "http.request", "body": scenario.body, "more_body": False}

    async def receive() -> Message:
        return body_message

    async def send(message: Message) -> None:
        return None

    scopes = [make_scope(scenario) for _ in range(calls)]
    gc.collect()
    started = time.perf_counter()
    for scope in scopes:
        await app(scope, receive, send)
    return time.perf_counter() - started


async def measure(scenario: Scenario, rounds: int, seconds: float) -> dict[str, dict[str, Any]]:
    """Requests per second of each variant: ``{"ours": {"best": .., "median": ..}, ...}``."""
    reference = None
    for variant, app in scenario.apps.items():
        sent = await call_once(app, scenario)
        if reference is None:
            reference = sent
        elif sent != reference:
            raise SystemExit(
                f"{scenario.name}: {variant} answers differently:\n{sent}\n!=\n{reference}"
            )
    # calibrate a batch size that takes about `seconds` for the slowest variant
    calls = 200
    while True:
        slowest = max([await time_calls(app, scenario, calls) for app in scenario.apps.values()])
        if slowest >= seconds / 4 or calls >= 1_000_000:
            break
        calls *= 2
    calls = max(200, int(calls * seconds / max(slowest, 1e-9)))
    samples: dict[str, list[float]] = {variant: [] for variant in scenario.apps}
    for _ in range(rounds):  # interleaved, so machine noise hits every variant alike
        for variant, app in scenario.apps.items():
            samples[variant].append(calls / await time_calls(app, scenario, calls))
    return {
        variant: {"best": max(values), "median": statistics.median(values), "calls": calls}
        for variant, values in samples.items()
    }


def run(
    scenarios: list[Scenario], rounds: int, seconds: float
) -> dict[str, dict[str, dict[str, Any]]]:
    async def main() -> dict[str, dict[str, dict[str, Any]]]:
        return {scenario.name: await measure(scenario, rounds, seconds) for scenario in scenarios}

    return anyio.run(main, backend="asyncio")
