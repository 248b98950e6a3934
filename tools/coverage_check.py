"""Enforce 100% branch coverage of each package's src/, measured with its OWN tests.

Usage: python tools/coverage_check.py [package ...]

Each package is measured separately, so a package cannot lean on another package's tests
for its coverage. Fails (exit 1) when any package is below 100%.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))

from _workspace import ROOT, packages


def main(argv: list[str]) -> int:
    failed: list[str] = []
    for package in packages(argv or None):
        print(f"== coverage of {package.name}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            data_file = os.path.join(tmp, ".coverage")
            env = {**os.environ, "COVERAGE_FILE": data_file}
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "coverage",
                    "run",
                    "--branch",
                    f"--source={package.src}",
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    str(package.tests),
                ],
                cwd=ROOT,
                env=env,
                check=False,
            )
            if run.returncode != 0:
                failed.append(f"{package.name} (tests failed)")
                continue
            report = subprocess.run(
                [sys.executable, "-m", "coverage", "report", "--fail-under=100"],
                cwd=ROOT,
                env=env,
                check=False,
            )
            if report.returncode != 0:
                failed.append(f"{package.name} (coverage below 100%)")
    if failed:
        print("coverage check FAILED: " + ", ".join(failed))
        return 1
    print("coverage check passed: every package at 100% branch coverage")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
