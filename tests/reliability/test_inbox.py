"""No update lost to a crash, none applied twice: the inbox (bot/polling.py).

Every fetched batch is stored before the next getUpdates acknowledges it; a handled update's row
is removed; a restart hands over what is left, in order; Telegram is asked from the stored
watermark on, so an unconfirmed batch it hands out again is not taken twice."""

from __future__ import annotations

import asyncio
import copy
import json
import signal
import sqlite3
from pathlib import Path

import pytest
from telegram import Update

from bot.intake import SCREENED_KEY, incoming
from bot.storage.database import unavailable
from standin import FakeBotApi, FakeUser
from standin.http import StandinServer
from tests.kit.chat import last_text
from tests.kit.db import DbTarget, open_store, rows, stored_payloads, url_of, waiting, write
from tests.kit.faults import retry_rounds
from tests.kit.process import start_bot
from tests.kit.running import TOKEN, RunningBot
from tests.kit.walks import complete_debrief


def store_in_inbox(
    db_path: DbTarget, *updates: dict[str, object], screened: str | None = None
) -> None:
    """What a process killed right after fetching, or before it marked an update handled,
    leaves behind."""
    write(
        db_path,
        "INSERT INTO inbox (update_id, user_id, payload, screened, received_at)"
        " VALUES (?, ?, ?, ?, '2026-11-27T09:00:00+00:00') ON CONFLICT (update_id) DO UPDATE"
        " SET handled = 0, payload = excluded.payload, screened = excluded.screened",
        *[(update["update_id"], None, json.dumps(update), screened) for update in updates],
    )


def text_update(update_id: int, user: FakeUser, text: str, message_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1_795_770_000,
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": {"id": user.id, "is_bot": False, "first_name": user.first_name},
            "text": text,
        },
    }


async def test_an_unconfirmed_batch_handed_out_again_is_not_taken_twice(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    ada = api.private_user(9301, first_name="Ada")
    await ada.command("/start")
    handled = await ada.send_text("Acme")
    await api.wait_processed(handled)
    original = copy.deepcopy(next(u for u in api.updates if u["update_id"] == handled))
    await bot.stop()
    api._pending.append(original)  # as Telegram does with a batch that was never confirmed
    await bot.start()
    shown = await ada.say("Analyst")
    assert shown[-1].plain_text == "How far did you get with Acme?"
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [
        ("Acme", "Analyst", "stage")
    ]
    assert [m.plain_text for m in api.chat_messages(ada)].count("What was the role?") == 1
    assert waiting(db_path) == 0
    # Handled rows are emptied: nothing in them says what was written, or by whom.
    assert set(rows(db_path, "SELECT payload, screened, user_id, chat_key FROM inbox")) == {
        ("{}", None, None, None)
    }


async def test_updates_left_in_the_inbox_are_handled_after_a_restart_in_order(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    bea = api.private_user(9302, first_name="Bea")
    await bea.command("/start")
    await bot.stop()
    store_in_inbox(
        db_path,
        text_update(900001, bea, "Initech", 901),
        text_update(900002, bea, "Analyst", 902),
    )
    await bot.start()
    await api.wait_for(lambda: "How far did you get with Initech?" in last_text(api, bea))
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [
        ("Initech", "Analyst", "stage")
    ]
    await api.wait_for(lambda: waiting(db_path) == 0)


async def test_an_update_that_had_moved_the_debrief_is_not_applied_again(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    """Killed after the step was written but before the reply went out: on restart the update
    is handled again; it finds its own id on the debrief and only asks the current question."""
    cy = api.private_user(9303, first_name="Cy")
    await cy.command("/start")
    handled = await cy.send_text("Acme")
    await api.wait_processed(handled)
    original = copy.deepcopy(next(u for u in api.updates if u["update_id"] == handled))
    assert rows(db_path, "SELECT last_update_id FROM rejections") == [(handled,)]
    await bot.stop()
    store_in_inbox(db_path, original)
    before = len(api.chat_messages(cy))
    await bot.start()
    await api.wait_for(lambda: len(api.chat_messages(cy)) > before)
    await api.wait_idle()
    assert last_text(api, cy) == "What was the role?"
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [("Acme", None, "role")]


async def test_an_older_update_handled_again_after_the_debrief_moved_on_applies_nothing(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    """An update whose row outlived its handling (the row could not be removed) is handed over
    again at a restart after the person has answered three more questions: it is older than
    the debrief's last step, so it must not be taken for the question now on screen (the soak
    once found a role stored as the lesson)."""
    dee = api.private_user(9306, first_name="Dee")
    await dee.command("/start")
    await dee.say("Acme")
    handled = await dee.send_text("Analyst")
    await api.wait_processed(handled)
    original = copy.deepcopy(next(u for u in api.updates if u["update_id"] == handled))
    await dee.press_and_wait("💻 Technical test or assignment")
    await dee.press_and_wait("✉️ Email")
    shown = await dee.press_and_wait("3 😐")
    assert "What is one thing that went well?" in shown[-1].plain_text
    await bot.stop()
    store_in_inbox(db_path, original)
    before = len(api.chat_messages(dee))
    await bot.start()
    await api.wait_for(lambda: waiting(db_path) == 0)
    await api.wait_idle()
    assert len(api.chat_messages(dee)) == before  # nothing said: it was answered long ago
    assert rows(db_path, "SELECT role, went_well, step FROM rejections") == [
        ("Analyst", None, "went_well")
    ]
    shown = await dee.say("I stayed calm")
    assert "And one lesson" in shown[-1].plain_text
    assert rows(db_path, "SELECT went_well FROM rejections") == [("I stayed calm",)]


async def test_a_row_that_could_not_be_removed_is_removed_once_the_database_works(
    bot: RunningBot,
    api: FakeBotApi,
    db_path: DbTarget,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Removing a handled update's row meets a storage fault: the retry removes it a moment
    later, so no restart is needed to hand it over (and guard it) again."""
    eve = api.private_user(9307, first_name="Eve")
    updater = bot.services.updater
    assert updater is not None
    done = updater.inbox.done
    failures = iter([True])

    async def flaky_done(update_id: int) -> None:
        if next(failures, False):
            fault = unavailable(sqlite3.OperationalError("database or disk is full"))
            assert fault is not None
            raise fault
        await done(update_id)

    monkeypatch.setattr(updater.inbox, "done", flaky_done)
    shown = await eve.command("/start")
    assert "Which company was it?" in shown[-1].plain_text
    assert any("Could not clear update" in r.getMessage() for r in caplog.records)
    await retry_rounds(bot, 2)
    assert waiting(db_path) == 0


async def test_a_screened_update_is_stored_without_its_words_and_still_answered(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    dee = api.private_user(9304, first_name="Dee")
    crisis = text_update(1, dee, "I want to kill myself", 5)
    row = incoming(Update.de_json(crisis, None))  # type: ignore[arg-type]
    assert row.screened == "crisis"
    assert "kill" not in json.dumps(row.payload)
    await dee.command("/help")
    await bot.stop()
    store_in_inbox(db_path, {**row.payload, "update_id": 900010}, screened="crisis")
    assert "kill" not in str(rows(db_path, "SELECT payload FROM inbox"))
    await bot.start()
    await api.wait_for(lambda: "you don't have to carry it alone" in last_text(api, dee))
    await api.wait_for(lambda: rows(db_path, "SELECT COUNT(*) FROM safety_events") == [(1,)])
    assert SCREENED_KEY not in json.dumps(api.events[-1].text)


async def test_sigkill_with_a_backlog_loses_nothing_and_doubles_nothing(
    tmp_path: Path, db_path: DbTarget
) -> None:
    """The bot has fetched five answers and is stuck sending the first reply when it is killed:
    after the restart every answer is taken once, in order, and the debrief is where it should
    be."""
    api = FakeBotApi(TOKEN)
    async with StandinServer(api) as server:
        eve = api.private_user(9305, first_name="Eve")
        process = await start_bot(tmp_path, server, database_url=url_of(db_path))
        try:
            await eve.send_command("/start")
            await api.wait_for(lambda: "Which company" in last_text(api, eve), 30)
            api.delay_next("sendMessage", 60.0, count=1)
            for answer in ("Globex", "Analyst"):
                await eve.send_text(answer)
            await api.wait_for(lambda: not api.pending_updates, 30)  # both fetched (stored)
            await asyncio.sleep(0.3)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            process = await start_bot(tmp_path, server, database_url=url_of(db_path))
            await api.wait_for(
                lambda: "How far did you get with Globex?" in last_text(api, eve), 30
            )
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), 30)
        api.release_pollers()
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [
        ("Globex", "Analyst", "stage")
    ]
    assert waiting(db_path) == 0
    roles = [m.plain_text for m in api.chat_messages(eve)].count("What was the role?")
    assert 1 <= roles <= 2  # at-least-once: the first reply may have arrived before the kill


async def test_the_stored_offset_is_used_only_while_telegram_could_hand_the_batch_back(
    db_path: DbTarget,
) -> None:
    from datetime import UTC, datetime

    from bot.clock import FakeClock
    from bot.storage.inbox import Incoming, SqlInboxRepository

    clock = FakeClock(datetime(2026, 11, 27, 9, tzinfo=UTC))
    db = open_store(db_path)
    try:
        inbox = SqlInboxRepository(db, clock)
        assert await inbox.resume_offset() is None  # a fresh database: whatever Telegram has
        await inbox.store([Incoming(41, 7, {"update_id": 41}), Incoming(42, 7, {"update_id": 42})])
        await inbox.store([Incoming(42, 7, {"update_id": 42})])  # the same batch again: no-op
        assert [s.update_id for s in await inbox.unfinished()] == [41, 42]
        assert await inbox.resume_offset() == 43
        clock.advance(hours=23)
        assert await inbox.resume_offset() == 43
        clock.advance(hours=2)  # Telegram has dropped anything unconfirmed by now
        assert await inbox.resume_offset() is None
        await inbox.done(41)
        assert [s.update_id for s in await inbox.unfinished()] == [42]
    finally:
        await db.close()


async def test_handled_rows_stay_as_the_watermark_until_a_newer_batch_was_fetched(
    db_path: DbTarget,
) -> None:
    """Storing a batch is one statement, its newest row the watermark (issue 22): a handled
    row is emptied, not removed, and goes only behind a newer batch, whose fetching confirmed
    it to Telegram; an update handed out again is not taken twice."""
    from datetime import UTC, datetime

    from bot.clock import FakeClock
    from bot.storage.inbox import PRUNE_EVERY, Incoming, SqlInboxRepository

    clock = FakeClock(datetime(2026, 11, 27, 9, tzinfo=UTC))
    db = open_store(db_path)
    try:
        inbox = SqlInboxRepository(db, clock)
        await inbox.store([Incoming(41, 7, {"update_id": 41, "message": {"text": "Acme"}})])
        await inbox.done(41)
        assert await inbox.unfinished() == []
        assert await inbox.resume_offset() == 42  # a stop now polls past what was handled
        await inbox.store([Incoming(41, 7, {"update_id": 41})])  # handed out again
        assert await inbox.unfinished() == []
        assert (await inbox.depth()).count == 0
        last = 41 + PRUNE_EVERY - 2  # two batches so far: the PRUNE_EVERY-th stores `last`
        for update_id in range(42, last):
            await inbox.store([Incoming(update_id, 7, {"update_id": update_id})])
            await inbox.done(update_id)
        kept = [r[0] for r in rows(db_path, "SELECT update_id FROM inbox ORDER BY update_id")]
        assert kept == list(range(41, last))  # not pruned at every batch
        await inbox.store([Incoming(last, 7, {"update_id": last})])
        assert rows(db_path, "SELECT update_id, handled FROM inbox") == [(last, 0)]
        assert [s.update_id for s in await inbox.unfinished()] == [last]
        await inbox.done(last)
        assert await inbox.resume_offset() == last + 1
        assert await inbox.watermark() == last
    finally:
        await db.close()


async def test_the_answer_that_finished_a_plan_handled_again_shows_the_plan_once_more(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    """Killed after the finishing transaction, before the plan went out (and before the
    conversation state was saved): on restart the last answer is handled again. The plan is
    shown again; nothing is finished or scheduled twice."""
    gus = api.private_user(9305, first_name="Gus")
    await complete_debrief(gus, stop_at_deadline=True)
    handled = await gus.press("1 week")
    await api.wait_processed(handled)
    assert "That's your plan" in last_text(api, gus)
    original = copy.deepcopy(next(u for u in api.updates if u["update_id"] == handled))
    scheduled = rows(db_path, "SELECT COUNT(*) FROM check_ins")
    await bot.stop()
    store_in_inbox(db_path, original)
    write(  # as the killed process left it
        db_path,
        "INSERT INTO conversation_states (name, key, state) VALUES ('debrief', ?, ?)",
        (json.dumps([gus.id, gus.id]), json.dumps("goal_deadline")),
    )
    before = len(api.chat_messages(gus))
    await bot.start()
    await api.wait_for(lambda: len(api.chat_messages(gus)) >= before + 1)
    await api.wait_idle()
    again = [m.plain_text for m in api.chat_messages(gus)[before:]]
    assert len(again) == 1 and "Your comeback plan" in again[0], again
    assert "That's your plan" in again[0]
    assert rows(db_path, "SELECT status, last_update_id FROM rejections") == [
        ("completed", handled)
    ]
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins") == scheduled
    await api.wait_for(lambda: waiting(db_path) == 0)


async def test_the_inbox_keeps_each_update_as_telegram_sent_it(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fetched update is stored as it came (a field python-telegram-bot does not know
    included, nothing it would add), and a flagged message loses its words and nothing else."""
    fay = api.private_user(9310, first_name="Fay")
    updater = bot.services.updater
    assert updater is not None
    stored = stored_payloads(monkeypatch, updater.inbox, "done", db_path)
    await fay.command("/start")
    message = text_update(0, fay, "Acme", 50)["message"]
    assert isinstance(message, dict)
    later = {**message, "a_field_from_a_newer_bot_api": {"kept": True}}
    plain = api.queue_update("message", later)
    await api.wait_processed(plain)
    assert stored[plain] == {"update_id": plain, "message": later}
    assert "What was the role?" in last_text(api, fay)

    words = {**message, "message_id": 51, "text": "I want to kill myself"}
    flagged = api.queue_update("message", words)
    await api.wait_processed(flagged)
    without = {k: v for k, v in words.items() if k != "text"}
    assert stored[flagged] == {"update_id": flagged, "message": without}
    assert words["text"] == "I want to kill myself"  # what was fetched is left as it was
    await api.wait_for(lambda: "you don't have to carry it alone" in last_text(api, fay))
