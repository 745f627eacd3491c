"""Telegram hands out an update again when the bot was killed before confirming it (PTB confirms
with its next getUpdates call). The soak saw one such answer handled twice, the second time as
the answer to the next question; `bot.redelivery` skips updates already handled."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import Update

from bot.clock import FakeClock
from bot.redelivery import KEEP, PRUNE_EVERY, HandledUpdates, fingerprint
from bot.standin import FakeBotApi
from bot.storage import Database
from tests.conftest import RunningBot
from tests.reliability.support import rows


async def test_an_answer_delivered_again_after_a_restart_is_not_taken_twice(
    bot: RunningBot, api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ada = api.private_user(9301, first_name="Ada")
    await ada.command("/start")
    handled = await ada.send_text("Acme")
    await api.wait_processed(handled)
    original = copy.deepcopy(next(u for u in api.updates if u["update_id"] == handled))
    await bot.stop()
    api._pending.append(original)  # as Telegram does with a batch that was never confirmed
    await bot.start()
    shown = await ada.say("Analyst")  # handled after the redelivered one (same chat, in order)
    assert shown[-1].plain_text == "How far did you get with Acme?"
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [
        ("Acme", "Analyst", "stage")
    ]
    assert [m.plain_text for m in api.chat_messages(ada)].count("What was the role?") == 1
    assert any("handled before a restart" in r.getMessage() for r in caplog.records)


async def test_fingerprints_tell_deliveries_of_one_update_from_different_updates(
    tmp_path: Path,
) -> None:
    def update(update_id: int, text: str) -> Update:
        payload = {
            "update_id": update_id,
            "message": {
                "message_id": 7,
                "date": 1_790_000_000,
                "chat": {"id": 5, "type": "private", "first_name": "A"},
                "from": {"id": 5, "is_bot": False, "first_name": "A"},
                "text": text,
            },
        }
        found = Update.de_json(payload, None)
        assert found is not None
        return found

    first, again, other = update(10, "Acme"), update(10, "Acme"), update(11, "Acme")
    assert fingerprint(first, "k") == fingerprint(again, "k") != fingerprint(other, "k")
    assert fingerprint(first, "k") != fingerprint(first, "another key")
    assert "Acme" not in fingerprint(first, "k")

    db = Database(tmp_path / "h.sqlite3")
    clock = FakeClock()
    try:
        handled = HandledUpdates(db, "k")
        assert await handled.first_time(first, clock.now())
        assert not await handled.first_time(again, clock.now())
        assert await handled.first_time(other, clock.now())
        # Old fingerprints are cleaned up now and then (Telegram redelivers within a day).
        later = clock.now() + KEEP + timedelta(minutes=1)
        for n in range(PRUNE_EVERY):
            await handled.first_time(update(1000 + n, "x"), later)
        assert (await db.fetch_one("SELECT COUNT(*) FROM handled_updates"))[0] < PRUNE_EVERY + 2  # type: ignore[index]
    finally:
        await db.close()
