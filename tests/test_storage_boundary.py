"""Storage stays behind its repository interfaces (bot/storage/interfaces.py).

Only bot/storage talks to the database: nothing else imports the SQLite drivers or holds a
statement, and the conversation flows reach storage through the repositories on `Services`,
never through the raw database (`services.db`, kept for opening and closing it). So a second
backend only has to implement the repository Protocols.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("bot", "conversations", "coaching")
# The storage package itself, and the stand-in for Telegram (no database; it used to live here).
EXEMPT = (ROOT / "bot" / "storage", ROOT / "bot" / "standin")
DRIVERS = frozenset({"sqlite3", "aiosqlite"})
# A statement: the keyword and then more of it ("delete" alone is the /delete command's name).
SQL = re.compile(r"(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA)\s+\S", re.IGNORECASE)


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if any(path.is_relative_to(exempt) for exempt in EXEMPT):
                continue
            name = path.relative_to(ROOT).as_posix()
            yield name, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def driver_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every import of a database driver."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.split(".")[0] in DRIVERS]
    return found


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring constants (prose, which may well start with "Create ...")."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
        ):
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_literals(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, start) of every string literal that reads like a SQL statement."""
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in docstrings:
            continue
        text = node.value.strip()
        if SQL.match(text):
            found.append((node.lineno, text[:40]))
    return found


def db_accesses(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, expression) of every `.db` attribute read (e.g. `chat.services.db`)."""
    return [
        (node.lineno, ast.unparse(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "db"
    ]


def test_no_module_outside_storage_imports_a_database_driver() -> None:
    found = {name: hits for name, tree in _sources() if (hits := driver_imports(tree))}
    assert found == {}, f"database drivers imported outside bot/storage: {found}"


def test_no_sql_outside_storage() -> None:
    found = {name: hits for name, tree in _sources() if (hits := sql_literals(tree))}
    assert found == {}, f"SQL outside bot/storage (move it into a repository): {found}"


def test_conversations_never_reach_for_the_raw_database() -> None:
    found = {
        name: hits
        for name, tree in _sources()
        if name.startswith("conversations/") and (hits := db_accesses(tree))
    }
    assert found == {}, f"conversations using services.db (use a repository): {found}"


def test_the_checks_see_what_they_look_for() -> None:
    tree = ast.parse(
        "import sqlite3\n"
        "from aiosqlite import Connection\n"
        "def f():\n"
        '    """Create the thing (a docstring, not SQL)."""\n'
        '    q = "  select * from users"\n'
        '    s = ("Selected: not SQL", "delete")\n'
        "    return chat.services.db, q, s\n"
    )
    assert driver_imports(tree) == [(1, "sqlite3"), (2, "aiosqlite")]
    assert sql_literals(tree) == [(5, "select * from users")]
    assert db_accesses(tree) == [(7, "chat.services.db")]
