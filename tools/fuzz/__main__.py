"""Fuzz the parsers and the routing table for a bounded time, and report what was found.

Usage (from the repository root):

    hatch run fuzz:run                          # 60 seconds over every target
    hatch run fuzz:run --seconds 600            # longer
    hatch run fuzz:run -t multipart -t range    # some targets only
    hatch run fuzz:run --engine hypothesis      # without atheris

The targets (``tools/fuzz/targets.py``): the URL of a request and URLs from strings, Headers,
query strings, cookies, urlencoded and multipart bodies, Range headers, the compiled
routing table against a scan of the routes, and static-file paths. The time is shared
equally between them. With atheris (libFuzzer, coverage-guided; installed by the ``fuzz``
environment where it has a wheel) each target runs in a process of its own and a failing
input is saved under ``--artifacts``; without it, Hypothesis generates the inputs
(``st.binary()``) until the time is up and prints the smallest failing one.

The exit status is 1 when any target failed. Not part of the test suite; CI may run it with
a short budget.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tools/: so that "fuzz.targets" imports

from fuzz.targets import TARGETS  # noqa: E402


@dataclass
class Outcome:
    target: str
    engine: str
    runs: int
    seconds: float
    failure: str = ""


def run_atheris(target: str, seconds: int, artifacts: Path, seed: int | None) -> Outcome:
    """libFuzzer in a child process: it exits when the time is up or at the first failure."""
    artifacts.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(HERE / "atheris_main.py"),
        target,
        f"-max_total_time={seconds}",
        f"-artifact_prefix={artifacts}/{target}-",
        "-print_final_stats=1",
        "-rss_limit_mb=2048",
        "-timeout=20",
        "-max_len=4096",
    ]
    if seed is not None:
        command.append(f"-seed={seed}")
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    output = result.stdout + result.stderr
    done = re.search(r"Done (\d+) runs", output) or re.search(
        r"stat::number_of_executed_units:\s*(\d+)", output
    )
    runs = int(done[1]) if done else 0
    if result.returncode == 0:
        return Outcome(target, "atheris", runs, elapsed)
    lines = [line for line in output.splitlines() if line.strip()]
    marker = next((n for n, line in enumerate(lines) if "Uncaught Python exception" in line), None)
    shown = lines[marker : marker + 30] if marker is not None else lines[-25:]
    saved = re.search(r"Test unit written to (\S+)", output)
    tail = "\n".join(shown)
    where = f"input saved to {saved[1]}\n" if saved else ""
    return Outcome(target, "atheris", runs, elapsed, f"{where}{tail}")


def run_hypothesis(target: str, seconds: float, seed: int | None) -> Outcome:
    """Hypothesis batches of ``st.binary()`` inputs until the time is up."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as seeded
    from hypothesis import strategies as st

    check = TARGETS[target]
    runs = 0

    def count(data: bytes) -> None:
        nonlocal runs
        runs += 1
        check(data)

    test = settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )(given(st.binary(max_size=4096))(count))
    if seed is not None:
        test = seeded(seed)(test)
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            test()
        except Exception as exc:
            notes = "\n".join(getattr(exc, "__notes__", []))
            return Outcome(
                target, "hypothesis", runs, time.perf_counter() - started, f"{exc!r}\n{notes}"
            )
    return Outcome(target, "hypothesis", runs, time.perf_counter() - started)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="the whole budget (default 60)")
    parser.add_argument(
        "-t", "--target", action="append", choices=sorted(TARGETS), help="default: all"
    )
    parser.add_argument(
        "--engine",
        choices=["auto", "atheris", "hypothesis"],
        default="auto",
        help="auto: atheris when installed, else Hypothesis",
    )
    parser.add_argument(
        "--artifacts",
        type=Path,
        default=Path(tempfile.gettempdir()) / "asgi-fuzz-artifacts",
        help="where atheris saves failing inputs (default: asgi-fuzz-artifacts in the temp dir)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        help="the same inputs in the same order on every run (CI); default: random",
    )
    args = parser.parse_args(argv)
    targets = args.target or list(TARGETS)
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if importlib.util.find_spec("atheris") else "hypothesis"
    share = max(1, args.seconds // len(targets))
    print(f"fuzzing {len(targets)} targets with {engine}, {share} s each", flush=True)
    outcomes = []
    for target in targets:
        if engine == "atheris":
            outcome = run_atheris(target, share, args.artifacts.resolve(), args.seed)
        else:
            outcome = run_hypothesis(target, share, args.seed)
        status = "FAILED" if outcome.failure else "ok"
        print(
            f"{target:<12} {status:<6} {outcome.runs:>10,} inputs in {outcome.seconds:5.1f} s"
            f" ({outcome.runs / max(outcome.seconds, 1e-9):,.0f}/s)",
            flush=True,
        )
        if outcome.failure:
            print("  " + outcome.failure.replace("\n", "\n  "), flush=True)
        outcomes.append(outcome)
    failed = [outcome.target for outcome in outcomes if outcome.failure]
    total = sum(outcome.runs for outcome in outcomes)
    print(
        f"{total:,} inputs, {len(failed)} targets failed"
        + (f": {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
