"""Static check of what each package imports against what its pyproject declares.

Usage: python tools/imports_check.py [package ...]

For every module under ``src/``: each absolute import must be the standard library, the
package itself, or a distribution named in ``dependencies`` or an extra; no module may
import a private (``_name``) module of another ``asgi_*`` package; and the graph of
workspace packages must have no cycle. Exits 1 and lists every offence otherwise.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from collections.abc import Iterable, Iterator

from _workspace import Package, packages, requirement_name

# Import names whose distribution name differs and may not be installed here.
KNOWN_DISTRIBUTIONS = {
    "python_multipart": "python-multipart",
    "multipart": "python-multipart",
    "yaml": "pyyaml",
    "jinja2": "jinja2",
    "itsdangerous": "itsdangerous",
    "brotli": "brotli",
    "zstandard": "zstandard",
    "redis": "redis",
    "typing_extensions": "typing-extensions",
    "httpx": "httpx",
    "anyio": "anyio",
    "httpx2": "httpx2",
    "opentelemetry": "opentelemetry-api",
    "backports": "backports.zstd",
}


def imported_modules(source: str, filename: str) -> Iterator[tuple[str, int]]:
    """``(dotted module name, line)`` of every absolute import in ``source``."""
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
            for alias in node.names:
                # "from pkg import _private" imports a private module or name
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield f"{node.module}.{alias.name}", node.lineno


def distribution_of(top_level: str) -> str | None:
    """The distribution providing the top-level module ``top_level``, if known."""
    if top_level.startswith("asgi_"):
        return top_level.replace("_", "-")
    if top_level in KNOWN_DISTRIBUTIONS:
        return KNOWN_DISTRIBUTIONS[top_level]
    found = importlib.metadata.packages_distributions().get(top_level)
    return requirement_name(found[0]) if found else None


def declared(package: Package) -> set[str]:
    names = {requirement_name(r) for r in package.dependencies}
    for requirements in package.extras.values():
        names.update(requirement_name(r) for r in requirements)
    return names


def check_package(package: Package) -> list[str]:
    """Every offence in ``package``'s src/, as readable lines."""
    problems: list[str] = []
    allowed = declared(package)
    stdlib = sys.stdlib_module_names
    for path in sorted(package.src.rglob("*.py")):
        relative = path.relative_to(package.path)
        for module, line in imported_modules(path.read_text(), str(path)):
            parts = module.split(".")
            top = parts[0]
            if top in stdlib or top == package.import_name or top == "__future__":
                continue
            private = [p for p in parts[1:] if p.startswith("_") and not p.startswith("__")]
            if top.startswith("asgi_") and private:
                problems.append(
                    f"{package.name}: {relative}:{line} imports private module {module!r} of "
                    f"another package; use its public API instead"
                )
            distribution = distribution_of(top)
            if distribution is None:
                problems.append(
                    f"{package.name}: {relative}:{line} imports {top!r}, which no installed "
                    "distribution provides; declare it or add it to KNOWN_DISTRIBUTIONS"
                )
            elif distribution not in allowed:
                problems.append(
                    f"{package.name}: {relative}:{line} imports {top!r} (distribution "
                    f"{distribution!r}) but pyproject.toml does not declare it"
                )
    return problems


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A dependency cycle among workspace packages, or None."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return [*visiting[visiting.index(node) :], node]
        if node in done:
            return None
        visiting.append(node)
        for dep in sorted(graph.get(node, ())):
            cycle = visit(dep)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        cycle = visit(node)
        if cycle:
            return cycle
    return None


def check(selected: Iterable[Package]) -> list[str]:
    """Every offence across ``selected`` packages, the dependency cycle included."""
    chosen = list(selected)
    problems = [problem for package in chosen for problem in check_package(package)]
    names = {p.name for p in chosen}
    graph = {p.name: {d for d in declared(p) if d in names} for p in chosen}
    cycle = find_cycle(graph)
    if cycle:
        problems.append("dependency cycle between packages: " + " -> ".join(cycle))
    return problems


def main(argv: list[str]) -> int:
    problems = check(packages(argv or None))
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("imports check passed: every package imports only what it declares")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
