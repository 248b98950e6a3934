"""CPU instructions per request, in process: the benchmark's ratios without the machine's noise.

Usage: hatch run bench:python tools/bench/instructions.py [-s SCENARIO ...]
       [--variants ours,raw,...] [--requests 500]

Time on a shared machine moves by 20-35% between runs; the number of instructions a request
executes does not. Each (scenario, variant) runs in its own process under valgrind's
callgrind, with instrumentation off while Python imports everything and the application
starts and answers 50 warm-up requests; a tiny C library (compiled here with the system's
``cc`` against ``valgrind/callgrind.h``) turns counting on around the measured requests
only. The requests are those of the in-process benchmark (same scopes, same ``receive``
and ``send``), so the count includes the driver's own small share, as the hand-written
app's count shows. Instructions are not time (compiled code such as BlackSheep's runs more
of them per cycle than the interpreter), so this complements the timed benchmark rather
than replacing it. Needs ``valgrind`` and a C compiler (``apt-get install valgrind gcc``).
"""

from __future__ import annotations

import argparse
import ctypes
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM_UP = 50
DEFAULT_SCENARIOS = ["plaintext", "json", "route-params", "not-found", "cors-gzip-stack"]
DEFAULT_VARIANTS = ["ours", "raw", "starlette", "blacksheep"]
_MARKER_SOURCE = """
#include <valgrind/callgrind.h>
void count_start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void count_stop(void) { CALLGRIND_DUMP_STATS; CALLGRIND_STOP_INSTRUMENTATION; }
"""


def build_marker(folder: Path) -> Path:
    """Compile the start/stop library into ``folder``."""
    source = folder / "marker.c"
    source.write_text(_MARKER_SOURCE)
    library = folder / "marker.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(library), str(source)], check=True)
    return library


def child(scenario_name: str, variant: str, requests: int, library: str) -> None:
    """Run in the measured process: warm up, then count ``requests`` requests."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(1, str(HERE.parent))
    import anyio
    import inprocess
    from scenarios import SCENARIOS

    marker = ctypes.CDLL(library)
    scenario = SCENARIOS[scenario_name]
    app = scenario.apps[variant]

    async def main() -> None:
        async with inprocess.lifespans(scenario):
            await inprocess.prepare(scenario)
            calls = [
                (inprocess.make_scope(scenario, variant), inprocess.Exchange(scenario))
                for _ in range(WARM_UP + requests)
            ]
            for scope, exchange in calls[:WARM_UP]:
                await app(scope, exchange.receive, exchange.send)
            measured = calls[WARM_UP:]
            marker.count_start()
            for scope, exchange in measured:
                await app(scope, exchange.receive, exchange.send)
            marker.count_stop()

    anyio.run(main)


def count(scenario: str, variant: str, requests: int, library: Path, folder: Path) -> float:
    """Instructions per request of ``variant`` in ``scenario``."""
    out = folder / f"callgrind.{scenario}.{variant}"
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--child",
            scenario,
            variant,
            str(requests),
            str(library),
        ],
        check=True,
        capture_output=True,
    )
    dump = Path(f"{out}.1")  # the dump count_stop() asked for
    match = re.search(r"^totals: (\d+)", dump.read_text(), re.MULTILINE)
    if match is None:
        raise SystemExit(f"no totals in {dump}")
    return int(match[1]) / requests


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], int(argv[3]), argv[4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-s", "--scenario", action="append", dest="scenarios")
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS))
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args(argv)
    scenarios = args.scenarios or DEFAULT_SCENARIOS
    variants = args.variants.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        library = build_marker(folder)
        header = f"{'scenario':<22}" + "".join(f"{v:>12}" for v in variants)
        ratios = "".join(f"{'ours/' + v:>16}" for v in variants if v != "ours")
        print("instructions per request (thousands); ours / other = other's count / ours")
        print(header + ratios, flush=True)
        for scenario in scenarios:
            counts = {v: count(scenario, v, args.requests, library, folder) for v in variants}
            line = f"{scenario:<22}" + "".join(f"{counts[v] / 1000:>12.1f}" for v in variants)
            if "ours" in counts:
                line += "".join(
                    f"{counts[v] / counts['ours']:>15.2f}x" for v in variants if v != "ours"
                )
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
