"""The layers of the code, read from its import graph (docs/architecture.md).

Each module belongs to one layer and imports only from its own layer and those below it:

    coaching (the pure domain) → base (clock, config, rendering, messages) → storage
    → scheduling → adapter (services, inbox polling, ordering, errors) → conversations → app

The Bot API stand-in is a tool beside them: it imports none of them, and only the app layer
(the terminal chat), tests and benchmarks import it. An import inside a function is not a way
around a cycle: the few allowed ones are listed with their reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("bot", "coaching", "conversations", "standin")

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coaching", ("coaching",)),
    (
        "base",
        (
            "bot",
            "bot.admins",
            "bot.charts",
            "bot.clock",
            "bot.config",
            "bot.keyboards",
            "bot.logs",
            "bot.messages",
            "bot.private_files",
            "bot.rendering",
            "bot.transport",
        ),
    ),
    ("storage", ("bot.storage",)),
    ("scheduling", ("bot.scheduling",)),
    (
        "adapter",
        (
            "bot.errors",
            "bot.intake",
            "bot.speaking",
            "bot.observability",
            "bot.operator",
            "bot.ordering",
            "bot.polling",
            "bot.redelivery",
            "bot.services",
            "bot.webhook",
        ),
    ),
    ("conversations", ("conversations",)),
    ("app", ("bot.app", "bot.__main__", "bot.localchat")),
)
TOOL = ("standin",)

# Imports inside functions that are not about cycles.
LATE_IMPORTS_ALLOWED = {
    # The CLI loads only what the chosen command needs (`comeback backup` needs no Telegram).
    "bot/__main__.py": "each subcommand imports what it runs",
    # The stand-in's HTTP server needs aiohttp, an optional extra.
    "standin/__main__.py": "aiohttp is an optional extra",
    "standin/request.py": "aiohttp is an optional extra",
    # aiohttp (webhook mode's server, /healthz and /metrics) only where one runs: a polling bot
    # starts 0.2 s sooner without it.
    "bot/app.py": "the HTTP servers' module only when one is asked for",
    "bot/polling.py": "the webhook's server only in webhook mode",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> list[Path]:
    found: list[Path] = []
    for top in PROJECT:
        folder = ROOT / top
        if folder.is_dir():
            found.extend(sorted(folder.rglob("*.py")))
    return found


def in_tool(module: str) -> bool:
    return any(module == t or module.startswith(t + ".") for t in TOOL)


def layer_of(module: str) -> int | None:
    """The layer index of `module` (the longest matching prefix wins); None for the tool."""
    if in_tool(module):
        return None
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), index)
    if best is None:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")
    return best[1]


def project_imports(tree: ast.AST) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of a project module."""
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module.split(".")[0] in PROJECT:
                    found.append((child.module, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] in PROJECT:
                        found.append((alias.name, child.lineno, in_function))
            visit(child, nested)

    visit(tree, False)
    return found


def test_every_module_imports_only_its_own_layer_and_those_below() -> None:
    upward: list[str] = []
    for path in sources():
        module = module_name(path)
        mine = layer_of(module)
        for imported, line, _ in project_imports(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{line} imports {imported}"
            theirs = layer_of(imported)
            if mine is None:  # the stand-in imports nothing of the bot
                if theirs is not None:
                    upward.append(f"{where} (the stand-in must not import the bot)")
                continue
            if theirs is None:
                if LAYERS[mine][0] != "app":
                    upward.append(f"{where} (only the app layer runs the stand-in)")
                continue
            if theirs > mine:
                upward.append(f"{where} ({LAYERS[mine][0]} -> {LAYERS[theirs][0]})")
    assert upward == []


def test_the_domain_knows_nothing_of_telegram_or_storage() -> None:
    offenders: list[str] = []
    for path in sorted((ROOT / "coaching").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.split(".")[0] in ("telegram", "aiosqlite", "sqlite3", "bot", "apscheduler"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert offenders == []


def test_no_import_inside_a_function_dodges_a_cycle() -> None:
    late: list[str] = []
    for path in sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative in LATE_IMPORTS_ALLOWED:
            continue
        for imported, line, in_function in project_imports(
            ast.parse(path.read_text(encoding="utf-8"))
        ):
            if in_function:
                late.append(f"{relative}:{line} imports {imported} inside a function")
    assert late == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("coaching.safety", "coaching"),
        ("bot.storage.debriefs", "storage"),
        ("bot.scheduling.planner", "scheduling"),
        ("bot.services", "adapter"),
        ("conversations.debrief", "conversations"),
        ("bot.app", "app"),
        ("bot.localchat.session", "app"),
        ("bot.clock", "base"),
    ],
)
def test_layer_names(module: str, layer: str) -> None:
    index = layer_of(module)
    assert index is not None and LAYERS[index][0] == layer


def test_the_check_fails_on_an_import_that_runs_back_up() -> None:
    tree = ast.parse("from conversations.debrief import State\n")
    ((imported, _, _),) = project_imports(tree)
    storage = layer_of("bot.storage.debriefs")
    assert storage is not None
    assert (layer_of(imported) or 0) > storage
