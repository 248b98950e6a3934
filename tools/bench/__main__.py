"""Benchmark this project against Starlette and a hand-written ASGI app, in one run.

Usage (from the repository root):

    hatch run bench:run                      # in-process, every scenario
    hatch run bench:run --e2e                # also end to end: uvicorn + wrk on loopback
    hatch run bench:run -s request-parse     # one scenario
    hatch run bench:run --json results.json  # also write the numbers

Prints requests per second and, more importantly, ratios: ours / Starlette (above 1.0 means
faster than Starlette) and ours / raw (how close to the hand-written floor). Absolute
numbers depend on the machine; ratios measured in one run are comparable.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # tools/: shared helpers

import e2e
import inprocess
from scenarios import SCENARIOS, ensure_big_file


def table(title: str, results: dict[str, dict[str, dict[str, Any]]], key: str) -> str:
    lines = [
        title,
        (
            f"{'scenario':<18} {'ours/s':>10} {'starlette/s':>12} {'raw/s':>10}"
            f" {'ours/starlette':>15} {'ours/raw':>9}"
        ),
    ]
    for name, variants in results.items():
        ours, star, raw = (variants[v][key] for v in ("ours", "starlette", "raw"))
        lines.append(
            f"{name:<18} {ours:>10,.0f} {star:>12,.0f} {raw:>10,.0f}"
            f" {ours / star:>14.2f}x {ours / raw:>8.2f}x"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-s", "--scenario", action="append", choices=sorted(SCENARIOS), help="run only these"
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
    parser.add_argument("--json", type=Path, help="write all results to this file")
    args = parser.parse_args(argv)
    scenarios = [SCENARIOS[name] for name in (args.scenario or SCENARIOS)]
    if any(s.name == "file-100mb" for s in scenarios):
        ensure_big_file()

    import starlette

    python = platform.python_version()
    print(f"Python {python} on {platform.machine()}, Starlette {starlette.__version__}")
    report: dict[str, Any] = {
        "python": platform.python_version(),
        "starlette": starlette.__version__,
    }
    results = inprocess.run(scenarios, args.rounds, args.seconds)
    report["in_process"] = results
    print(table("\nIn process (best of rounds; synthetic scope, no server)", results, "best"))
    print(table("\nIn process (median of rounds)", results, "median"))
    for name, variants in results.items():
        if "peak_memory" in variants["ours"]:
            peaks = ", ".join(f"{v} {variants[v]['peak_memory'] / 1024:,.0f} KiB" for v in variants)
            print(f"peak memory of one {name} request: {peaks}")
    if args.e2e:
        if not e2e.wrk_available():
            print("\nwrk is not installed: end-to-end run skipped (Debian: apt-get install wrk)")
        else:
            e2e_scenarios = [scenario for scenario in scenarios if scenario.e2e]
            e2e_results = e2e.run(
                e2e_scenarios, args.e2e_rounds, args.e2e_seconds, args.connections
            )
            report["end_to_end"] = e2e_results
            print(
                table(
                    f"\nEnd to end (uvicorn + wrk, {args.connections} connections, best of runs)",
                    e2e_results,
                    "best",
                )
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
