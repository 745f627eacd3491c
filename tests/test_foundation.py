"""Config, storage, conversation states and prompts: the ground everything stands on."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import jinja2
import psycopg
import pytest

from bot.clock import FakeClock
from bot.config import ConfigError, load_settings
from bot.rendering import Prompts
from bot.storage.conversation_states import SqlConversationStateRepository
from bot.storage.database import Database, migration_files, schema_version
from bot.storage.users import SqlUserRepository
from standin import FakeBotApi
from tests.kit.db import DbTarget, open_store
from tests.kit.running import START, RunningBot

ROOT = Path(__file__).resolve().parents[1]
GOOD_TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789"


def test_defaults_need_no_configuration() -> None:
    settings = load_settings(_env_file=None)
    assert settings.token is None
    assert settings.database_url == "sqlite:///comeback.sqlite3"
    assert settings.default_timezone == "UTC"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"telegram_bot_token": "99999x"}, "TELEGRAM_BOT_TOKEN: does not look like a token"),
        ({"default_timezone": "Atlantis/Capital"}, "DEFAULT_TIMEZONE: unknown time zone"),
        ({"database_url": "mysql://x/y"}, "DATABASE_URL: unsupported scheme 'mysql'"),
        ({"admin_user_ids": "1,two"}, "ADMIN_USER_IDS: must be comma-separated"),
        ({"helpline_countries": "USA"}, "HELPLINE_COUNTRIES: must be comma-separated"),
    ],
)
def test_bad_settings_name_the_setting(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **overrides)
    assert str(caught.value).startswith(message)
    assert "99999x" not in str(caught.value)


def test_token_is_a_secret_and_lists_parse() -> None:
    settings = load_settings(
        _env_file=None,
        telegram_bot_token=GOOD_TOKEN,
        admin_user_ids="1, 2",
        helpline_countries="de,gb",
    )
    assert GOOD_TOKEN not in repr(settings)
    assert settings.token == GOOD_TOKEN
    assert settings.admin_user_ids == (1, 2)
    assert settings.helpline_countries == ("DE", "GB")


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={GOOD_TOKEN}\nDEFAULT_TIMEZONE=Europe/Rome\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    settings = load_settings()
    assert settings.token == GOOD_TOKEN
    assert settings.default_timezone == "Europe/Rome"


@pytest.mark.sqlite_only("SQLite's migration files, its file and WAL mode")
def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    files = migration_files()
    assert [version for version, _, _ in files] == list(range(1, len(files) + 1))

    async def open_twice() -> int:
        for _ in range(2):
            db = Database(tmp_path / "m.sqlite3")
            version = await schema_version(db)
            await db.close()
        return version

    import asyncio

    assert asyncio.run(open_twice()) == len(files)
    with sqlite3.connect(tmp_path / "m.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        applied = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert applied == [(v,) for v, _, _ in files]


async def test_storage_enforces_foreign_keys_and_rolls_back(db_path: DbTarget) -> None:
    db = open_store(db_path)
    users = SqlUserRepository(db, FakeClock(START))
    await users.ensure(1, "Ann", "en")
    # SQLite enforces them only with PRAGMA foreign_keys, which the Database sets.
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):
        await db.execute(
            "INSERT INTO rejections (user_id, rejected_on, step, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (999, "2026-11-27", "company", "x", "x"),
        )
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("UPDATE users SET first_name = ? WHERE id = ?", ("Changed", 1))
            raise RuntimeError("boom")
    user = await users.get(1)
    assert user is not None and user.first_name == "Ann"
    await db.close()


async def test_conversation_states_round_trip_per_chat_and_person(db_path: DbTarget) -> None:
    db = open_store(db_path)
    states = SqlConversationStateRepository(db)
    await states.save("debrief", (5, 5), '"mood"')
    await states.save("settings", (5, 5), '"hour"')
    await states.save("debrief", (6, 6), '"role"')
    await states.forget("debrief", (6, 6))
    await states.save("debrief", (5, 5), '"went_well"')
    assert await states.states_of((5, 5)) == {"debrief": '"went_well"', "settings": '"hour"'}
    assert await states.states_of((6, 6)) == {}
    assert await states.states_of((5, 6)) == {}
    await db.close()


def test_templates_escape_user_text_and_refuse_missing_variables() -> None:
    prompts = Prompts()
    html = prompts.render("debrief/ask_stage", company="<AT&T>")
    assert "&lt;AT&amp;T&gt;" in html and "<AT&T>" not in html
    with pytest.raises(jinja2.UndefinedError):
        prompts.render("debrief/ask_stage")
    with pytest.raises(KeyError):
        prompts.label("no.such.label")


def test_every_template_parses_and_every_name_used_in_code_exists() -> None:
    prompts = Prompts()
    names = set(prompts.template_names())
    env = jinja2.Environment()
    for name in names:
        env.parse((prompts.directory / f"{name}.html").read_text(encoding="utf-8"))
    used_templates: set[str] = set()
    used_labels: set[str] = set()
    for path in [
        *ROOT.joinpath("bot").rglob("*.py"),
        *ROOT.joinpath("conversations").rglob("*.py"),
    ]:
        if "standin" in path.parts or "localchat" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        used_templates |= set(re.findall(r'"((?:[a-z_]+)/[a-z_]+)"', source))
        used_labels |= set(re.findall(r'label\(\s*"([a-z_]+\.[a-z_0-9]+)"', source))
    folders = {p.name for p in prompts.directory.iterdir() if p.is_dir()}
    used_templates = {t for t in used_templates if t.split("/")[0] in folders}
    assert used_templates - names == set()
    assert used_labels - set(prompts.label_keys()) == set()


def test_no_user_facing_string_literals_in_handlers() -> None:
    """Messages are only ever sent from rendered templates, never from Python literals."""
    offenders = []
    for path in ROOT.joinpath("conversations").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = ast.unparse(node.func.value)
                telegram_answer = node.func.attr == "answer" and "query" in owner
                if telegram_answer or node.func.attr in {"send_message", "reply_text"}:
                    for arg in [*node.args, *(k.value for k in node.keywords)]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


async def test_menu_failure_is_a_warning_not_a_crash(
    bot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail_next("setMyCommands", 500, "Internal Server Error")
    await bot.restart()
    assert any(
        "Could not set the command menu" in r.getMessage() and r.levelname == "WARNING"
        for r in caplog.records
    )
    alice = api.private_user(7001, first_name="Al")
    shown = await alice.command("/help")
    assert "/rejected" in shown[0].plain_text


def test_the_running_bot_keeps_its_startup_objects_out_of_the_collectors_passes() -> None:
    """`bot.app.run` (what `python -m bot` runs) settles start-up first; checked in a process
    of its own, as freezing is for the whole process."""
    import subprocess
    import sys

    probe = (
        "import gc; from bot.app import settle_startup_objects; settle_startup_objects();"
        " print(gc.get_freeze_count() > 1000, gc.get_threshold()[0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split() == ["True", "10000"]
