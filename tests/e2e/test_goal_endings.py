"""No goal goes silent: at its deadline, "not yet" (or a count short of the number) offers a new
date, a smaller goal or closing it; until the person chooses, reminders follow; every goal ends
as done, partly done with its number, closed by the person, or replaced by a new date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.checkins import arrives, finish_debrief, local, move_to, with_text
from tests.kit.db import rows
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
DEADLINE = date(2026, 12, 4)
CHOICES = [["📅 A new date", "🔽 A smaller goal"], ["Close this goal"]]
OVERDUE_BUTTONS = [
    ["✅ Done", "🌗 Partly"],
    ["📅 A new date", "🔽 A smaller goal"],
    ["Close this goal", "🎉 I have news"],
]


def goal_row(path: Path, goal_id: int | None) -> tuple[object, ...]:
    (found,) = rows(
        path, "SELECT status, progress, target, deadline FROM goals WHERE id = ?", goal_id
    )
    return found


async def test_not_yet_on_deadline_day_offers_a_new_date_a_smaller_goal_or_closing_it(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    ada = api.private_user(2301, first_name="Ada")
    plan = await finish_debrief(
        bot, ada, timezone=BERLIN, deadline=DEADLINE, kind="apply", target=6
    )
    await move_to(bot, clock, local(DEADLINE, 18, BERLIN))
    await arrives(api, ada, "Deadline day")
    shown = await ada.press_and_wait("⏳ Not yet")
    assert "Deadline day, and it isn't done yet: Apply to 6 roles by Friday 4 December" in texts(
        shown
    )
    assert "I'll check in again as planned" not in texts(shown)
    assert shown[-1].buttons == CHOICES

    shown = await ada.press_and_wait("Close this goal")
    assert "Closed: Apply to 6 roles by Friday 4 December" in texts(shown)
    assert shown[-1].buttons == [["🎯 Set my next goal"], ["That's all for now"]]
    assert goal_row(db_path, plan.goal_id)[0] == "abandoned"
    # Closed: the reminders planned for an open goal never come.
    await move_to(bot, clock, local(date(2026, 12, 20), 18, BERLIN))
    assert with_text(api, ada, "deadline has passed") == []
    assert rows(
        db_path,
        "SELECT COUNT(*) FROM check_ins WHERE goal_id = ? AND status = 'pending'",
        plan.goal_id,
    ) == [(0,)]
    shown = await ada.press_and_wait("🎯 Set my next goal")  # no dead end after closing
    assert "What's your next goal?" in texts(shown)
    assert ["Apply to N roles"] in shown[-1].buttons


async def test_a_new_date_replans_the_goal_and_drops_the_old_reminders(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    ben = api.private_user(2302, first_name="Ben")
    plan = await finish_debrief(bot, ben, timezone=BERLIN, deadline=DEADLINE)
    await move_to(bot, clock, local(DEADLINE, 18, BERLIN))
    await arrives(api, ben, "Deadline day")
    await ben.press_and_wait("⏳ Not yet")
    shown = await ben.press_and_wait("📅 A new date")
    assert "What's the new deadline?" in texts(shown)
    shown = await ben.press_and_wait("1 week")
    assert "Updated: Do 3 mock interviews by Friday 11 December" in texts(shown)
    assert goal_row(db_path, plan.goal_id) == ("active", 0, 3, "2026-12-11")
    # The reminder of the old deadline (7 Dec) is gone; the new deadline's check-in comes.
    await move_to(bot, clock, local(date(2026, 12, 7), 18, BERLIN))
    assert with_text(api, ben, "deadline has passed") == []
    await move_to(bot, clock, local(date(2026, 12, 11), 18, BERLIN))
    await arrives(api, ben, "Deadline day", count=2)


async def test_a_count_short_of_the_number_at_the_deadline_can_be_counted_as_partly_done(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    cy = api.private_user(2303, first_name="Cy")
    plan = await finish_debrief(bot, cy, timezone=BERLIN, deadline=DEADLINE, kind="apply", target=5)
    await move_to(bot, clock, local(DEADLINE, 18, BERLIN))
    await arrives(api, cy, "Deadline day")
    shown = await cy.say("I applied to 2")  # a typed count, as the button "Partly" would ask
    assert "2 of 5 by the deadline" in texts(shown)
    assert shown[-1].buttons == [["Count it: 2 of 5"], *CHOICES]
    shown = await cy.press_and_wait("Count it: 2 of 5")
    assert "Counted as partly done: 2 of 5" in texts(shown)
    assert goal_row(db_path, plan.goal_id)[:3] == ("done", 2, 5)
    await move_to(bot, clock, local(date(2026, 12, 20), 18, BERLIN))
    assert with_text(api, cy, "deadline has passed") == []


async def test_with_no_answer_a_reminder_follows_twice_then_the_goal_waits_quietly(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    dee = api.private_user(2304, first_name="Dee")
    plan = await finish_debrief(
        bot, dee, timezone=BERLIN, deadline=DEADLINE, kind="apply", target=4
    )
    await move_to(bot, clock, local(DEADLINE, 18, BERLIN))
    await arrives(api, dee, "Deadline day")
    await move_to(bot, clock, local(date(2026, 12, 7), 18, BERLIN))
    first = await arrives(api, dee, "Your goal's deadline has passed")
    assert "Apply to 4 roles by Friday 4 December" in first.plain_text
    assert first.buttons == OVERDUE_BUTTONS
    await move_to(bot, clock, local(date(2026, 12, 14), 18, BERLIN))
    await arrives(api, dee, "Your goal's deadline has passed", count=2)
    await move_to(bot, clock, local(date(2027, 1, 30), 18, BERLIN))
    assert len(with_text(api, dee, "deadline has passed")) == 2
    assert goal_row(db_path, plan.goal_id)[0] == "active"  # open, waiting for their word

    # The reminder's own buttons: a smaller goal, and a new date for it.
    shown = await dee.press_and_wait("🔽 A smaller goal")
    assert "Smaller it is: 2 instead of 4." in texts(shown)
    shown = await dee.say("in 2 weeks")
    assert "Updated: Apply to 2 roles by" in texts(shown)
    assert goal_row(db_path, plan.goal_id)[:3] == ("active", 0, 2)


async def test_done_at_the_reminder_ends_the_goal(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    eve = api.private_user(2305, first_name="Eve")
    plan = await finish_debrief(bot, eve, timezone=BERLIN, deadline=DEADLINE)
    await move_to(bot, clock, local(date(2026, 12, 7), 18, BERLIN))
    reminder = await arrives(api, eve, "Your goal's deadline has passed")
    close = str(reminder.button("Close this goal")["callback_data"])
    shown = await eve.press_and_wait("✅ Done")
    assert "You did it" in texts(shown)
    assert goal_row(db_path, plan.goal_id)[:2] == ("done", 3)
    await api.wait_processed(await eve.press_data(close, reminder.message_id))  # pressed late
    assert api.callback_answers[-1].text == "You already answered this one."
    assert goal_row(db_path, plan.goal_id)[0] == "done"
