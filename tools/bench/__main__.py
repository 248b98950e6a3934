"""Benchmark this framework against its peers and a hand-written ASGI app, in one run.

Usage (from the repository root):

    hatch run bench:run                      # issue 16's suite, in process (about 4 minutes)
    hatch run bench:run --e2e                # also end to end: uvicorn + wrk on loopback
    hatch run bench:run --suite classic      # the building blocks against Starlette
    hatch run bench:run -s plaintext -s json # only these scenarios
    hatch run bench:run --json results.json  # also write the numbers (chart.py draws them)

Prints a progress line per scenario, requests per second of every variant and, more
importantly, ratios: ours / each peer (above 1.0 means faster than the peer) and ours / raw
(how close to the hand-written floor). Absolute numbers depend on the machine and its load;
ratios measured in one run are comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # tools/: shared helpers

import e2e
import inprocess
from scenarios import SCENARIOS, ensure_big_file

#: the order of columns; ours first, then the floor, then the peers
VARIANT_ORDER = ["ours", "raw", "starlette", "fastapi", "litestar", "blacksheep"]


def _variants(results: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    seen = {variant for variants in results.values() for variant in variants}
    return [v for v in VARIANT_ORDER if v in seen] + sorted(seen - set(VARIANT_ORDER))


def table(title: str, results: dict[str, dict[str, dict[str, Any]]], key: str) -> str:
    """Requests per second of every variant, then the ratios ours / each other variant."""
    variants = _variants(results)
    others = [v for v in variants if v != "ours"]
    width = max([22, *(len(name) + 1 for name in results)])
    lines = [
        title,
        f"{'scenario':<{width}}"
        + "".join(f" {v + '/s':>12}" for v in variants)
        + "".join(f" {'ours/' + v:>16}" for v in others),
    ]
    for name, row in results.items():
        cells = [f"{name:<{width}}"]
        cells.extend(
            f" {row[variant][key]:>12,.0f}" if variant in row else f" {'-':>12}"
            for variant in variants
        )
        for variant in others:
            if variant in row and "ours" in row:
                cells.append(f" {row['ours'][key] / row[variant][key]:>15.2f}x")
            else:
                cells.append(f" {'-':>16}")
        lines.append("".join(cells))
    return "\n".join(lines)


def peer_versions() -> dict[str, str]:
    from importlib.metadata import version

    names = ["asgi-framework", "starlette", "fastapi", "litestar", "blacksheep", "uvicorn"]
    return {name: version(name) for name in names}


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-s", "--scenario", action="append", choices=sorted(SCENARIOS), help="run only these"
    )
    parser.add_argument(
        "--suite",
        choices=["peers", "classic", "all"],
        default="peers",
        help=(
            "peers (default): issue 16's whole applications against Starlette, FastAPI, "
            "Litestar, BlackSheep and a hand-written app; classic: the building blocks "
            "against Starlette; all: both"
        ),
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved rounds per variant (default 5)"
    )
    parser.add_argument(
        "--seconds", type=float, default=0.3, help="in-process seconds per batch (default 0.3)"
    )
    parser.add_argument(
        "--e2e", action="store_true", help="also run end to end with uvicorn and wrk"
    )
    parser.add_argument(
        "--e2e-seconds", type=int, default=5, help="wrk duration per run (default 5)"
    )
    parser.add_argument(
        "--e2e-rounds", type=int, default=3, help="wrk runs per variant (default 3)"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument(
        "--e2e-scenario",
        action="append",
        choices=sorted(SCENARIOS),
        help="run only these end to end (default: every selected one wrk can drive)",
    )
    parser.add_argument("--json", type=Path, help="write all results to this file")
    args = parser.parse_args(argv)
    if args.scenario:
        scenarios = [SCENARIOS[name] for name in args.scenario]
    else:
        scenarios = [s for s in SCENARIOS.values() if args.suite in ("all", s.suite)]
    if any(s.name == "file-100mb" for s in scenarios):
        ensure_big_file()

    versions = peer_versions()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        + ", ".join(f"{name} {version}" for name, version in versions.items())
    )
    print(f"load average before the run: {load_average()} ({os.cpu_count()} CPUs)", flush=True)
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "starlette": versions["starlette"],
        "versions": versions,
        "cpus": os.cpu_count(),
        "load_before": load_average(),
        "rounds": args.rounds,
    }
    results = inprocess.run(scenarios, args.rounds, args.seconds)
    report["in_process"] = results
    report["load_after_in_process"] = load_average()
    print(table("\nIn process (median of rounds; synthetic scope, no server)", results, "median"))
    print(table("\nIn process (best of rounds)", results, "best"))
    for name, variants in results.items():
        if "peak_memory" in variants["ours"]:
            peaks = ", ".join(f"{v} {variants[v]['peak_memory'] / 1024:,.0f} KiB" for v in variants)
            print(f"peak memory of one {name} request: {peaks}")
    if args.e2e:
        if not e2e.wrk_available():
            print("\nwrk is not installed: end-to-end run skipped (Debian: apt-get install wrk)")
        else:
            e2e_scenarios = [
                scenario
                for scenario in scenarios
                if scenario.e2e and (not args.e2e_scenario or scenario.name in args.e2e_scenario)
            ]
            e2e_results = e2e.run(
                e2e_scenarios, args.e2e_rounds, args.e2e_seconds, args.connections
            )
            report["end_to_end"] = e2e_results
            report["load_after_end_to_end"] = load_average()
            print(
                table(
                    f"\nEnd to end (uvicorn + wrk, {args.connections} connections, median of runs)",
                    e2e_results,
                    "median",
                )
            )
    print(f"load average after the run: {load_average()}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
