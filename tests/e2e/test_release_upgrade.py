"""Debriefs saved by the previous release go on after the upgrade, at every step.

`fixtures/release_0_2_debriefs.sql` is the database release 0.2 left behind with one person
stopped at each debrief step (made by walking them there with that release's code, which kept
conversation state through python-telegram-bot's persistence); `release_0_2_people.json` holds
each person's step and the last message that release sent them, buttons and all. This release
starts on that database (its migrations run), the last messages are shown again as Telegram
still shows them, and each person answers: the debrief goes on from where it stood, the old
buttons work, and nobody hears "nothing running" or "that button has expired".
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import migration_files
from conversations import debrief
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.db import rows
from tests.kit.faults import conversation_state
from tests.kit.running import RunningBot
from tests.kit.walks import BASE, CUSTOM_GOAL, press, stored_step

FIXTURES = Path(__file__).parent / "fixtures"
NOT_GOING_ON = ("no debrief running", "expired", "use the buttons", "Something went wrong")

OLD_LABELS = {debrief.State.GOAL_KIND: press("Do N mock interviews")}


def load_previous_release(db_path: Path) -> None:
    """Replace the bot's database with the one the previous release left."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(db_path) as conn:
        conn.executescript((FIXTURES / "release_0_2_debriefs.sql").read_text(encoding="utf-8"))


@pytest.mark.sqlite_only("a database file left by release 0.2, which ran on SQLite alone")
async def test_debriefs_saved_by_the_previous_release_go_on_at_every_step(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    people = json.loads((FIXTURES / "release_0_2_people.json").read_text(encoding="utf-8"))
    # Steps added after release 0.2 have nobody stopped at them.
    added = {debrief.State.FEEDBACK_SIGNOFF.value, debrief.State.GOAL_CHECK.value}
    assert {p["step"] for p in people} == {s.value for s in debrief.State} - added
    await bot.stop()
    load_previous_release(db_path)
    # Telegram numbers updates on from the last one the old release confirmed.
    api.continue_update_ids(int(rows(db_path, "SELECT update_id FROM inbox_watermark")[0][0]) + 1)
    users = {}
    for person in people:
        user = api.private_user(person["user_id"], first_name=person["first_name"])
        api.open_private_chat(user)  # they wrote to the bot before the upgrade
        params = {"chat_id": user.id, "text": person["last_text"], "parse_mode": "HTML"}
        if person["last_markup"]:
            params["reply_markup"] = json.dumps(person["last_markup"])
        status, _ = await api.call("sendMessage", params)  # as Telegram still shows it
        assert status == 200
        users[person["step"]] = user
    await bot.start()
    latest = len(migration_files())
    assert rows(db_path, "SELECT MAX(version) FROM schema_migrations")[0][0] == latest
    # The old release's watermark is the inbox's newest row now: polling goes on past it.
    assert rows(db_path, "SELECT update_id, handled, payload FROM inbox") == [(1315, 1, "{}")]

    for person in people:
        state = debrief.State(person["step"])
        user = users[person["step"]]
        answers = CUSTOM_GOAL if state is debrief.State.GOAL_CUSTOM else BASE
        # The message still shown is the old release's: its buttons had the old labels.
        answers = {**answers, **OLD_LABELS}
        shown = await answers[state](user, person["visits"])
        seen = texts(shown) if isinstance(shown, list) else ""
        assert shown, f"no answer at {state}"
        assert not any(word in seen for word in NOT_GOING_ON), (state, seen)
        after = stored_step(db_path, user)
        if state is debrief.State.GAPS:  # ticking a gap edits the card and stays
            assert after == state.value
            assert rows(db_path, "SELECT gaps FROM rejections WHERE user_id = ?", user.id) == [
                ('["technical"]',)
            ]
        elif state is debrief.State.GOAL_DEADLINE:
            assert after is None and "Your comeback plan" in seen, seen
        else:
            assert after != state.value, (state, seen)
        # Written as the previous release wrote it, under the same key: a downgrade reads it.
        assert conversation_state(bot, "debrief", user) == after
