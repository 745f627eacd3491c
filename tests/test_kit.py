"""Tests share helpers only through tests/kit: no test module imports another one or conftest,
and `rows` (reading the database file) is defined once, in tests/kit/db.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
KIT = TESTS / "kit"
A_TEST_MODULE = re.compile(r"^tests(\.\w+)*\.test_\w+$")


def _imports(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """Each import statement, anywhere in the file (inside functions too), with the modules it
    may load: `from a.b import c` may load a.b and a.b.c."""
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.append((node.lineno, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.append((node.lineno, [node.module, *names]))
    return found


def _forbidden(module: str) -> bool:
    return module == "tests.conftest" or bool(A_TEST_MODULE.match(module))


def test_tests_share_helpers_only_through_the_kit() -> None:
    problems: list[str] = []
    for path in sorted(TESTS.rglob("*.py")):
        where = path.relative_to(TESTS.parent).as_posix()
        tree = ast.parse(path.read_text("utf-8"), filename=where)
        if path.name != "conftest.py":
            for line, modules in _imports(tree):
                bad = [m for m in modules if _forbidden(m)]
                if bad:
                    problems.append(f"{where}:{line} imports {bad[0]} (use tests.kit)")
        if KIT not in path.parents:
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "rows":
                    problems.append(f"{where}:{node.lineno} defines rows (use tests.kit.db)")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                problems.append(f"{where}:{node.lineno} imports relatively (name the module)")
    assert problems == [], "\n".join(problems)
