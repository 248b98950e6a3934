"""Run ``mypy --strict`` once per package (src and tests), and on tools/ and tests-integration/.

Usage: python tools/typecheck.py [package ...]

Packages are checked one at a time because equally named test modules of different
packages would otherwise clash.
"""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))

from _workspace import ROOT, packages


def main(argv: list[str]) -> int:
    targets: list[tuple[str, list[str], list[str]]] = [
        (package.name, [str(package.src), str(package.tests)], [])
        for package in packages(argv or None)
    ]
    if not argv:
        targets.append(("tests-integration", ["tests-integration"], []))
        # developer tools run on the development Python (3.11+), never on users' machines
        targets.append(
            ("tools", ["tools"], ["--python-version", "3.11", "--exclude", "tools/difftest/"])
        )
        # a second __main__ module: checked on its own
        targets.append(("tools/difftest", ["tools/difftest"], ["--python-version", "3.11"]))
        targets.append(("examples", ["examples"], []))
    failed: list[str] = []
    for name, paths, extra in targets:
        existing = [p for p in paths if any((ROOT / p).rglob("*.py"))]
        if not existing:
            continue
        print(f"== mypy --strict {name}", flush=True)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--explicit-package-bases",
                *extra,
                *existing,
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "MYPYPATH": os.pathsep.join(
                    str(ROOT / "tools" / d) for d in ("", "bench", "difftest")
                ),
            },
            check=False,
        )
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print("mypy FAILED for: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
