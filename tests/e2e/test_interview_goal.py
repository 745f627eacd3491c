"""A goal of its own for the next interview: picked in the debrief ("Get an interview"), asked
about as "any interview yet?", and closed by the interview recorded with /outcome; /progress
shows it done.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.checkins import arrives, local, move_to
from tests.kit.db import rows
from tests.kit.running import RunningBot
from tests.kit.walks import walk_to_feedback

BERLIN = "Europe/Berlin"


async def test_get_an_interview_from_the_debrief_to_done_by_the_interview_recorded(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    ivy = api.private_user(2501, first_name="Ivy")
    await walk_to_feedback(ivy)
    await ivy.press_and_wait("Skip")  # no feedback request
    await ivy.press_and_wait("▫️ Interviewing skills")
    await ivy.press_and_wait("Done")
    shown = await ivy.press_and_wait("Skip")  # no resource
    assert "a goal to try again" in shown[-1].plain_text
    assert ["Get an interview"] in shown[-1].buttons
    await ivy.press_and_wait("Get an interview")
    await ivy.say("Berlin")
    shown = await ivy.press_and_wait("2 weeks")  # Friday 27 November + 2 weeks
    assert "is a lot for the time" not in texts(shown)  # one interview always fits
    assert "Goal: Get 1 interview by Friday 11 December" in texts(shown)
    ((goal_id, kind, target),) = rows(db_path, "SELECT id, kind, target FROM goals")
    assert (kind, target) == ("interview", 1)

    # Halfway there: asked whether an interview came, with the way to record it.
    await move_to(bot, clock, local(date(2026, 12, 4), 18, BERLIN))
    check_in = await arrives(api, ivy, "Halfway there")
    assert "Halfway there: Get 1 interview by Friday 11 December. Any interview yet?" in (
        check_in.plain_text
    )
    assert "Tap 🎉 I have news to record it" in check_in.plain_text
    assert ["✏️ Change the goal", "🎉 I have news"] in check_in.buttons

    # Applying again is not an interview: the goal stays open.
    await ivy.command("/outcome")
    shown = await ivy.press_and_wait("📨 I applied again")
    assert "Logged: you applied again." in texts(shown)
    assert "Goal done" not in texts(shown)
    assert rows(db_path, "SELECT status, progress FROM goals WHERE id = ?", goal_id) == [
        ("active", 0)
    ]

    # The interview closes it.
    await ivy.command("/outcome")
    await ivy.press_and_wait("🗓 I got an interview")
    shown = await ivy.say("Wednesday")  # Wednesday 9 December
    assert "Logged: an interview on Wednesday 9 December." in texts(shown)
    assert "✅ Goal done: Get 1 interview by Friday 11 December." in texts(shown)
    assert rows(db_path, "SELECT status, progress FROM goals WHERE id = ?", goal_id) == [
        ("done", 1)
    ]
    assert rows(db_path, "SELECT kind, goal_id FROM outcomes ORDER BY id") == [
        ("applied", None),
        ("interview", goal_id),
    ]

    shown = await ivy.command("/progress")
    assert "✅ Get 1 interview by Friday 11 December: done" in texts(shown)
    # Done: no deadline-day check-in asks about it any more (the prep for the interview comes).
    await move_to(bot, clock, local(date(2026, 12, 11), 18, BERLIN))
    assert not [m for m in api.chat_messages(ivy) if "Deadline day" in m.plain_text]


async def test_a_typed_interview_goal_keeps_the_day_said_with_it(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    jo = api.private_user(2502, first_name="Jo")
    await walk_to_feedback(jo)
    await jo.press_and_wait("Skip")
    await jo.press_and_wait("▫️ Unsure")
    await jo.press_and_wait("Done")
    await jo.press_and_wait("Skip")
    shown = await jo.say("land an interview by friday")
    assert "Where are you" in shown[-1].plain_text
    shown = await jo.say("Berlin")
    assert "By when?" in shown[-1].plain_text
    assert shown[-1].buttons[0] == ["By Friday 4 December"]  # the day they said, first
    shown = await jo.press_and_wait("By Friday 4 December")
    assert "Goal: Get 1 interview by Friday 4 December" in texts(shown)
    assert rows(db_path, "SELECT kind, target, deadline, status FROM goals") == [
        ("interview", 1, "2026-12-04", "active")
    ]
