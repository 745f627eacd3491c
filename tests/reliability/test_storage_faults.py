"""Storage faults: a read-only database, a full disk, a lock that outlasts the busy timeout.

The user gets a short "I'll take it as soon as I can" answer, the bot keeps running, the step they
were on does not move (neither in the database nor in PTB's ConversationHandler), nothing
committed before is lost, and the bot recovers by itself once the fault clears.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.storage import Database, StorageUnavailable
from bot.storage.database import unavailable
from standin import FakeBotApi, FakeUser
from tests.kit.chat import texts
from tests.kit.checkins import arrives, finish_debrief, local, move_to, with_text
from tests.kit.db import DbTarget, rows, waiting
from tests.kit.faults import (
    UNAVAILABLE,
    conversation_state,
    disk_full,
    error_records,
    pragma,
    read_only,
    retry_rounds,
)
from tests.kit.running import RunningBot

# The faults below are SQLite's own (tests/kit/faults.py): they run on SQLite alone. The tests
# that fail a repository call with StorageUnavailable run on both backends.
READ_ONLY = "the fault is SQLite's PRAGMA query_only on the bot's connection (read_only)"
FULL_DISK = "the fault is SQLite's PRAGMA max_page_count on the bot's connection (disk_full)"


def last(api: FakeBotApi, user: FakeUser) -> str:
    messages = api.chat_messages(user)
    return messages[-1].plain_text if messages else ""


@pytest.mark.sqlite_only(READ_ONLY)
async def test_read_only_database_answers_unavailable_keeps_the_step_and_recovers(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget, caplog: pytest.LogCaptureFixture
) -> None:
    ada = api.private_user(7001, first_name="Ada")
    bea = api.private_user(7002, first_name="Bea")
    await ada.command("/start")
    await ada.say("Initech")  # committed before the fault
    assert conversation_state(bot, "debrief", ada) == "role"

    await read_only(bot, True)
    shown = await ada.say("Analyst")
    assert [m.plain_text for m in shown] == [
        "I couldn't save that just now. I'll take it as soon as I can, so there's no need to"
        " send it again."
    ]
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [
        ("Initech", None, "role")
    ]
    assert conversation_state(bot, "debrief", ada) == "role"  # PTB kept the old state
    # A newcomer's /start cannot be saved either: the same short answer, no half-made debrief.
    shown = await bea.command("/start")
    assert UNAVAILABLE in texts(shown)
    assert rows(db_path, "SELECT COUNT(*) FROM rejections") == [(1,)]
    await retry_rounds(bot, 2)  # retried meanwhile, in vain: nobody is told twice
    assert sum(UNAVAILABLE in m.plain_text for m in api.chat_messages(ada)) == 1

    await read_only(bot, False)  # the fault clears: no restart, and nobody sends again
    await api.wait_for(lambda: "How far did you get with Initech?" in last(api, ada))
    await api.wait_for(lambda: conversation_state(bot, "debrief", ada) == "stage")
    await api.wait_for(lambda: "Which company was it?" in last(api, bea))
    assert rows(db_path, "SELECT user_id, company, role, step FROM rejections ORDER BY id") == [
        (ada.id, "Initech", "Analyst", "stage"),
        (bea.id, None, None, "company"),
    ]
    assert sum(UNAVAILABLE in m.plain_text for m in api.chat_messages(ada)) == 1

    assert error_records(caplog) == []  # a warning, not a bug report
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.errors"]
    assert any("Storage unavailable" in w and "readonly" in w for w in warnings)
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.sqlite_only(FULL_DISK)
async def test_full_disk_answers_unavailable_and_the_retry_saves_the_answer(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget, caplog: pytest.LogCaptureFixture
) -> None:
    cal = api.private_user(7003, first_name="Cal")
    await cal.command("/start")
    await cal.say("Hooli")
    await cal.say("Designer")
    await cal.press_and_wait("📞 Recruiter or phone screen")
    await cal.press_and_wait("📞 Call")
    await cal.press_and_wait("4 🙂")
    story = "🌱" * 2000  # 8,000 bytes: it needs new pages, which a full disk cannot give

    await disk_full(bot, True)
    shown = await cal.say(story)
    assert UNAVAILABLE in texts(shown)
    assert rows(db_path, "SELECT went_well, step, mood FROM rejections") == [(None, "went_well", 4)]
    assert conversation_state(bot, "debrief", cal) == "went_well"

    await disk_full(bot, False)  # the words are taken without being sent again
    await api.wait_for(lambda: "one lesson" in last(api, cal))
    assert rows(db_path, "SELECT went_well = ?, step FROM rejections", story) == [(1, "lesson")]
    assert error_records(caplog) == []
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.sqlite_only("SQLite's file lock and busy timeout")
async def test_a_lock_held_past_the_busy_timeout_is_unavailable_then_clears(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget, caplog: pytest.LogCaptureFixture
) -> None:
    dee = api.private_user(7004, first_name="Dee")
    await dee.command("/start")
    await pragma(bot, "PRAGMA busy_timeout = 200")  # keep the test short
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        shown = await dee.say("Pied Piper")
        assert UNAVAILABLE in texts(shown)
        other.execute("ROLLBACK")
        await api.wait_for(lambda: last(api, dee) == "What was the role?")
    finally:
        other.close()
    assert rows(db_path, "SELECT company FROM rejections") == [("Pied Piper",)]
    assert error_records(caplog) == []


@pytest.mark.sqlite_only(READ_ONLY)
async def test_check_ins_wait_out_a_read_only_spell_and_go_out_once(
    bot: RunningBot,
    api: FakeBotApi,
    clock: FakeClock,
    db_path: DbTarget,
    caplog: pytest.LogCaptureFixture,
) -> None:
    eve = api.private_user(7005, first_name="Eve")
    await finish_debrief(bot, eve, timezone="UTC", deadline=date(2026, 12, 4))
    await read_only(bot, True)
    # Due now, but it cannot be claimed: the dispatcher's run fails and is reported as a
    # warning by the error handler (it runs as a job), and the check-in stays pending.
    clock.set(local(date(2026, 11, 30), 18, "UTC"))
    for _ in range(200):
        if any("Storage unavailable" in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.025)
    else:
        raise AssertionError("the failed dispatch run was not reported")
    assert with_text(api, eve, "Halfway") == []
    assert error_records(caplog) == []
    await read_only(bot, False)
    await move_to(bot, clock, local(date(2026, 11, 30), 18, "UTC", minute=1))
    await arrives(api, eve, "Halfway there")
    assert len(with_text(api, eve, "Halfway")) == 1
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("sent",)]


# --- The Database layer: the one place errors are mapped ---------------------------------------


@pytest.mark.sqlite_only("SQLite's Database and its error codes")
async def test_database_maps_storage_faults_and_rolls_back(tmp_path: Path) -> None:
    db = Database(tmp_path / "faults.sqlite3")
    try:
        conn = await db.connection()
        await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        await db.execute("INSERT INTO notes (body) VALUES (?)", ("kept",))

        await conn.execute("PRAGMA query_only = ON")
        with pytest.raises(StorageUnavailable, match="readonly"):
            await db.execute("INSERT INTO notes (body) VALUES (?)", ("lost",))
        assert [r[0] for r in await db.fetch_all("SELECT body FROM notes")] == ["kept"]  # reads
        await conn.execute("PRAGMA query_only = OFF")

        pages = (await db.fetch_one("PRAGMA page_count"))[0]  # type: ignore[index]
        await conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StorageUnavailable, match="full"):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO notes (body) VALUES (?)", ("small",))
                await tx.execute("INSERT INTO notes (body) VALUES (?)", ("x" * 50_000,))
        await conn.execute("PRAGMA max_page_count = 1073741823")
        # The whole transaction was undone, its first statement included; the next one works.
        assert [r[0] for r in await db.fetch_all("SELECT body FROM notes")] == ["kept"]
        await db.execute("INSERT INTO notes (body) VALUES (?)", ("after",))

        # Bugs stay bugs: a constraint or a syntax error is not "unavailable".
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute("INSERT INTO notes (id, body) VALUES (1, 'dup')")
        with pytest.raises(sqlite3.OperationalError, match="syntax"):
            await db.fetch_all("SELEC nonsense")
    finally:
        await db.close()


@pytest.mark.sqlite_only("sqlite3 error codes and messages")
@pytest.mark.parametrize(
    ("message", "mapped"),
    [
        ("attempt to write a readonly database", True),
        ("database or disk is full", True),
        ("disk I/O error", True),
        ("database is locked", True),
        ("unable to open database file", True),
        ("no such table: notes", False),
        ('near "SELEC": syntax error', False),
    ],
)
def test_which_sqlite_errors_mean_unavailable(message: str, mapped: bool) -> None:
    assert (unavailable(sqlite3.OperationalError(message)) is not None) is mapped
    assert unavailable(sqlite3.IntegrityError(message)) is None


@pytest.mark.sqlite_only("SQLite's file in a folder that does not exist")
async def test_an_unopenable_database_is_unavailable(tmp_path: Path) -> None:
    db = Database(tmp_path / "missing-folder" / "x.sqlite3")
    with pytest.raises(StorageUnavailable):
        await db.connection()
    await db.close()


@pytest.mark.sqlite_only("SQLite's Database, made read-only by PRAGMA query_only")
async def test_concurrent_writers_during_a_fault_all_fail_cleanly(tmp_path: Path) -> None:
    db = Database(tmp_path / "many.sqlite3")
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")
        conn = await db.connection()
        await conn.execute("PRAGMA query_only = ON")
        results = await asyncio.gather(
            *(db.execute("INSERT INTO t VALUES (?)", (i,)) for i in range(20)),
            return_exceptions=True,
        )
        assert all(isinstance(r, StorageUnavailable) for r in results)
        await conn.execute("PRAGMA query_only = OFF")
        await asyncio.gather(*(db.execute("INSERT INTO t VALUES (?)", (i,)) for i in range(20)))
        assert (await db.fetch_one("SELECT COUNT(*) FROM t"))[0] == 20  # type: ignore[index]
    finally:
        await db.close()
    logging.getLogger(__name__).debug("done")


async def test_a_check_in_sent_while_the_database_failed_is_recorded_later_not_resent(
    bot: RunningBot,
    api: FakeBotApi,
    clock: FakeClock,
    db_path: DbTarget,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fault starts between Telegram taking the message and the database recording it."""
    fay = api.private_user(7006, first_name="Fay")
    await finish_debrief(bot, fay, timezone="UTC", deadline=date(2026, 12, 4))
    checkins = bot.services.checkins
    real = checkins.mark_sent
    failures = iter([StorageUnavailable("database or disk is full")])

    async def flaky(*args: object, **kwargs: object) -> None:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(checkins, "mark_sent", flaky)
    due = local(date(2026, 11, 30), 18, "UTC")
    await move_to(bot, clock, due)
    assert len(with_text(api, fay, "Halfway")) == 1
    await move_to(bot, clock, due.replace(minute=1))  # a later run records it
    assert next(failures, None) is None  # the fault did happen
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("sent",)]
    await bot.restart()
    await move_to(bot, clock, due.replace(hour=19))
    assert len(with_text(api, fay, "Halfway")) == 1  # never sent twice
    shown = await fay.press_and_wait("✅ Done")
    assert "You did it" in texts(shown)


@pytest.mark.sqlite_only(READ_ONLY)
async def test_an_update_is_never_handled_twice_at_once_while_its_retry_waits(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget, caplog: pytest.LogCaptureFixture
) -> None:
    """A stored update whose step fails, and whose kind apology is slow to go out (Telegram
    answers late): the failed handling is still running when the 1-second retry comes round.
    The retry waits for it instead of starting a second copy, which would tell the person twice
    and, finishing first, clear the inbox row the other copy still needed after a crash."""
    fay = api.private_user(7006, first_name="Fay")
    await fay.command("/start")
    await fay.say("Globex")
    await fay.say("Analyst")
    api.delay_next("answerCallbackQuery", 1.0)
    asked = len(api.requests)
    await fay.press("📞 Recruiter or phone screen")  # stored in the inbox on arrival
    # The press is being answered (slowly) before the step writes: make its writes fail.
    await api.wait_for(lambda: any(r.method == "answerCallbackQuery" for r in api.requests[asked:]))
    await read_only(bot, True)  # the step's own writes fail
    api.delay_next("sendMessage", 2.5, chat_id=fay.id)
    # The apology arrives late; retry rounds pass meanwhile, and after it.
    await api.wait_for(lambda: any(UNAVAILABLE in m.plain_text for m in api.chat_messages(fay)))
    await retry_rounds(bot, 2)
    assert sum(UNAVAILABLE in m.plain_text for m in api.chat_messages(fay)) == 1
    assert not any("Could not clear" in r.getMessage() for r in caplog.records)
    assert waiting(db_path) == 1
    await read_only(bot, False)
    await api.wait_for(lambda: "How did you hear" in last(api, fay))
    await retry_rounds(bot, 2)
    assert sum("How did you hear" in m.plain_text for m in api.chat_messages(fay)) == 1
    assert rows(db_path, "SELECT step FROM rejections") == [("how_heard",)]
    assert waiting(db_path) == 0


async def test_a_conversation_state_that_cannot_be_written_does_not_fail_the_step(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The step's own writes went through and its reply went out; only writing the
    conversation's new state meets a fault. The person is not told to wait (nothing of theirs
    is lost): the state counts in memory and is written with their next update."""
    gil = api.private_user(7007, first_name="Gil")
    states = bot.services.conversation_states
    save = states.save
    failures = iter([True])

    async def flaky_save(name: str, key: tuple[int | str, ...], state: str) -> None:
        if next(failures, False):
            fault = unavailable(sqlite3.OperationalError("database or disk is full"))
            assert fault is not None
            raise fault
        await save(name, key, state)

    monkeypatch.setattr(states, "save", flaky_save)
    shown = await gil.command("/start")
    assert "Which company was it?" in texts(shown)
    assert UNAVAILABLE not in texts(api.chat_messages(gil))
    assert conversation_state(bot, "debrief", gil) is None  # not written yet
    shown = await gil.say("Initech")
    assert "What was the role?" in texts(shown)
    assert conversation_state(bot, "debrief", gil) == "role"
    assert UNAVAILABLE not in texts(api.chat_messages(gil))


async def test_a_state_kept_in_memory_never_overwrites_a_newer_one_written_later(
    bot: RunningBot, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state after "role" cannot be written, nor at the next update's first try; that
    update's own new state is written. The older one kept in memory must then be dropped, not
    written over the newer one with the update after (which would take the next button for a
    stale one)."""
    hal = api.private_user(7008, first_name="Hal")
    states = bot.services.conversation_states
    save = states.save
    failures = iter([False, False, True, True])

    async def flaky_save(name: str, key: tuple[int | str, ...], state: str) -> None:
        if next(failures, False):
            fault = unavailable(sqlite3.OperationalError("database or disk is full"))
            assert fault is not None
            raise fault
        await save(name, key, state)

    monkeypatch.setattr(states, "save", flaky_save)
    await hal.command("/start")
    await hal.say("Initech")
    shown = await hal.say("Analyst")  # its state ("stage") is kept in memory
    assert "How far did you get" in texts(shown)
    shown = await hal.press_and_wait("📞 Recruiter or phone screen")
    assert "How did you hear the news?" in texts(shown)
    assert conversation_state(bot, "debrief", hal) == "how_heard"
    shown = await hal.press_and_wait("📞 Call")
    assert "earlier step" not in texts(shown)
    assert "how are you right now?" in texts(shown)
    assert conversation_state(bot, "debrief", hal) == "mood"
