"""FastAPI on real Starlette vs FastAPI on asgi-framework, in process and end to end.

Usage (from the repository root):

    hatch run bench:fastapi            # in process
    hatch run bench:fastapi --e2e      # also end to end: uvicorn + wrk on loopback

Each variant runs in processes of its own (``--worker``): one with the real Starlette, one
where :func:`asgi_framework.install_as_starlette` ran before FastAPI was imported. Rounds
alternate between them; the best and the median of the rounds are reported, with the ratio
ours / Starlette (above 1.0: FastAPI is faster on asgi-framework). In process, a batch is
timed in the CPU time of its process, since the variants cannot share one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))  # tools/: shared helpers

from fastapi_scenarios import (  # noqa: E402 - found through the path set above
    SCENARIOS,
    FastAPIScenario,
    build_app,
    select_variant,
)

VARIANTS = ("starlette", "ours")


# --- a variant's process -----------------------------------------------------------------


def _scope(scenario: FastAPIScenario) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": scenario.method,
        "scheme": "http",
        "path": scenario.path,
        "raw_path": scenario.path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [*scenario.headers, (b"content-length", str(len(scenario.body)).encode())],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "state": {},
    }


def _receive(scenario: FastAPIScenario) -> Any:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            import anyio

            await anyio.sleep_forever()
        sent = True
        return {"type": "http.request", "body": scenario.body, "more_body": False}

    return receive


async def _answer(app: Any, scenario: FastAPIScenario) -> tuple[int, str]:
    status, body = 0, bytearray()

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        body.extend(message.get("body", b""))

    await app(_scope(scenario), _receive(scenario), send)
    return status, hashlib.sha256(bytes(body)).hexdigest()


async def _time(app: Any, scenario: FastAPIScenario, calls: int) -> float:
    async def send(message: dict[str, Any]) -> None:
        return None

    requests = [(_scope(scenario), _receive(scenario)) for _ in range(calls)]
    # CPU time of this process: the variants run in separate processes, one after the
    # other, so time other processes take from the machine must not count against either
    started = time.process_time()
    for scope, receive in requests:
        await app(scope, receive, send)
    return time.process_time() - started


async def _worker(seconds: float) -> dict[str, Any]:
    app = build_app()
    results: dict[str, Any] = {}
    for name, scenario in SCENARIOS.items():
        answer = await _answer(app, scenario)
        calls = 100
        while (took := await _time(app, scenario, calls)) < seconds / 4:
            calls *= 2
        calls = max(100, int(calls * seconds / took))
        rate = calls / await _time(app, scenario, calls)
        results[name] = {"answer": answer, "rate": rate}
    return results


def worker(variant: str, seconds: float) -> None:
    """Measure every scenario once in this process and print the rates as JSON."""
    select_variant(variant)
    import anyio

    print(json.dumps(anyio.run(_worker, seconds)))


# --- the driver --------------------------------------------------------------------------


def _run_worker(variant: str, seconds: float) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, __file__, "--worker", variant, "--seconds", str(seconds)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"the {variant} worker failed:\n{run.stderr}")
    result: dict[str, Any] = json.loads(run.stdout.splitlines()[-1])
    return result


def in_process(rounds: int, seconds: float) -> dict[str, dict[str, dict[str, float]]]:
    samples: dict[str, dict[str, list[float]]] = {
        name: {variant: [] for variant in VARIANTS} for name in SCENARIOS
    }
    for round_ in range(rounds):
        order = VARIANTS if round_ % 2 == 0 else VARIANTS[::-1]
        answers: dict[str, dict[str, Any]] = {}
        for variant in order:
            answers[variant] = _run_worker(variant, seconds)
        for name, scenario in SCENARIOS.items():
            theirs, ours = (answers[v][name]["answer"] for v in VARIANTS)
            if theirs != ours or theirs[0] != scenario.status:
                raise SystemExit(f"{name}: the variants answer differently: {theirs} {ours}")
            for variant in VARIANTS:
                samples[name][variant].append(answers[variant][name]["rate"])
        print(f"round {round_ + 1}/{rounds} done", flush=True)
    return _summary(samples)


def _summary(
    samples: dict[str, dict[str, list[float]]],
) -> dict[str, dict[str, dict[str, float]]]:
    return {
        name: {
            variant: {"best": max(values), "median": statistics.median(values)}
            for variant, values in variants.items()
        }
        for name, variants in samples.items()
    }


def _wrk_script(scenario: FastAPIScenario) -> str:
    lines = [f'wrk.method = "{scenario.method}"']
    for key, value in scenario.headers:
        if key not in (b"host", b"connection"):
            lines.append(f'wrk.headers["{key.decode()}"] = "{value.decode()}"')
    if scenario.body:
        lines.append(f"wrk.body = [==[{scenario.body.decode()}]==]")
    return "\n".join(lines) + "\n"


def _e2e_rate(scenario: FastAPIScenario, variant: str, seconds: int, connections: int) -> float:
    from _ports import free_port, wait_for_port

    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "fastapi_serve:app"),
            *("--host", "127.0.0.1", "--port", str(port)),
            *("--log-level", "error", "--no-access-log"),
        ],
        env={**os.environ, "BENCH_FASTAPI_VARIANT": variant},
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_wrk_script(scenario))
    try:
        wait_for_port(port, timeout=30.0)
        url = f"http://127.0.0.1:{port}{scenario.path}"
        wrk = ["wrk", "-t1", f"-c{connections}", "-s", script.name]
        subprocess.run([*wrk, "-d1s", url], check=True, capture_output=True)  # warm up
        result = subprocess.run(
            [*wrk, f"-d{seconds}s", url], check=True, capture_output=True, text=True
        )
        if "Non-2xx" in result.stdout and scenario.status < 300:
            raise SystemExit(f"{scenario.name}:{variant} answered errors:\n{result.stdout}")
        match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        if match is None:
            raise SystemExit(f"could not read wrk output:\n{result.stdout}")
        return float(match[1])
    finally:
        os.unlink(script.name)
        server.terminate()
        server.wait(timeout=10)


def end_to_end(
    rounds: int, seconds: int, connections: int
) -> dict[str, dict[str, dict[str, float]]]:
    samples: dict[str, dict[str, list[float]]] = {
        name: {variant: [] for variant in VARIANTS} for name in SCENARIOS
    }
    for name, scenario in SCENARIOS.items():
        for round_ in range(rounds):
            for variant in VARIANTS if round_ % 2 == 0 else VARIANTS[::-1]:
                rate = _e2e_rate(scenario, variant, seconds, connections)
                samples[name][variant].append(rate)
        print(f"{name} done", flush=True)
    return _summary(samples)


def table(title: str, results: dict[str, dict[str, dict[str, float]]], key: str) -> str:
    lines = [title, f"{'scenario':<22} {'ours/s':>10} {'starlette/s':>12} {'ours/starlette':>15}"]
    for name, variants in results.items():
        ours, theirs = variants["ours"][key], variants["starlette"][key]
        lines.append(f"{name:<22} {ours:>10,.0f} {theirs:>12,.0f} {ours / theirs:>14.2f}x")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench:fastapi", description=__doc__.split("\n")[0])
    parser.add_argument("--worker", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=5, help="rounds per variant (default 5)")
    parser.add_argument("--seconds", type=float, default=0.3, help="seconds per batch")
    parser.add_argument("--e2e", action="store_true", help="also end to end (uvicorn + wrk)")
    parser.add_argument("--e2e-seconds", type=int, default=5, help="wrk duration per run")
    parser.add_argument("--e2e-rounds", type=int, default=3, help="wrk runs per variant")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--json", type=Path, help="write all results to this file")
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.seconds)
        return 0
    for scenario in SCENARIOS.values():
        print(f"{scenario.name}: {scenario.description}")
    report: dict[str, Any] = {"in_process": in_process(args.rounds, args.seconds)}
    print(table("\nIn process (best of rounds)", report["in_process"], "best"))
    print(table("\nIn process (median of rounds)", report["in_process"], "median"))
    if args.e2e:
        report["end_to_end"] = end_to_end(args.e2e_rounds, args.e2e_seconds, args.connections)
        title = f"\nEnd to end (uvicorn + wrk, {args.connections} connections, best of runs)"
        print(table(title, report["end_to_end"], "best"))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
