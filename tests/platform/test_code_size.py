"""No module in src/ is over 500 lines and no function or method is over 80: past that, split it.

A function's length runs from its first decorator to its last line, docstring included. Migrations are
generated and exempt.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# Known to be over the limit and being split: each entry must go. Remove an entry as soon as its
# module or function is small enough (the stale-entry test below fails until you do).
KNOWN_LONG_MODULES: frozenset[str] = frozenset()
KNOWN_LONG_FUNCTIONS: frozenset[str] = frozenset()


def _modules() -> Iterator[tuple[str, str]]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(SRC).as_posix(), path.read_text(encoding="utf-8")


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Yield each function and method (nested ones too) with its length in lines, decorators included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                yield name, (node.end_lineno or node.lineno) - start + 1
            yield from _functions(node, f"{name}.")
        else:
            yield from _functions(node, prefix)


def _long_modules() -> dict[str, int]:
    return {name: lines for name, text in _modules() if (lines := len(text.splitlines())) > MAX_MODULE_LINES}


def _long_functions() -> dict[str, int]:
    return {
        f"{name}::{function}": lines
        for name, text in _modules()
        for function, lines in _functions(ast.parse(text, filename=name))
        if lines > MAX_FUNCTION_LINES
    }


def test_no_module_is_over_500_lines() -> None:
    """Every module in src/ outside migrations has at most 500 lines, except the known ones being split."""
    unexpected = {name: lines for name, lines in _long_modules().items() if name not in KNOWN_LONG_MODULES}
    assert unexpected == {}, "split these modules into packages or smaller modules"


def test_no_function_is_over_80_lines() -> None:
    """Every function and method has at most 80 lines, decorators and docstring included, except known ones."""
    unexpected = {name: lines for name, lines in _long_functions().items() if name not in KNOWN_LONG_FUNCTIONS}
    assert unexpected == {}, "split these functions"


def test_the_known_list_only_names_what_is_still_too_long() -> None:
    """An entry of the known lists is removed once its module or function is short enough."""
    assert KNOWN_LONG_MODULES - _long_modules().keys() == set()
    assert KNOWN_LONG_FUNCTIONS - _long_functions().keys() == set()


def test_the_measure_counts_decorators_and_nested_functions() -> None:
    """A decorated function's length starts at its decorator; methods and nested functions are named by path."""
    source = "class A:\n    @staticmethod\n    def f():\n        def g():\n            pass\n        return g\n"
    assert dict(_functions(ast.parse(source))) == {"A.f": 5, "A.f.g": 2}


def test_no_script_is_over_500_lines() -> None:
    """Our own JavaScript modules in src/ (static folders, vendored copies aside) keep to the same 500 lines."""
    scripts = (p for p in SRC.rglob("*.js") if "vendor" not in p.parts)
    long = {
        p.relative_to(SRC).as_posix(): n
        for p in scripts
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}, "split these scripts into smaller modules"
