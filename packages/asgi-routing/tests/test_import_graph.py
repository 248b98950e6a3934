"""The routing modules import each other without a cycle (local imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

import asgi_routing

PACKAGE = Path(asgi_routing.__file__).parent


def routing_imports(source: str) -> set[str]:
    """The ``asgi_routing._x`` modules ``source`` imports, anywhere (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name.split(".")[1] for name in names if name.startswith("asgi_routing._"))
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (module -> modules it imports), or ``None``."""
    done: set[str] = set()

    def visit(module: str, stack: list[str]) -> list[str] | None:
        if module in stack:
            return [*stack[stack.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph.get(module, ())):
            cycle = visit(imported, [*stack, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return None


def test_the_checks_see_local_imports_and_cycles() -> None:
    local = "def f():\n    from asgi_routing._router import Router\nimport asgi_routing._route\n"
    assert routing_imports(local) == {"_router", "_route"}
    assert routing_imports("from asgi_routing import _table\nimport os\n") == {"_table"}
    assert find_cycle({"_a": {"_b"}, "_b": {"_c"}, "_c": {"_a"}}) == ["_a", "_b", "_c", "_a"]
    assert find_cycle({"_a": {"_b", "_c"}, "_b": {"_c"}, "_c": set()}) is None


def test_the_module_import_graph_is_acyclic() -> None:
    graph = {
        path.stem: routing_imports(path.read_text(encoding="utf-8"))
        for path in PACKAGE.glob("_*.py")
    }
    assert len(graph) >= 10
    assert find_cycle(graph) is None
    # the layers: a Mount does not know the router that contains it, nor the table
    assert graph["_mount"].isdisjoint({"_router", "_table"})
