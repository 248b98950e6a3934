"""The dist independence check.

Usage: python tools/check_dists.py [package ...]

1. Build every package's sdist and wheel into ``dist/`` (and check the sdist builds a wheel).
2. Statically check imports against declared dependencies (``imports_check.py``).
3. For each package, create a fresh virtual environment, install ONLY its wheel (its
   sibling packages from the local wheels, third-party dependencies from the index), plus
   its ``test`` dependency group, import it, and run its own tests from a copy of its
   ``tests/`` folder, so nothing from the repository checkout can be imported by accident.

An import the package does not declare fails step 2, or step 3 with ModuleNotFoundError.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _workspace import ROOT, Package, packages, requirement_name
from imports_check import check

DIST = ROOT / "dist"


def uv() -> list[str]:
    """The command that runs uv (the binary on PATH, else the uv module)."""
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def run(command: list[str], **kwargs: object) -> None:
    print("+ " + " ".join(str(c) for c in command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def build(package: Package) -> Path:
    """Build sdist and wheel; the wheel is built from the sdist to prove it is complete."""
    out = DIST / package.name
    shutil.rmtree(out, ignore_errors=True)
    run([*uv(), "build", "--quiet", "--out-dir", str(out), str(package.path)])
    wheels = sorted(out.glob("*.whl"))
    if len(wheels) != 1 or not list(out.glob("*.tar.gz")):
        raise SystemExit(f"{package.name}: expected one wheel and one sdist in {out}")
    return wheels[0]


def workspace_closure(package: Package, by_name: dict[str, Package]) -> list[Package]:
    """The workspace packages ``package`` needs at run time and for its tests."""
    needed: list[Package] = []

    def visit(current: Package, include_tests: bool) -> None:
        requirements = list(current.dependencies)
        for extra in current.extras.values():
            requirements.extend(extra)
        if include_tests:
            requirements.extend(current.test_requirements)
        for requirement in requirements:
            dep = by_name.get(requirement_name(requirement))
            if dep is not None and dep is not package and dep not in needed:
                needed.append(dep)
                visit(dep, include_tests=False)

    visit(package, include_tests=True)
    return needed


def check_in_fresh_venv(
    package: Package, wheels: dict[str, Path], by_name: dict[str, Package]
) -> None:
    with tempfile.TemporaryDirectory(prefix=f"dist-{package.name}-") as tmp:
        venv = Path(tmp) / "venv"
        run([*uv(), "venv", "--quiet", "--python", sys.executable, str(venv)])
        python = venv / "bin" / "python"
        siblings = [str(wheels[dep.name]) for dep in workspace_closure(package, by_name)]
        third_party_tests = [
            r for r in package.test_requirements if requirement_name(r) not in by_name
        ]
        run(
            [
                *uv(),
                "pip",
                "install",
                "--quiet",
                "--python",
                str(python),
                str(wheels[package.name]),
                *siblings,
                *third_party_tests,
            ]
        )
        probe = (
            f"import {package.import_name} as m, pathlib, sys; "
            f"p = pathlib.Path(m.__file__).resolve(); "
            f"assert pathlib.Path(sys.prefix).resolve() in p.parents, p; print('imported from', p)"
        )
        run([str(python), "-c", probe], cwd=tmp)
        tests = Path(tmp) / "tests"
        shutil.copytree(package.tests, tests)
        run(
            [
                str(python),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-c",
                str(ROOT / "pyproject.toml"),
                "--rootdir",
                tmp,
                str(tests),
            ],
            cwd=tmp,
            env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
        )


def main(argv: list[str]) -> int:
    started = time.monotonic()
    everything = packages()
    by_name = {p.name: p for p in everything}
    selected = packages(argv or None)
    problems = check(everything)
    if problems:
        print("\n".join(problems))
        return 1
    wheels: dict[str, Path] = {}
    for package in everything:
        wheels[package.name] = build(package)
    failed: list[str] = []
    for package in selected:
        print(f"== {package.name}: wheel alone in a fresh venv", flush=True)
        try:
            check_in_fresh_venv(package, wheels, by_name)
        except subprocess.CalledProcessError as exc:
            failed.append(
                f"{package.name} ({' '.join(map(str, exc.cmd[:3]))}... exited {exc.returncode})"
            )
    if failed:
        print("dist independence check FAILED: " + "; ".join(failed))
        return 1
    elapsed = time.monotonic() - started
    print(f"dist independence check passed for {len(selected)} package(s) in {elapsed:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
