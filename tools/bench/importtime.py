"""Import time of this framework and its peers, from ``python -X importtime``.

Usage: hatch run bench:python tools/bench/importtime.py [--runs N] [--json FILE]

For each statement, ``python -X importtime -c STATEMENT`` runs N times in a fresh process;
the total is the sum of every module's own ("self") time, less that of ``python -c pass``
(the interpreter's start-up imports), and the median of the runs is reported. Two statements
per framework: the package import (``import asgi_framework``, ``import starlette``: what
the issue names; ``starlette/__init__.py`` itself imports nothing) and the application class
(what an app really imports).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

STATEMENTS = {
    "asgi_framework": "import asgi_framework",
    "starlette": "import starlette",
    "asgi_framework App": "from asgi_framework import App",
    "starlette Starlette": "from starlette.applications import Starlette",
    "fastapi FastAPI": "from fastapi import FastAPI",
    "litestar Litestar": "from litestar import Litestar",
    "blacksheep Application": "from blacksheep import Application",
}


def self_total_us(statement: str) -> int:
    """Sum of the modules' own import times (microseconds) of one fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            field = line.removeprefix("import time:").split("|")[0].strip()
            if field.isdigit():
                total += int(field)
    return total


def measure(runs: int) -> dict[str, dict[str, float]]:
    baseline = statistics.median(self_total_us("pass") for _ in range(runs))
    results = {}
    for name, statement in STATEMENTS.items():
        samples = [self_total_us(statement) - baseline for _ in range(runs)]
        results[name] = {"median_ms": statistics.median(samples) / 1000, "runs": runs}
        print(f"{name:<24} {results[name]['median_ms']:8.1f} ms   ({statement})", flush=True)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh interpreters per statement")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    args = parser.parse_args(argv)
    results = measure(args.runs)
    app = results["asgi_framework App"]["median_ms"]
    peers = (
        "starlette Starlette",
        "fastapi FastAPI",
        "litestar Litestar",
        "blacksheep Application",
    )
    for peer in peers:
        print(f"asgi_framework App / {peer}: {app / results[peer]['median_ms']:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
