"""The import graph of warmonitor has no cycle: stages import downwards only.

Every import counts, at a module's top or inside a function (a lazy import hides a cycle, it does
not remove it); imports for type checkers only (`if TYPE_CHECKING:`) are left out, since annotations
may name the classes of the stage that calls a module. `NOT_YET` holds the parts whose cycles are
being taken apart elsewhere; empty it as they are.
"""
from __future__ import annotations

import ast
from pathlib import Path

import warmonitor

NOT_YET = ("warmonitor.fetch", "warmonitor.serve", "warmonitor.cli", "warmonitor.cli_serve", "warmonitor.cli_store")


def modules() -> dict[str, Path]:
    root = Path(warmonitor.__file__).parent
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The warmonitor modules `name` imports at run time."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            source = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                out.add(submodule if submodule in known else source)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in out if m in known and m != name}


def in_scope(name: str) -> bool:
    return not any(name == s or name.startswith(s + ".") for s in NOT_YET)


def test_modules_import_without_cycles():
    known = modules()
    graph = {name: {m for m in imports(name, path, known) if in_scope(m)}
             for name, path in known.items() if in_scope(name)}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(name: str, path: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append(path[path.index(other):] + [other])
            elif other not in state:
                walk(other, path + [other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)
