"""/privacy, /export, /delete and the operator's backup, end to end."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot import operator
from bot.clock import FakeClock
from bot.storage.privacy import TRANSIENT
from standin import FakeBotApi, FakeUser
from tests.kit.chat import texts
from tests.kit.db import columns, dict_rows, row_order, table_names, write
from tests.kit.db import rows as db_rows  # `rows` is a local name here
from tests.kit.progress import ONSITE, debrief_through_bot, seed_debrief
from tests.kit.running import RunningBot

GROUP = -100777
# Tables that hold nothing about a person (bot.storage.privacy.NOT_PERSONAL).
NOT_PERSONAL = {"groups", "inbox_handled", "schema_migrations", "workers"}
# Every table the issue names; each must hold rows of the user under test.
NAMED = {
    "users", "rejections", "moods", "feedback_requests", "plan_actions", "resource_picks",
    "goals", "check_ins", "memberships", "wins", "safety_events", "conversation_states",
}  # fmt: skip
CRISIS = "honestly I want to die"


def seed_group(db_path: Path, *user_ids: int) -> None:
    """A group with the users as members, each with a shared win (no group flow exists yet)."""
    write(
        db_path,
        "INSERT INTO groups (chat_id, title, created_at, updated_at)"
        " VALUES (?, 'Job hunters', 'x', 'x') ON CONFLICT DO NOTHING",
        (GROUP,),
    )
    write(
        db_path,
        "INSERT INTO memberships (chat_id, user_id, sharing, joined_at)"
        " VALUES (?, ?, 'named', 'x')",
        *[(GROUP, uid) for uid in user_ids],
    )
    write(
        db_path,
        "INSERT INTO wins (chat_id, user_id, text, anonymous, created_at) VALUES (?, ?, ?, 0, 'x')",
        *[(GROUP, uid, f"Win of {uid}") for uid in user_ids],
    )


def rows_about(db_path: Path, uid: int) -> dict[str, list[dict[str, Any]]]:
    """The user's rows in every table, found independently of bot.storage.privacy."""
    found: dict[str, list[dict[str, Any]]] = {}
    rids = [r[0] for r in db_rows(db_path, "SELECT id FROM rejections WHERE user_id = ?", uid)]
    for table in table_names(db_path):
        if table in NOT_PERSONAL:
            continue
        names = set(columns(db_path, table))
        if table == "users":
            where, params = "id = ?", [uid]
        elif "user_id" in names:
            where, params = "user_id = ?", [uid]
        elif "rejection_id" in names:
            where = f"rejection_id IN ({', '.join('?' * len(rids)) or 'NULL'})"
            params = list(rids)
        elif table == "conversation_states":
            where, params = "key LIKE ?", [f"%{uid}%"]
        else:
            raise AssertionError(f"table {table} holds what? Extend this test and privacy.py")
        sql = f"SELECT * FROM {table} WHERE {where} ORDER BY {row_order(db_path)}"
        found[table] = dict_rows(db_path, sql, *params)
    return found


def lasting(found: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Without bookkeeping tables that change with every update or press (privacy.TRANSIENT)."""
    return {table: rows for table, rows in found.items() if table not in TRANSIENT}


def counts(db_path: Path) -> dict[str, int]:
    """Committed rows per table."""
    return {
        t: int(db_rows(db_path, f"SELECT COUNT(*) FROM {t}")[0][0]) for t in table_names(db_path)
    }


async def full_history(bot: RunningBot, api: FakeBotApi, db_path: Path, user: FakeUser) -> None:
    """A finished debrief, a crisis reply, a group win, and a second debrief left half-way."""
    await debrief_through_bot(user, company="Initech")
    shown = await user.say(CRISIS)
    assert "you don't have to carry it alone" in texts(shown)
    await user.press_and_wait("I'd like to go on")  # the coaching paused until then
    seed_group(db_path, user.id)
    await user.command("/rejected")
    shown = await user.say("Globex")
    assert shown[-1].plain_text == "What was the role?"


async def test_privacy_says_what_why_how_long_and_who(bot: RunningBot, api: FakeBotApi) -> None:
    lea = api.private_user(6001, first_name="Lea")
    shown = await lea.command("/privacy")
    text = shown[0].plain_text
    for heading in ("What I store", "Why", "For how long", "Who can see it"):
        assert heading in text
    assert "never your words" in text and "/delete" in text and "/export" in text
    assert "Nothing personal is ever posted to a group unless you share it" in text


async def test_export_is_complete_and_only_theirs(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    max_ = api.private_user(6002, first_name="Max")
    ned = api.private_user(6003, first_name="Ned")
    await full_history(bot, api, db_path, max_)
    await seed_debrief(bot, ned.id, company="Ned's Secret Co", stage="offer", gaps=(), days_ago=2)
    seed_group(db_path, ned.id)

    shown = await max_.command("/export")
    assert [m.method for m in shown] == ["sendDocument"]
    document = shown[0]
    assert document.filename == "comeback-export-2026-11-27.json"
    assert "Everything I hold about you, as of 2026-11-27" in document.plain_text
    export = json.loads(document.document or b"")
    assert export["format"] == "comeback-export" and export["user_id"] == max_.id

    expected = rows_about(db_path, max_.id)
    assert set(export["tables"]) == set(expected)
    assert set(expected) | NOT_PERSONAL == set(table_names(db_path))
    for table, rows in expected.items():
        if table == "inbox":  # only the /export request itself, while it was being handled
            held = export["tables"][table]
            assert len(held) == 1 and "/export" in held[0]["payload"], held
            continue
        assert export["tables"][table] == rows, table
    assert {t for t, rows in expected.items() if rows} >= NAMED
    total = sum(len(rows) for rows in lasting(expected).values())
    assert f": {total} records in" in document.plain_text
    assert set(export["not_exported"]) == NOT_PERSONAL

    raw = (document.document or b"").decode("utf-8")
    assert "Ned's Secret Co" not in raw and "Win of 6003" not in raw
    assert "Initech" in raw and "Globex" in raw and "Win of 6002" in raw


async def test_crisis_words_are_not_kept_only_the_fact(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    oli = api.private_user(6004, first_name="Oli")
    await oli.say("I don't want to be here anymore")
    await oli.press_and_wait("I'd like to go on")
    await oli.command("/rejected")
    await oli.say("Acme")
    await oli.say("Engineer")
    await oli.press_and_wait(ONSITE)
    await oli.press_and_wait("✉️ Email")
    await oli.press_and_wait("2 🙁")
    await oli.press_and_wait("No thanks, go on")
    shown = await oli.say(CRISIS)  # the "what went well?" step
    assert "you don't have to carry it alone" in texts(shown)

    shown = await oli.command("/export")
    raw = (shown[0].document or b"").decode("utf-8")
    export = json.loads(raw)
    events = export["tables"]["safety_events"]
    assert len(events) == 2
    assert all(set(event) == {"id", "user_id", "shown_at", "kind"} for event in events)
    assert {event["shown_at"] for event in events} == {"2026-11-27"}  # the date, no time
    assert "die" not in raw and "anymore" not in raw and "want to" not in raw


async def test_nothing_stored_means_nothing_to_export_or_delete(
    bot: RunningBot, api: FakeBotApi
) -> None:
    pia = api.private_user(6005, first_name="Pia")
    shown = await pia.command("/export")
    assert [m.method for m in shown] == ["sendMessage"]
    assert "I hold nothing about you" in shown[0].plain_text
    shown = await pia.command("/delete")
    assert "I hold nothing about you" in shown[0].plain_text and shown[0].buttons == []


async def test_delete_erases_every_row_cancels_check_ins_and_starts_fresh(
    bot: RunningBot, api: FakeBotApi, db_path: Path, clock: FakeClock
) -> None:
    rex = api.private_user(6006, first_name="Rex")
    sue = api.private_user(6007, first_name="Sue")
    await full_history(bot, api, db_path, rex)
    await debrief_through_bot(sue, company="Sue's Co")
    seed_group(db_path, sue.id)
    before = rows_about(db_path, rex.id)
    assert {t for t, rows in before.items() if rows} >= NAMED
    assert any(r["status"] == "pending" for r in before["check_ins"])
    goal_ids = {r["id"] for r in before["goals"]}
    rejection_ids = {r["id"] for r in before["rejections"]}
    sue_before = rows_about(db_path, sue.id)

    shown = await rex.command("/delete")
    assert "Erase everything?" in shown[0].plain_text
    assert "ends the debrief you're in the middle of" in shown[0].plain_text
    assert shown[0].buttons == [["🗑 Yes, erase everything"], ["Keep my data"]]
    erase_data = str(shown[0].callback_data[0][0])
    shown = await rex.press_and_wait("Keep my data")
    assert "Nothing was erased" in texts(shown)
    assert lasting(rows_about(db_path, rex.id)) == lasting(before)
    # Sue cannot press Rex's confirmation (forged onto her own chat).
    sue_message = api.last_message(sue)
    update_id = await sue.press_data(erase_data, sue_message.message_id)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "That button has expired. Here's where we are."
    assert lasting(rows_about(db_path, rex.id)) == lasting(before)

    await rex.command("/delete")
    shown = await rex.press_and_wait("🗑 Yes, erase everything")
    total = sum(len(rows) for rows in lasting(before).values())
    assert f"Everything I held about you is erased ({total} records)" in texts(shown)

    # Nothing about Rex remains in any table; Sue's rows and the group are untouched.
    assert all(rows == [] for rows in rows_about(db_path, rex.id).values())
    for table in table_names(db_path):
        for values in dict_rows(db_path, f"SELECT * FROM {table}"):
            assert values.get("user_id") != rex.id, (table, values)
            assert values.get("chat_id") != rex.id, (table, values)
            assert values.get("rejection_id") not in rejection_ids, (table, values)
            assert values.get("goal_id") not in goal_ids, (table, values)
            assert str(rex.id) not in str(values.get("key")), (table, values)
            own_ids = {"users": {rex.id}, "rejections": rejection_ids, "goals": goal_ids}
            assert values.get("id") not in own_ids.get(table, set()), (table, values)
    assert rows_about(db_path, sue.id) == sue_before
    assert db_rows(db_path, "SELECT title FROM groups") == [("Job hunters",)]

    # No check-in reaches Rex any more; Sue's still come (the dispatcher does run).
    dispatcher = bot.services.dispatcher
    assert dispatcher is not None
    rex_seen = len(api.chat_messages(rex))
    sue_seen = len(api.chat_messages(sue))
    for _ in range(6):
        clock.advance(days=7)
        await dispatcher.settle()
    assert len(api.chat_messages(rex)) == rex_seen
    assert len(api.chat_messages(sue)) > sue_seen

    # The half-way debrief is over: the next message is what a newcomer gets.
    shown = await rex.say("Data analyst")
    assert (
        texts(shown) == "I'm here for the day after a rejection. Want to go through one together?"
    )
    assert db_rows(db_path, "SELECT COUNT(*) FROM rejections WHERE user_id = ?", rex.id) == [(0,)]


async def test_delete_mid_debrief_ends_it_cleanly_even_across_a_restart(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    tom = api.private_user(6008, first_name="Tom")
    await tom.command("/start")
    await tom.say("Umbrella")
    shown = await tom.command("/progress")
    assert "1 rejection debriefed" in shown[0].plain_text
    await tom.command("/delete")
    await tom.press_and_wait("🗑 Yes, erase everything")
    assert db_rows(db_path, "SELECT COUNT(*) FROM conversation_states") == [(0,)]
    await bot.restart()
    shown = await tom.say("Backend engineer")
    assert (
        texts(shown) == "I'm here for the day after a rejection. Want to go through one together?"
    )
    shown = await tom.command("/resume")
    assert "How far did you get" not in texts(shown)


@pytest.mark.sqlite_only("SQLite's online backup API; PostgreSQL's backup is pg_dump")
async def test_backup_while_a_user_walks_a_debrief_holds_every_committed_row(
    bot: RunningBot, api: FakeBotApi, db_path: Path, tmp_path: Path
) -> None:
    uma = api.private_user(6009, first_name="Uma")
    for days_ago in (30, 20, 10):
        await seed_debrief(
            bot, 6010, company="Seeded", stage="onsite", gaps=("theory",), days_ago=days_ago
        )
    walk = asyncio.create_task(debrief_through_bot(uma, company="Walking Co"))
    growing = ("users", "rejections", "moods", "feedback_requests", "resource_picks", "goals")
    snapshots: list[dict[str, int]] = []
    while not walk.done() or len(snapshots) < 2:
        committed = counts(db_path)
        with sqlite3.connect(db_path) as conn:
            mood_ids = {r[0] for r in conn.execute("SELECT id FROM moods")}
        target = tmp_path / f"backup-{len(snapshots)}.sqlite3"
        outcome = await operator.backup(db_path, target)
        later = counts(db_path)
        # Restore: copy the backup into place as a database of its own and open it.
        restored = tmp_path / f"restored-{len(snapshots)}.sqlite3"
        await asyncio.to_thread(shutil.copyfile, target, restored)
        with sqlite3.connect(restored) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            copied = {
                t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
                for t in table_names(restored)
            }
            assert mood_ids <= {r[0] for r in conn.execute("SELECT id FROM moods")}
        assert copied == outcome.data.row_counts
        for table in growing:
            assert committed[table] <= copied[table] <= later[table], table
        snapshots.append(copied)
        await asyncio.sleep(0.01)
    await walk
    assert "Walking Co" in texts(api.chat_messages(uma))
    # The backups really were taken while the debrief moved on.
    assert len({tuple(s.items()) for s in snapshots}) >= 2
    final = await operator.backup(db_path, tmp_path / "final.sqlite3")
    assert final.data.row_counts == counts(db_path)
    assert final.summary.startswith(f"backup written to {tmp_path / 'final.sqlite3'}: ")
