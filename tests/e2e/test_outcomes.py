"""Closing the loop: the person records "applied again", "got an interview", "got an offer"
(/outcome, "I have news" on a goal check-in); goals move on, it is celebrated, and an interview
with a date brings a preparation check-in the day before, drawn from the debrief's gaps.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from coaching.outcomes import Outcome
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.checkins import arrives, finish_debrief, local, move_to, sent_at, with_text
from tests.kit.db import rows
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
MENU = [
    ["📨 I applied again"],
    ["🗓 I got an interview"],
    ["🎉 I got an offer"],
    ["Not now"],
]


async def test_applied_again_counts_on_the_goal_and_the_last_one_completes_it(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    ana = api.private_user(2401, first_name="Ana")
    plan = await finish_debrief(
        bot, ana, timezone=BERLIN, deadline=date(2026, 12, 11), kind="apply", target=2
    )
    shown = await ana.command("/outcome")
    assert "What happened?" in texts(shown)
    assert shown[-1].buttons == MENU
    shown = await ana.press_and_wait("📨 I applied again")
    assert "Logged: you applied again." in texts(shown)
    assert "Your goal: Apply to 2 roles by Friday 11 December, now 1 of 2." in texts(shown)
    await ana.command("/outcome")
    shown = await ana.press_and_wait("📨 I applied again")
    assert "✅ Goal done: Apply to 2 roles by Friday 11 December." in texts(shown)
    assert rows(db_path, "SELECT status, progress FROM goals WHERE id = ?", plan.goal_id) == [
        ("done", 2)
    ]
    assert rows(db_path, "SELECT kind, goal_id FROM outcomes ORDER BY id") == [
        ("applied", plan.goal_id),
        ("applied", plan.goal_id),
    ]
    # Done: its check-ins are cancelled, nothing more asks about it.
    await move_to(bot, clock, local(date(2026, 12, 11), 18, BERLIN))
    assert with_text(api, ana, "Deadline day") == []


async def test_an_interview_from_a_check_in_brings_a_prep_the_day_before(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    bo = api.private_user(2402, first_name="Bo")
    plan = await finish_debrief(
        bot, bo, timezone=BERLIN, deadline=date(2026, 12, 4), kind="apply", target=5
    )
    await bot.services.debriefs.update(plan.rejection_id, gaps=json.dumps(["interviewing"]))
    await move_to(bot, clock, local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, bo, "Halfway there")
    shown = await bo.press_and_wait("🎉 I have news")
    assert shown[-1].buttons == MENU
    shown = await bo.press_and_wait("🗓 I got an interview")
    assert "When is it?" in texts(shown)
    assert shown[-1].buttons == [["Tomorrow", "No date yet"]]
    shown = await bo.say("Thursday")  # Thursday 3 December
    assert "Logged: an interview on Thursday 3 December." in texts(shown)
    assert "I'll check in on Wednesday 2 December with a short prep" in texts(shown)
    assert (
        "✅ Goal done: Apply to 5 roles by Friday 4 December (0 of 5, and it got you here)."
        in texts(shown)
    )
    assert rows(db_path, "SELECT kind, event_on FROM outcomes") == [("interview", "2026-12-03")]
    # The check-in it came from was answered by the news: its goal is done.
    assert rows(db_path, "SELECT status FROM goals WHERE id = ?", plan.goal_id) == [("done",)]

    await move_to(bot, clock, local(date(2026, 12, 2), 18, BERLIN))
    prep = await arrives(api, bo, "Your interview is tomorrow, Thursday 3 December.")
    assert sent_at(prep) == local(date(2026, 12, 2), 18, BERLIN)
    assert "from the gaps you named in your debrief" in prep.plain_text
    assert "Pick two stories to tell" in prep.plain_text
    assert prep.buttons == [["💪 Ready", "😬 A bit nervous"]]
    shown = await bo.press_and_wait("😬 A bit nervous")
    assert "breathe in for 4" in texts(shown)
    assert "/outcome" in texts(shown)


async def test_an_offer_ends_the_goals_and_offers_to_stop_the_check_ins(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    cat = api.private_user(2403, first_name="Cat")
    plan = await finish_debrief(
        bot, cat, timezone=BERLIN, deadline=date(2026, 12, 20), feedback_sent=True
    )
    await cat.command("/outcome")
    shown = await cat.press_and_wait("🎉 I got an offer")
    assert "An offer! Congratulations." in texts(shown)
    assert "✅ Goal done: Do 3 mock interviews by Sunday 20 December (0 of 3" in texts(shown)
    assert shown[-1].buttons == [["Stop my check-ins"], ["Keep them coming"]]
    shown = await cat.press_and_wait("Stop my check-ins")
    assert "Check-ins are off." in texts(shown)
    assert rows(db_path, "SELECT checkins_enabled FROM users WHERE id = ?", cat.id) == [(0,)]
    assert rows(
        db_path, "SELECT COUNT(*) FROM check_ins WHERE user_id = ? AND status = 'pending'", cat.id
    ) == [(0,)]
    assert rows(db_path, "SELECT status FROM goals WHERE id = ?", plan.goal_id) == [("done",)]


async def test_not_now_and_cancel_record_nothing_and_the_date_can_be_retyped(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    dot = api.private_user(2404, first_name="Dot")
    await dot.command("/outcome")
    shown = await dot.press_and_wait("Not now")
    assert "/outcome whenever something happens" in texts(shown)
    await dot.command("/outcome")
    await dot.press_and_wait("🗓 I got an interview")
    shown = await dot.say("1 Nov")
    assert "That day has already passed" in texts(shown)
    shown = await dot.say("banana")
    assert "I couldn't read that day" in texts(shown)
    shown = await dot.command("/cancel")
    assert "Nothing recorded." in texts(shown)
    assert rows(db_path, "SELECT COUNT(*) FROM outcomes") == [(0,)]
    await dot.command("/outcome")
    await dot.press_and_wait("🗓 I got an interview")
    shown = await dot.press_and_wait("No date yet")
    assert "When you know the date, record it again with /outcome" in texts(shown)
    assert rows(db_path, "SELECT kind, event_on FROM outcomes") == [("interview", None)]


async def test_an_outcome_handled_again_after_a_crash_is_recorded_once(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    eli = api.private_user(2405, first_name="Eli")
    plan = await finish_debrief(
        bot, eli, timezone=BERLIN, deadline=date(2026, 12, 11), kind="apply", target=5
    )
    outcomes = bot.services.outcomes
    first = await outcomes.record(eli.id, Outcome.APPLIED, None, 777)
    again = await outcomes.record(eli.id, Outcome.APPLIED, None, 777)
    assert again.outcome == first.outcome
    assert rows(db_path, "SELECT COUNT(*) FROM outcomes") == [(1,)]
    assert rows(db_path, "SELECT progress FROM goals WHERE id = ?", plan.goal_id) == [(1,)]


async def test_plan_has_a_record_news_button(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    fay = api.private_user(2406, first_name="Fay")
    await finish_debrief(bot, fay, timezone=BERLIN, deadline=date(2026, 12, 11), kind="apply")
    shown = await fay.command("/plan")
    assert shown[-1].buttons == [["🎉 Record news"]]
    shown = await fay.press_and_wait("🎉 Record news")
    assert shown[-1].buttons == MENU
    await fay.press_and_wait("📨 I applied again")
    assert rows(db_path, "SELECT kind FROM outcomes") == [("applied",)]


async def test_a_typed_answer_to_the_prep_check_in_works_like_its_button(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    gus = api.private_user(2407, first_name="Gus")
    await finish_debrief(bot, gus, timezone=BERLIN)
    await gus.command("/outcome")
    await gus.press_and_wait("🗓 I got an interview")
    await gus.say("10 Dec")
    await move_to(bot, clock, local(date(2026, 12, 9), 18, BERLIN))
    prep = await arrives(api, gus, "Your interview is tomorrow, Thursday 10 December.")
    assert "Write down two questions" in prep.plain_text  # no gaps named: stories, questions
    shown = await gus.say("yes, I'm ready!")
    assert "Good luck tomorrow." in texts(shown)
    assert rows(db_path, "SELECT answer FROM check_ins WHERE kind = 'interview_prep'") == [
        ("ready",)
    ]
