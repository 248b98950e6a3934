"""End-to-end driver: uvicorn on loopback, wrk as the load generator, one variant at a time."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
import inprocess
from _ports import free_port, wait_for_port
from scenarios import Scenario

HERE = Path(__file__).resolve().parent


def lua_script(scenario: Scenario, variant: str = "") -> str:
    lines = [f'wrk.method = "{scenario.method}"']
    for key, value in scenario.headers_for(variant):
        if key in (b"host", b"connection"):
            continue
        lines.append(f'wrk.headers["{key.decode()}"] = "{value.decode()}"')
    if scenario.body:
        lines.append(f"wrk.body = [==[{scenario.body.decode()}]==]")  # a Lua long string
    return "\n".join(lines) + "\n"


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def requests_per_second(scenario: Scenario, variant: str, seconds: int, connections: int) -> float:
    port = free_port()
    env = {**os.environ, "BENCH_APP": f"{scenario.name}:{variant}"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(HERE),
            "serve_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "error",
            "--no-access-log",
            "--loop",
            "auto",
            "--http",
            "auto",
        ],
        env=env,
    )
    try:
        wait_for_port(port, timeout=15.0)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(lua_script(scenario, variant))
        url = f"http://127.0.0.1:{port}{scenario.path}" + (
            f"?{scenario.query.decode()}" if scenario.query else ""
        )
        # warm up, then measure
        subprocess.run(
            ["wrk", "-t1", f"-c{connections}", "-d1s", "-s", script.name, url],
            check=True,
            capture_output=True,
        )
        result = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url],
            check=True,
            capture_output=True,
            text=True,
        )
        os.unlink(script.name)
        if "Non-2xx" in result.stdout and scenario.status < 300:
            raise SystemExit(
                f"{scenario.name}:{variant} answered errors under load:\n{result.stdout}"
            )
        match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        if match is None:
            raise SystemExit(f"could not read wrk output:\n{result.stdout}")
        return float(match[1])
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(
    scenarios: list[Scenario], rounds: int, seconds: int, connections: int
) -> dict[str, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for index, scenario in enumerate(scenarios, 1):
        if scenario.session_cookie is not None:
            anyio.run(inprocess.prepare_started, scenario)  # the cookies each app signs
        samples: dict[str, list[float]] = {variant: [] for variant in scenario.apps}
        variants = list(scenario.apps)
        for round_ in range(rounds):
            # rotated, so that no variant is always the first after the previous scenario
            shift = round_ % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                samples[variant].append(
                    requests_per_second(scenario, variant, seconds, connections)
                )
        results[scenario.name] = {
            variant: {"best": max(values), "median": statistics.median(values), "samples": values}
            for variant, values in samples.items()
        }
        rates = ", ".join(
            f"{variant} {result['median']:,.0f}/s"
            for variant, result in results[scenario.name].items()
        )
        print(f"[e2e {index}/{len(scenarios)}] {scenario.name}: {rates}", flush=True)
    return results
