"""Facts about the workspace shared by the developer tools: where the packages are."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "packages"


@dataclass(frozen=True)
class Package:
    """One distribution of the monorepo."""

    path: Path
    name: str
    import_name: str
    version: str
    dependencies: tuple[str, ...]
    extras: dict[str, tuple[str, ...]]
    test_requirements: tuple[str, ...]

    @property
    def src(self) -> Path:
        return self.path / "src" / self.import_name

    @property
    def tests(self) -> Path:
        return self.path / "tests"


def load_package(path: Path) -> Package:
    data = tomllib.loads((path / "pyproject.toml").read_text())
    project = data["project"]
    name = project["name"]
    return Package(
        path=path,
        name=name,
        import_name=name.replace("-", "_"),
        version=project["version"],
        dependencies=tuple(project.get("dependencies", ())),
        extras={k: tuple(v) for k, v in project.get("optional-dependencies", {}).items()},
        test_requirements=tuple(data.get("dependency-groups", {}).get("test", ())),
    )


def packages(names: list[str] | None = None) -> list[Package]:
    """Every package (or the named ones), in dependency order (dependencies first)."""
    found = {
        p.name: p
        for p in (
            load_package(d) for d in sorted(PACKAGES.iterdir()) if (d / "pyproject.toml").exists()
        )
    }
    if names:
        unknown = sorted(set(names) - set(found))
        if unknown:
            raise SystemExit(f"unknown package(s): {', '.join(unknown)}; known: {', '.join(found)}")
    ordered: list[Package] = []

    def visit(package: Package) -> None:
        if package in ordered:
            return
        for requirement in (*package.dependencies, *package.test_requirements):
            dep = requirement_name(requirement)
            if dep in found and found[dep] is not package:
                visit(found[dep])
        ordered.append(package)

    for package in found.values():
        visit(package)
    if names:
        ordered = [p for p in ordered if p.name in names]
    return ordered


def requirement_name(requirement: str) -> str:
    """``"anyio>=4; python_version<'3.11'"`` -> ``"anyio"`` (normalised)."""
    name = requirement.split(";", maxsplit=1)[0]
    for stop in "<>=!~[ (@":
        name = name.split(stop)[0]
    return name.strip().lower().replace("_", "-").replace(".", "-")
