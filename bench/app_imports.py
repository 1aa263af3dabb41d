"""Count cross-app imports in src/alongside (module and function level) and list app cycles.

Run: uv run --frozen python bench/app_imports.py [--edges]
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "alongside"


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "alongside":
        return None
    candidate = ROOT / parts[1]
    return parts[1] if candidate.is_dir() else None


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Return (imported module, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.extend((f"{base}.{alias.name}", in_function) for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


def edges() -> dict[tuple[str, str], list[tuple[str, str, bool]]]:
    result: dict[tuple[str, str], list[tuple[str, str, bool]]] = defaultdict(list)
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = _app_of(_module_name(path))
        if source is None:
            continue
        for target_module, in_function in _imports(path):
            target = _app_of(target_module)
            if target and target != source:
                result[(source, target)].append((_module_name(path), target_module, in_function))
    return result


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strongconnect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                strongconnect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in list(graph):
        if node not in index:
            strongconnect(node)
    return out


def main() -> None:
    found = edges()
    total = sum(len(v) for v in found.values())
    in_functions = sum(1 for v in found.values() for *_, f in v if f)
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in found:
        graph[source].add(target)
    print(f"cross-app imports: {total} ({in_functions} inside functions), app edges: {len(found)}")
    for component in cycles(graph):
        print("cycle:", ", ".join(component))
    if "--edges" in sys.argv:
        for (source, target), items in sorted(found.items()):
            print(f"{source} -> {target}: {len(items)}")
            for module, imported, in_function in items:
                print(f"    {module} -> {imported}{' (in function)' if in_function else ''}")


if __name__ == "__main__":
    main()
