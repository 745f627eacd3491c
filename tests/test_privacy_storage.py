"""The privacy layer finds personal data by reading the schema; no table may go unclassified."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import FakeClock
from bot.storage import SqlDebriefRepository, SqlUserRepository
from bot.storage.admin import BackupError, aggregate_counts, backup_database
from bot.storage.database import SqlStore
from bot.storage.privacy import (
    KEYED,
    NOT_PERSONAL,
    UnclassifiedTables,
    classify_schema,
    delete_user,
    export_user,
)
from tests.kit.db import DbTarget, open_store, rows, url_of

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

# Every table the issue names as holding something about a user.
PERSONAL = {
    "users", "rejections", "moods", "feedback_requests", "plan_actions", "resource_picks",
    "goals", "check_ins", "memberships", "wins", "safety_events", "conversation_states",
}  # fmt: skip


async def seeded(target: DbTarget) -> SqlStore:
    """Two users with a debrief each, a group they share, and a crisis reply shown to one."""
    db = open_store(target)
    clock = FakeClock(NOW)
    users, debriefs = SqlUserRepository(db, clock), SqlDebriefRepository(db, clock)
    for uid, company in ((1, "Alpha Corp"), (2, "Beta Ltd")):
        await users.ensure(uid, f"User{uid}", "en")
        rejection = await debriefs.start(uid, "company", NOW.date())
        await debriefs.update(rejection.id, company=company, stage="technical")
        await debriefs.record_mood(uid, 3, "debrief", rejection.id)
        await debriefs.save_feedback(rejection.id, status="sent", body=f"Dear {company}")
        await debriefs.replace_plan_actions(rejection.id, "gap", [("technical", "Practise")])
        await debriefs.pick_resource(rejection.id, "grit", "Grit")
        await debriefs.save_goal(uid, rejection.id, kind="apply", target=3)
    await debriefs.record_safety_event(1)
    await db.execute(
        "INSERT INTO groups (chat_id, title, created_at, updated_at) VALUES (-5, 'G', ?, ?)",
        ("x", "x"),
    )
    for uid in (1, 2):
        await db.execute(
            "INSERT INTO memberships (chat_id, user_id, sharing, joined_at)"
            " VALUES (-5, ?, 'named', 'x')",
            (uid,),
        )
        await db.execute(
            "INSERT INTO wins (chat_id, user_id, text, anonymous, created_at)"
            " VALUES (-5, ?, 'A win', 0, 'x')",
            (uid,),
        )
    await db.execute(
        "INSERT INTO conversation_states (name, key, state)"
        " VALUES ('debrief', '[1, 1]', '\"role\"')"
    )
    return db


async def test_every_table_is_personal_keyed_or_listed_as_not_personal(
    db_path: DbTarget,
) -> None:
    db = await seeded(db_path)
    async with db.transaction() as conn:
        found = await classify_schema(conn, db.dialect)
    assert found.unclassified == ()
    names = {t.name for t in found.personal}
    assert names >= PERSONAL
    assert (
        set(found.not_personal)
        == set(NOT_PERSONAL)
        == {
            "groups",
            "inbox_handled",
            "schema_migrations",
            "workers",
        }
    )
    assert set(KEYED) <= names
    # Parents come before the tables that reference them; deletion runs the other way.
    order = [t.name for t in found.personal]
    assert order[0] == "users"
    assert order.index("rejections") < order.index("feedback_requests")
    assert order.index("goals") < order.index("check_ins")
    assert found.deletion_order()[-1].name in ("users", *KEYED)
    await db.close()


async def test_a_new_table_is_exported_and_erased_without_being_listed(db_path: DbTarget) -> None:
    db = await seeded(db_path)
    await db.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, rejection_id INTEGER"
        " REFERENCES rejections, body TEXT)"
    )
    await db.execute("CREATE TABLE badges (user_id INTEGER, name TEXT)")
    await db.execute(
        "INSERT INTO notes (id, rejection_id, body) VALUES (1, 1, 'mine'), (2, 2, 'theirs')"
    )
    await db.execute("INSERT INTO badges VALUES (1, 'first'), (2, 'second')")
    export = await export_user(db, 1, NOW)
    assert export["tables"]["notes"] == [{"id": 1, "rejection_id": 1, "body": "mine"}]
    assert export["tables"]["badges"] == [{"user_id": 1, "name": "first"}]
    erased = await delete_user(db, 1)
    assert erased["notes"] == 1 and erased["badges"] == 1
    assert [tuple(r) for r in await db.fetch_all("SELECT body FROM notes")] == [("theirs",)]
    await db.close()


async def test_a_table_nobody_classified_stops_export_and_delete(db_path: DbTarget) -> None:
    db = await seeded(db_path)
    await db.execute("CREATE TABLE mystery (owner INTEGER, secret TEXT)")
    with pytest.raises(UnclassifiedTables, match="mystery"):
        await export_user(db, 1, NOW)
    with pytest.raises(UnclassifiedTables, match="mystery"):
        await delete_user(db, 1)
    assert (await db.fetch_one("SELECT COUNT(*) FROM users"))[0] == 2  # type: ignore[index]
    await db.close()


async def test_export_holds_only_that_users_rows_and_delete_leaves_others(
    db_path: DbTarget,
) -> None:
    db = await seeded(db_path)
    export = await export_user(db, 1, NOW)
    document = json.dumps(export)
    assert "Alpha Corp" in document and "Beta Ltd" not in document
    assert export["not_exported"] == dict(NOT_PERSONAL)
    assert {name for name, rows in export["tables"].items() if rows} == PERSONAL - {"check_ins"}
    erased = await delete_user(db, 1)
    assert sum(erased.values()) == sum(len(rows) for rows in export["tables"].values())
    again = await export_user(db, 1, NOW)
    assert all(rows == [] for rows in again["tables"].values())
    other = await export_user(db, 2, NOW)
    assert other["tables"]["memberships"] and other["tables"]["wins"]
    assert await delete_user(db, 1) == {}
    await db.close()


async def test_stats_are_counts_only(db_path: DbTarget) -> None:
    db = await seeded(db_path)
    counts = await aggregate_counts(db)
    assert counts["users"] == 2 and counts["rejections"] == 2 and counts["goals_set"] == 0
    assert counts["safety_replies_shown"] == 1
    assert all(isinstance(v, int) for v in counts.values())
    await db.close()


@pytest.mark.sqlite_only("SQLite's backup API and its file")
async def test_backup_refuses_to_overwrite_the_database(tmp_path: Path) -> None:
    db = await seeded(tmp_path / "b.sqlite3")
    with pytest.raises(BackupError, match="database itself"):
        await asyncio.to_thread(backup_database, tmp_path / "b.sqlite3", tmp_path / "b.sqlite3")
    with pytest.raises(BackupError, match="no database"):
        await asyncio.to_thread(backup_database, tmp_path / "none.sqlite3", tmp_path / "x")
    report = await asyncio.to_thread(backup_database, tmp_path / "b.sqlite3", tmp_path)
    assert report.path == tmp_path / "b-backup.sqlite3"
    assert not await asyncio.to_thread(lambda: list(tmp_path.glob("*.partial")))
    await db.close()


def test_operator_commands(
    db_path: DbTarget,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def seed() -> None:
        await (await seeded(db_path)).close()

    asyncio.run(seed())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", url_of(db_path))

    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("comeback: users 2, users_active 2, rejections 2,")
    assert out.count("\n") == 1
    assert "Alpha" not in out and "User1" not in out

    assert main(["export", "--user", "1", "--output", str(tmp_path / "one.json")]) == 0
    export = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert export["user_id"] == 1 and export["tables"]["users"][0]["first_name"] == "User1"
    assert "exported user 1:" in capsys.readouterr().err

    assert main(["delete", "--user", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("comeback: deleted user 1: ") and out.count("\n") == 1
    assert "users 1" in out and "rejections 1" in out
    assert main(["delete", "--user", "1"]) == 0
    assert capsys.readouterr().out == "comeback: nothing stored about user 1\n"
    assert rows(db_path, "SELECT id FROM users") == [(2,)]


@pytest.mark.sqlite_only("SQLite's backup API: a consistent copy of the file, in rollback mode")
def test_backup_command_copies_the_database_before_a_delete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.sqlite3"

    async def seed() -> None:
        await (await seeded(path)).close()

    asyncio.run(seed())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")

    assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 0
    assert f"backup written to {tmp_path / 'copy.sqlite3'}" in capsys.readouterr().out
    assert main(["delete", "--user", "1"]) == 0
    copy = tmp_path / "copy.sqlite3"
    assert rows(copy, "SELECT COUNT(*) FROM users") == [(2,)]
    assert rows(copy, "PRAGMA journal_mode") == [("delete",)]
    assert rows(path, "SELECT id FROM users") == [(2,)]
