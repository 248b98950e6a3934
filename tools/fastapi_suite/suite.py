"""Run FastAPI's own test suite on real Starlette and on asgi-framework, and compare.

``hatch run fastapi-suite:run [--ours-only] [-- PYTEST ARGS]``

FastAPI's sdist (the version installed in the environment) is downloaded with pip into a
cache directory outside the repository and unpacked there; nothing of it enters the
repository. pytest runs its ``tests/`` twice, in separate processes: once on the installed
Starlette (the baseline) and once with :func:`asgi_framework.install_as_starlette` active
(``sitecustomize.py`` here, in every process of the run). It prints
``P passed, F failed of T (baseline B)``: T tests collected, B of them pass on Starlette,
P of those B pass on asgi-framework and F do not; then the tests that fail on ours,
grouped by their error message.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "asgi-fastapi-suite"


def sdist_tree() -> Path:
    """FastAPI's unpacked sdist for the installed version (downloaded once)."""
    fastapi_version = version("fastapi")
    tree = CACHE / f"fastapi-{fastapi_version}"
    if (tree / "tests").is_dir():
        return tree
    CACHE.mkdir(parents=True, exist_ok=True)
    archive = CACHE / f"fastapi-{fastapi_version}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
                *("--no-binary", ":all:", f"fastapi=={fastapi_version}", "-d", str(CACHE)),
            ],
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(CACHE, filter="data")
    return tree


def run(tree: Path, ours: bool, pytest_args: list[str]) -> tuple[dict[str, dict[str, str]], float]:
    """Run the suite once; the outcome of every test and the time it took."""
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.json"
        env = dict(os.environ)
        env.pop("ASGI_STRICT", None)
        env["ASGI_FASTAPI_SUITE_RESULTS"] = str(results)
        env["ASGI_FASTAPI_SUITE_OURS"] = "1" if ours else "0"
        env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "fastapi_suite_plugin",
            "-p",
            "no:cacheprovider",
        ]
        command += ["-q", "--no-header", "-rN", "--tb=no", "tests", *pytest_args]
        # sitecustomize imported asgi_framework (and anyio) before pytest: anyio's plugin
        # cannot have its asserts rewritten, which FastAPI's filterwarnings=error would fail
        command += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
        started = time.monotonic()
        subprocess.run(command, cwd=tree, env=env, check=False, stdout=subprocess.DEVNULL)
        took = time.monotonic() - started
        if not results.exists():
            sys.exit(f"pytest did not finish ({'asgi-framework' if ours else 'Starlette'})")
        outcomes: dict[str, dict[str, str]] = json.loads(results.read_text("utf-8"))
    return outcomes, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours-only", action="store_true", help="reuse the last baseline")
    parser.add_argument("--failures", type=int, default=25, help="error groups to list")
    parser.add_argument("--list", action="store_true", help="also list every failing test")
    parser.add_argument(
        "--fail-under",
        type=float,
        default=0.0,
        help="exit 1 when fewer than this percentage of the baseline pass (CI: 95)",
    )
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = parser.parse_args()
    tree = sdist_tree()
    baseline_file = CACHE / f"baseline-{version('fastapi')}-{version('starlette')}.json"
    if args.ours_only and baseline_file.exists():
        baseline = json.loads(baseline_file.read_text("utf-8"))
        print(f"baseline: reused {baseline_file}")
    else:
        baseline, took = run(tree, ours=False, pytest_args=args.pytest_args)
        baseline_file.write_text(json.dumps(baseline), "utf-8")
        print(f"baseline: Starlette {version('starlette')}, {took:.0f} s")
    ours, took = run(tree, ours=True, pytest_args=args.pytest_args)
    (CACHE / "ours-last.json").write_text(json.dumps(ours), "utf-8")
    print(f"ours: asgi-framework through install_as_starlette(), {took:.0f} s")
    share = report(baseline, ours, args.failures, args.list)
    if share < args.fail_under:
        sys.exit(f"below the required {args.fail_under:g}% of the baseline")


def report(
    baseline: dict[str, dict[str, str]],
    ours: dict[str, dict[str, str]],
    groups: int,
    list_tests: bool,
) -> float:
    """Print the figure, the collection errors and the failures grouped by message.

    Returns the percentage of the baseline's passing tests that pass on asgi-framework.
    """
    tests = {node for node, entry in ours.items() if entry["outcome"] != "error"}
    tests |= {node for node, entry in baseline.items() if entry["outcome"] != "error"}
    passing = {node for node, entry in baseline.items() if entry["outcome"] == "passed"}
    ours_passing = {node for node, entry in ours.items() if entry["outcome"] == "passed"}
    passed = len(passing & ours_passing)
    failed = passing - ours_passing
    print(f"FastAPI {version('fastapi')} test suite:")
    for label, results in (("Starlette", baseline), ("asgi-framework", ours)):
        errors = sorted(node for node, entry in results.items() if entry["outcome"] == "error")
        for node in errors:
            print(f"  collection error on {label}: {node}: {results[node]['message']}")
    counts = Counter(ours.get(node, {"message": "not run"})["message"] for node in failed)
    for message, count in counts.most_common(groups):
        print(f"  {count:5d}  {message[:160]}")
    if list_tests:
        for node in sorted(failed):
            print(f"  failed: {node}")
    extra = len(ours_passing - passing)
    if extra:
        print(f"  ({extra} tests pass on asgi-framework but not on Starlette)")
    share = 100 * passed / len(passing) if passing else 0.0
    print(f"{passed} passed, {len(failed)} failed of {len(tests)} (baseline {len(passing)})")
    print(f"{share:.1f}% of the tests that pass on Starlette pass on asgi-framework")
    return share


if __name__ == "__main__":
    main()
