"""Secrets and exposure: the token, operator commands, and SQL built only from whitelisted parts.

The token: `tests/conftest.py` fails any test of the whole suite whose captured stdout, stderr or
log shows it (`pytest_runtest_makereport`), and the `bot` fixture checks that no message sent
to a chat shows it or a traceback. The process tests check the bot's own stderr.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import MENU_COMMANDS
from bot.clock import FakeClock
from bot.config import Settings
from bot.logs import RedactToken, redact_at_source
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.db import DbTarget, open_store
from tests.kit.faults import error_records
from tests.kit.running import TOKEN, TOKEN_SECRET, RunningBot, started, token_leaks

ROOT = Path(__file__).resolve().parents[2]
ADMIN = 424242


@pytest_asyncio.fixture
async def admin_bot(
    settings: Settings, api: FakeBotApi, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """The bot with one operator in ADMIN_USER_IDS."""
    configured = settings.model_copy(update={"admin_user_ids": (ADMIN,)})
    async with started(RunningBot(configured, api, clock), all_answered=False) as running:
        yield running


async def test_stats_answers_admins_with_counts_only(
    admin_bot: RunningBot, api: FakeBotApi
) -> None:
    alice = api.private_user(5001, first_name="Alice")
    await alice.command("/start")
    await alice.say("Secret Employer Ltd")
    admin = api.private_user(ADMIN, first_name="Op")
    shown = await admin.command("/stats")
    stats = texts(shown)
    assert stats.startswith("Comeback in numbers (counts only)")
    assert "users: 1" in stats and "debriefs_in_progress: 1" in stats
    for private in ("Alice", "Secret Employer", str(alice.id)):
        assert private not in stats
    assert "stats" not in dict(api.my_commands())  # not advertised in the menu
    assert "stats" not in MENU_COMMANDS


async def test_stats_is_an_unknown_command_to_everyone_else(
    admin_bot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    eve = api.private_user(5002, first_name="Eve")
    idle = [await eve.command(c) for c in ("/stats", "/nosuchcommand")]
    assert (
        texts(idle[0]) == texts(idle[1]) == "I don't know that command. /help lists what I can do."
    )
    await eve.command("/start")
    await eve.say("Acme")  # mid-debrief: the same answer, and the debrief is where it was
    busy = [await eve.command(c) for c in ("/stats", "/nosuchcommand")]
    assert texts(busy[0]) == texts(busy[1])
    assert "How far did you get with Acme?" not in texts(busy[0])
    shown = await eve.say("Analyst")
    assert "How far did you get with Acme?" in texts(shown)
    assert error_records(caplog) == []


async def test_stats_without_any_admin_configured(bot: RunningBot, api: FakeBotApi) -> None:
    op = api.private_user(ADMIN, first_name="Op")
    assert texts(await op.command("/stats")).startswith("I don't know that command")


# --- The token -----------------------------------------------------------------------------


def test_the_leak_check_sees_the_token_in_any_captured_section() -> None:
    sections = [
        ("Captured stdout call", "all fine"),
        ("Captured log setup", f"DEBUG url http://x/bot{TOKEN}/getMe"),
        ("Captured stderr call", f"...{TOKEN_SECRET}..."),
    ]
    assert token_leaks(sections) == ["Captured log setup", "Captured stderr call"]
    assert token_leaks([("Captured log call", "http://x/bot987654321:[token]/getMe")]) == []


def test_tokens_are_redacted_where_they_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    """python-telegram-bot logs the API URL (with the token) at DEBUG; since build_application
    redacts at the source loggers, no handler (a test's capture included) ever sees it."""
    redact_at_source(TOKEN)
    redact_at_source(TOKEN)  # idempotent: one filter per logger
    # build_application keeps the `telegram` loggers at INFO (they log people's words at
    # DEBUG); an operator's own logging set-up could still lower this one.
    caplog.set_level(logging.DEBUG, logger="telegram.ext.ExtBot")
    logger = logging.getLogger("telegram.ext.ExtBot")
    assert sum(isinstance(f, RedactToken) for f in logger.filters) >= 1
    logger.debug("Set Bot API URL: http://127.0.0.1/bot%s", TOKEN)
    assert TOKEN_SECRET not in caplog.text
    assert "http://127.0.0.1/bot[token]" in caplog.text


# --- Every SQL statement is parameterised ------------------------------------------------------

SQL_CALLS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "fetch_one",
        "fetch_all",
        "execute_fetchall",
        "execute_returning",
    }
)

# Functions allowed to build SQL text, and why that is safe. Each is checked below or by a test.
DYNAMIC_SQL: dict[tuple[str, str], str] = {
    ("bot/storage/debriefs.py", "update"): "columns checked by _assignments(_REJECTION_COLUMNS)",
    ("bot/storage/debriefs.py", "save_feedback"): "columns checked by _assignments",
    ("bot/storage/debriefs.py", "save_goal"): "columns checked by _assignments(_GOAL_COLUMNS)",
    ("bot/storage/debriefs.py", "update_goal"): "columns checked by _assignments(_GOAL_COLUMNS)",
    ("bot/storage/users.py", "update"): "columns checked against _SETTABLE",
    ("bot/storage/groups.py", "update"): "columns checked against _SETTABLE",
    ("bot/storage/groups.py", "migrate"): "columns from the constant _COPIED_ON_MERGE",
    ("bot/storage/groups.py", "_chat_ids"): "only '?' placeholders, one per value",
    ("bot/storage/inbox.py", "store"): "only '?' placeholders, one row of six per update",
    ("bot/storage/privacy.py", "_read_schema"): "table names from sqlite_master, quoted",
    ("bot/storage/privacy.py", "_rows"): "quoted table names; conditions from the schema, :uid",
    ("bot/storage/privacy.py", "delete_user"): "quoted table names; '?' placeholders",
    ("bot/storage/admin.py", "_count"): "table names from sqlite_master, quoted",
    ("bot/storage/database.py", "_migrate"): "the migration files shipped in the package",
    ("bot/storage/database.py", "fetch_all"): "passes its caller's SQL on (callers checked here)",
    ("bot/storage/database.py", "fetch_one"): "passes its caller's SQL on (callers checked here)",
    ("bot/storage/database.py", "execute"): "passes its caller's SQL on (callers checked here)",
    ("bot/storage/database.py", "execute_returning"): "passes its caller's SQL on (callers"
    " checked here)",
    ("bot/storage/sqlite_connection.py", "_run"): "its caller's SQL (callers checked here)",
    ("bot/storage/sqlite_connection.py", "executemany"): "its caller's SQL (callers checked here)",
    ("bot/storage/sqlite_connection.py", "execute_fetchall"): "its caller's SQL (callers checked"
    " here)",
    ("bot/storage/sqlite_connection.py", "executescript"): "only _migrate's migration files",
    ("bot/storage/admin.py", "aggregate_counts"): "statements from the constant _STATS table",
    ("bot/storage/checkins.py", "claim_due"): "per-dialect constants (_CLAIM_BY, _DEFER)",
    ("bot/storage/groups.py", "claim_due"): "per-dialect constants (_CLAIM_POSTS_BY)",
    ("bot/storage/transfer.py", "_copy"): "table names from the catalogue, quoted",
    ("bot/storage/transfer.py", "_copy_table"): "table and column names from the catalogue,"
    " quoted; the table as a '%s' parameter",
    ("bot/storage/postgres.py", "_migrate"): "the migration files shipped in the package",
    ("bot/storage/postgres.py", "_execute"): "its caller's SQL, translated (callers checked here)",
    ("bot/storage/postgres.py", "executemany"): "its caller's SQL, translated (callers checked)",
    ("bot/storage/postgres.py", "fetch_all"): "passes its caller's SQL on (callers checked here)",
    ("bot/storage/postgres.py", "fetch_one"): "passes its caller's SQL on (callers checked here)",
    ("bot/storage/postgres.py", "execute"): "passes its caller's SQL on (callers checked here)",
    ("bot/storage/postgres.py", "execute_returning"): "passes its caller's SQL on (callers"
    " checked here)",
}


def _constant_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to a plain string literal (e.g. _CLAIM = "...")."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and _is_literal(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def dynamic_sql() -> dict[tuple[str, str], list[int]]:
    """(file, function) -> line numbers of SQL calls whose text is not a literal."""
    found: dict[tuple[str, str], list[int]] = {}
    for folder in ("bot", "conversations"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "standin" in path.parts:
                continue  # the fake Telegram has no SQL
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = _constant_names(tree)
            for function in _functions(tree):
                local = {
                    t.id
                    for n in ast.walk(function)
                    if isinstance(n, ast.Assign) and _is_literal(n.value)
                    for t in n.targets
                    if isinstance(t, ast.Name)
                }
                for call in ast.walk(function):
                    if not (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Attribute)
                        and call.func.attr in SQL_CALLS
                        and call.args
                    ):
                        continue
                    sql = call.args[0]
                    if _is_literal(sql) or (
                        isinstance(sql, ast.Name) and sql.id in constants | local
                    ):
                        continue
                    key = (path.relative_to(ROOT).as_posix(), function.name)
                    found.setdefault(key, []).append(call.lineno)
    return found


def test_every_sql_statement_is_a_literal_or_a_reviewed_builder() -> None:
    found = dynamic_sql()
    unreviewed = {k: v for k, v in found.items() if k not in DYNAMIC_SQL}
    assert unreviewed == {}, (
        "SQL built from strings outside the reviewed builders (use ? placeholders, or add the"
        f" function to DYNAMIC_SQL with the reason it is safe): {unreviewed}"
    )
    present = {k for k in DYNAMIC_SQL if (ROOT / k[0]).exists()}
    assert present <= set(found), f"stale DYNAMIC_SQL entries: {present - set(found)}"


def test_no_sql_is_built_with_percent_or_format() -> None:
    for folder in ("bot", "conversations"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr not in SQL_CALLS or not node.args:
                    continue
                sql = node.args[0]
                bad = (isinstance(sql, ast.BinOp) and isinstance(sql.op, ast.Mod)) or (
                    isinstance(sql, ast.Call)
                    and isinstance(sql.func, ast.Attribute)
                    and sql.func.attr == "format"
                )
                assert not bad, f"{path}:{node.lineno} builds SQL with % or .format()"


async def test_the_column_builders_refuse_anything_off_their_whitelist(db_path: DbTarget) -> None:
    from bot.storage import SqlDebriefRepository, SqlUserRepository

    db = open_store(db_path)
    clock = FakeClock()
    try:
        users, debriefs = SqlUserRepository(db, clock), SqlDebriefRepository(db, clock)
        await users.ensure(1, "A", "en")
        evil = {"timezone = 'x', active": 1}
        with pytest.raises(ValueError):
            await users.update(1, **evil)
        with pytest.raises(ValueError):
            await debriefs.update(1, **{"step = 'x' --": 1})
        with pytest.raises(ValueError):
            await debriefs.save_feedback(1, **{"body = body || 'x'": 1})
        with pytest.raises(ValueError):
            await debriefs.update_goal(1, **{"1=1; DROP TABLE goals; --": 1})
    finally:
        await db.close()
