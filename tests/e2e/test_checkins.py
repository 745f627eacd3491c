"""Follow-up check-ins end to end: the real Application, the fake Telegram, the fake clock."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.config import Settings
from bot.scheduling.dispatcher import Dispatcher
from bot.storage.checkins import SqlCheckinRepository
from conversations.checkin import composer
from standin import FakeBotApi
from tests.kit.checkins import arrives, finish_debrief, local, move_to, sent_at, with_text
from tests.kit.db import open_store, rows
from tests.kit.running import START, RunningBot, started
from tests.kit.walks import complete_debrief

BERLIN = "Europe/Berlin"
LONDON = "Europe/London"
NEW_YORK = "America/New_York"
GOAL_BUTTONS = [
    ["✅ Done", "🌗 Partly"],
    ["⏳ Not yet", "⏰ Snooze"],
    ["✏️ Change the goal", "🎉 I have news"],
]


async def test_goal_check_ins_arrive_at_six_pm_local_in_two_zones(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    nora = api.private_user(2002, first_name="Nora")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await finish_debrief(bot, nora, timezone=NEW_YORK, deadline=date(2026, 12, 4))

    await move_to(bot, clock, local(date(2026, 11, 30), 17, BERLIN, minute=59))
    assert with_text(api, berta, "Halfway") == []

    await move_to(bot, clock, local(date(2026, 11, 30), 18, BERLIN))
    mid = await arrives(api, berta, "Halfway there")
    assert sent_at(mid) == local(date(2026, 11, 30), 18, BERLIN)
    assert "Do 3 mock interviews by" in mid.plain_text
    assert mid.buttons == GOAL_BUTTONS
    assert with_text(api, nora, "Halfway") == []

    await move_to(bot, clock, local(date(2026, 11, 30), 18, NEW_YORK))
    mid_ny = await arrives(api, nora, "Halfway there")
    assert sent_at(mid_ny) == local(date(2026, 11, 30), 18, NEW_YORK)
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'sent'") == [(2,)]


async def test_the_clock_alone_wakes_the_dispatcher(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 12, 4), 18, BERLIN))  # no explicit dispatch: the jump wakes it
    deadline = await arrives(api, berta, "Deadline day")
    assert deadline.buttons == GOAL_BUTTONS


async def test_goal_spanning_the_eu_dst_start_keeps_six_pm(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    clock.set(local(date(2027, 3, 20), 10, BERLIN))
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2027, 4, 3))
    await move_to(bot, clock, local(date(2027, 3, 27), 18, BERLIN))  # CET, UTC+1
    mid = await arrives(api, berta, "Halfway there")
    assert sent_at(mid).hour == 17
    await move_to(bot, clock, local(date(2027, 4, 3), 18, BERLIN))  # CEST, UTC+2
    last = await arrives(api, berta, "Deadline day")
    assert sent_at(last) == local(date(2027, 4, 3), 18, BERLIN)
    assert sent_at(last).astimezone(local(date(2027, 4, 3), 0, "UTC").tzinfo).hour == 16


async def test_goal_spanning_the_us_dst_start_keeps_six_pm(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    clock.set(local(date(2027, 3, 8), 9, NEW_YORK))
    nora = api.private_user(2002, first_name="Nora")
    await finish_debrief(bot, nora, timezone=NEW_YORK, deadline=date(2027, 3, 18))
    await move_to(bot, clock, local(date(2027, 3, 13), 18, NEW_YORK))  # EST, UTC-5
    mid = await arrives(api, nora, "Halfway there")
    assert sent_at(mid) == local(date(2027, 3, 13), 23, "UTC")
    await move_to(bot, clock, local(date(2027, 3, 18), 18, NEW_YORK))  # EDT, UTC-4
    last = await arrives(api, nora, "Deadline day")
    assert sent_at(last) == local(date(2027, 3, 18), 22, "UTC")


async def test_quiet_hours_hold_a_check_in_until_morning(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await bot.services.users.ensure(berta.id, "Berta", "en")
    await bot.services.users.update(berta.id, checkin_hour=23, quiet_start=22, quiet_end=7)
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await move_to(bot, clock, local(date(2026, 11, 30), 23, BERLIN))
    assert with_text(api, berta, "Halfway") == []
    await move_to(bot, clock, local(date(2026, 12, 1), 6, BERLIN, minute=59))
    assert with_text(api, berta, "Halfway") == []
    await move_to(bot, clock, local(date(2026, 12, 1), 7, BERLIN))
    mid = await arrives(api, berta, "Halfway there")
    assert sent_at(mid) == local(date(2026, 12, 1), 7, BERLIN)


async def test_done_celebrates_and_sets_the_next_goal(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")

    shown = await berta.press_and_wait("✅ Done")
    assert "You did it:" in shown[-1].plain_text
    offer = shown[-1]
    assert offer.buttons == [["🎯 Set my next goal"], ["That's all for now"]]
    assert rows(db_path, "SELECT status, progress FROM goals WHERE id = ?", plan.goal_id) == [
        ("done", 3)
    ]
    assert rows(
        db_path,
        "SELECT COUNT(*) FROM check_ins WHERE goal_id = ? AND status = 'pending'",
        plan.goal_id,
    ) == [(0,)]  # the deadline check-in is no longer needed

    shown = await berta.press_and_wait("🎯 Set my next goal")
    assert "What's your next goal?" in shown[-1].plain_text
    shown = await berta.press_and_wait("Apply to N roles")
    assert "How many?" in shown[-1].plain_text
    assert shown[-1].buttons == [["3", "5", "10"]]
    shown = await berta.say("5")
    assert "By when?" in shown[-1].plain_text
    shown = await berta.press_and_wait("2 weeks")
    assert "Your next goal: Apply to 5 roles by" in shown[-1].plain_text
    assert "I'll check in on" in shown[-1].plain_text
    goals = rows(
        db_path,
        "SELECT kind, target, status, rejection_id FROM goals WHERE user_id = ? ORDER BY id",
        berta.id,
    )
    assert goals[-1] == ("apply", 5, "active", plan.rejection_id)
    plan_card = await berta.command("/plan")
    assert "Goal: Apply to 5 roles by" in plan_card[-1].plain_text

    rest = str(offer.button("That's all for now")["callback_data"])
    await api.wait_processed(await berta.press_data(rest, offer.message_id))
    assert api.callback_answers[-1].text == "You already answered this one."


async def test_partly_asks_how_many_and_keeps_the_count(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")
    shown = await berta.press_and_wait("🌗 Partly")
    assert "How many of the 3 have you done so far?" in shown[-1].plain_text
    shown = await berta.say("lots")
    assert "Just a number from 0 to 3" in shown[-1].plain_text
    shown = await berta.say("2")
    assert "2 of 3 done" in shown[-1].plain_text
    assert rows(db_path, "SELECT progress FROM goals WHERE id = ?", plan.goal_id) == [(2,)]

    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    deadline = await arrives(api, berta, "Deadline day")
    assert "So far: 2 of 3." in deadline.plain_text


async def test_not_yet_twice_suggests_a_smaller_goal(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(
        bot, berta, timezone=BERLIN, deadline=date(2026, 12, 27), kind="apply", target=10
    )
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, berta, "Weekly check-in")
    shown = await berta.press_and_wait("⏳ Not yet")
    assert "Not yet is fine." in shown[-1].plain_text
    assert shown[-1].buttons == []

    clock.set(local(date(2026, 12, 12), 18, BERLIN))
    await arrives(api, berta, "Halfway there")
    shown = await berta.press_and_wait("⏳ Not yet")
    assert "How about a smaller one: Apply to 5 roles by" in shown[-1].plain_text
    suggestion = shown[-1]
    assert suggestion.buttons == [["Yes, make it smaller"], ["Keep my goal"]]
    shown = await berta.press_and_wait("Yes, make it smaller")
    assert "Apply to 5 roles" in shown[-1].plain_text
    assert rows(db_path, "SELECT target, not_yet_count FROM goals WHERE id = ?", plan.goal_id) == [
        (5, 0)
    ]
    keep = str(suggestion.button("Keep my goal")["callback_data"])
    await api.wait_processed(await berta.press_data(keep, suggestion.message_id))
    assert api.callback_answers[-1].text == "You already answered this one."
    assert rows(db_path, "SELECT target FROM goals WHERE id = ?", plan.goal_id) == [(5,)]


async def test_snooze_asks_again_a_day_later_at_the_same_hour(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")
    shown = await berta.press_and_wait("⏰ Snooze")
    assert shown[-1].event == "edited"
    assert shown[-1].buttons == [["1 day", "3 days"], ["« Back"]]
    shown = await berta.press_and_wait("« Back")
    assert shown[-1].buttons == GOAL_BUTTONS
    await berta.press_and_wait("⏰ Snooze")
    shown = await berta.press_and_wait("1 day")
    assert "I'll ask again on Tuesday 1 December, 18:00" in shown[-1].plain_text

    await move_to(bot, clock, local(date(2026, 12, 1), 17, BERLIN))
    assert len(with_text(api, berta, "Halfway there")) == 1
    clock.set(local(date(2026, 12, 1), 18, BERLIN))
    again = await arrives(api, berta, "Halfway there", count=2)
    assert sent_at(again) == local(date(2026, 12, 1), 18, BERLIN)


async def test_change_the_deadline_replans_the_check_ins(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")
    shown = await berta.press_and_wait("✏️ Change the goal")
    assert shown[-1].buttons == [["Change the number", "Move the deadline"], ["« Back"]]
    shown = await berta.press_and_wait("Move the deadline")
    assert "What's the new deadline?" in shown[-1].plain_text
    shown = await berta.say("2026-12-20")
    assert "Updated: Do 3 mock interviews by Sunday 20 December" in shown[-1].plain_text
    pending = rows(
        db_path,
        "SELECT kind, local_date FROM check_ins WHERE goal_id = ? AND status = 'pending'"
        " ORDER BY due_at",
        plan.goal_id,
    )
    assert pending == [
        ("goal_weekly", "2026-12-07"),
        ("goal_mid", "2026-12-10"),
        ("goal_weekly", "2026-12-14"),
        ("goal_deadline", "2026-12-20"),
        ("goal_overdue", "2026-12-23"),
        ("goal_overdue", "2026-12-30"),
    ]


async def test_feedback_follow_up_turns_the_reply_into_actions(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(bot, berta, timezone=BERLIN, feedback_sent=True)
    await move_to(bot, clock, local(date(2026, 12, 4), 17, BERLIN))
    assert with_text(api, berta, "Did they reply?") == []
    clock.set(local(date(2026, 12, 4), 18, BERLIN))  # five business days after Friday 27 November
    asked = await arrives(api, berta, "Did they reply?")
    assert "asked Dana at Acme for feedback" in asked.plain_text
    assert asked.buttons == [["📬 Yes, they replied"], ["Not yet"], ["No reply"]]

    shown = await berta.press_and_wait("📬 Yes, they replied")
    assert "Paste their reply here" in shown[-1].plain_text
    shown = await berta.say(
        "Thanks for interviewing. You lacked depth in system design. "
        "We'd like to see more experience with cloud deployments. All the best!"
    )
    assert "I've added to your plan" in shown[-1].plain_text
    assert "Practise system design: one design problem a week" in shown[-1].plain_text
    assert rows(db_path, "SELECT status, reply_text IS NOT NULL FROM feedback_requests") == [
        ("replied", 1)
    ]
    assert rows(
        db_path,
        "SELECT text FROM plan_actions WHERE rejection_id = ? AND source = 'feedback'",
        plan.rejection_id,
    ) == [
        ("Practise system design: one design problem a week, sketched and explained out loud",),
        ("Build hands-on practice with cloud deployments: one small project or exercise a week",),
    ]


async def test_feedback_not_yet_asks_once_more_then_no_reply_closes(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, feedback_sent=True)
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, berta, "Did they reply?")
    shown = await berta.press_and_wait("Not yet")
    assert "I'll ask once more on Wednesday 9 December" in shown[-1].plain_text
    clock.set(local(date(2026, 12, 9), 18, BERLIN))
    again = await arrives(api, berta, "Checking once more")
    assert again.buttons == [["📬 Yes, they replied"], ["No reply"]]
    shown = await berta.press_and_wait("No reply")
    assert "Asking was the brave part" in shown[-1].plain_text
    assert shown[-1].buttons == [["Close it"], ["Keep it open"]]
    assert rows(db_path, "SELECT status FROM feedback_requests") == [("no_reply",)]
    shown = await berta.press_and_wait("Close it")
    assert "Closed." in shown[-1].plain_text
    assert rows(db_path, "SELECT status FROM feedback_requests") == [("closed",)]


async def test_resource_takeaway_is_asked_the_day_after_and_saved(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, resource_on=date(2026, 11, 28))
    clock.set(local(date(2026, 11, 29), 18, BERLIN))
    asked = await arrives(api, berta, "What was your takeaway from it?")
    assert "Grit (Angela Duckworth)" in asked.plain_text
    assert sent_at(asked) == local(date(2026, 11, 29), 18, BERLIN)
    shown = await berta.press_and_wait("✍️ Share my takeaway")
    assert "What's one thing you took from Grit" in shown[-1].plain_text
    shown = await berta.say("Effort counts twice.")
    assert "Saved to your plan." in shown[-1].plain_text
    assert rows(db_path, "SELECT takeaway FROM resource_picks") == [("Effort counts twice.",)]
    shown = await berta.command("/plan")
    assert "your takeaway: Effort counts twice." in shown[-1].plain_text


async def test_low_mood_gets_a_gentle_check_three_days_later(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, mood=2)
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    asked = await arrives(api, berta, "how are you feeling today")
    assert asked.buttons == [["1 😞", "2 🙁", "3 😐", "4 🙂", "5 😊"]]
    five = str(asked.button("5 😊")["callback_data"])
    shown = await berta.press_and_wait("4 🙂")
    assert "Really glad to hear it." in shown[-1].plain_text
    assert rows(db_path, "SELECT score, source FROM moods ORDER BY id") == [
        (2, "debrief"),
        (4, "checkin"),
    ]
    await api.wait_processed(await berta.press_data(five, asked.message_id))
    assert api.callback_answers[-1].text == "You already answered this one."
    assert rows(db_path, "SELECT COUNT(*) FROM moods") == [(2,)]


async def test_no_mood_check_after_a_steady_debrief(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, mood=4)
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins") == [(0,)]


async def test_an_answer_days_later_still_works_and_old_buttons_never_act(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 27))
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    weekly = await arrives(api, berta, "Weekly check-in")
    clock.set(local(date(2026, 12, 12), 18, BERLIN))
    await arrives(api, berta, "Halfway there")

    # The weekly one was replaced by the midpoint: its buttons say so and do nothing.
    done = weekly.button("✅ Done")["callback_data"]
    update_id = await berta.press_data(done, weekly.message_id)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "A newer check-in replaced this one."
    assert "replaced by a newer one" in api.last_message(berta).plain_text
    assert rows(db_path, "SELECT status FROM goals WHERE id = ?", plan.goal_id) == [("active",)]

    # Someone else's check-in id in forged data: refused, nothing changes.
    mallory = api.private_user(2666, first_name="Mallory")
    await finish_debrief(bot, mallory, timezone=BERLIN)
    update_id = await mallory.press_data(done, 1)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "That button has expired."
    assert rows(db_path, "SELECT status FROM goals WHERE id = ?", plan.goal_id) == [("active",)]

    # Three days later the midpoint is answered all the same.
    clock.set(local(date(2026, 12, 15), 9, BERLIN))
    shown = await berta.press_and_wait("✅ Done")
    assert "You did it:" in shown[-1].plain_text


async def test_cancel_and_other_commands_leave_a_check_in_question(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")
    await berta.press_and_wait("🌗 Partly")
    shown = await berta.command("/cancel")
    assert "I've left it there" in shown[-1].plain_text
    shown = await berta.say("2")  # no longer a count: the debrief offers to start
    assert "How many" not in shown[-1].plain_text

    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, berta, "Deadline day")
    await berta.press_and_wait("🌗 Partly")
    await berta.command("/settings")  # a command while the count is asked: handled as usual
    card = await api.wait_for(lambda: with_text(api, berta, "Your check-in settings"))
    assert card[-1].buttons[0] == ["🌍 Time zone", "🕕 Check-in hour"]


async def test_a_finished_debrief_schedules_its_check_ins(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    alice = api.private_user(1001, first_name="Alice")
    await alice.command("/start")
    await alice.say("Acme")
    await alice.say("Backend engineer")
    await alice.press_and_wait("💻 Technical test or assignment")
    await alice.press_and_wait("✉️ Email")
    await alice.press_and_wait("2 🙁")
    await alice.press_and_wait("No thanks, go on")
    await alice.say("I explained my design clearly")
    await alice.say("Practise live coding")
    await alice.press_and_wait("Yes, draft it for me")
    await alice.say("Dana")
    await alice.press_and_wait("Use Alice")
    await alice.press_and_wait("📨 I've sent it")
    await alice.press_and_wait("▫️ Technical skills")
    await alice.press_and_wait("Done")
    await alice.press_and_wait("1")
    await alice.press_and_wait("Tomorrow")
    await alice.say("3 mock interviews")
    await alice.say("Berlin")
    shown = await alice.say("2026-12-15")
    assert "Your comeback plan after Acme" in "\n".join(m.plain_text for m in shown)

    scheduled = rows(db_path, "SELECT kind, local_date FROM check_ins ORDER BY due_at, id")
    assert scheduled == [
        ("resource", "2026-11-29"),
        ("mood", "2026-11-30"),
        ("feedback", "2026-12-04"),
        ("goal_mid", "2026-12-06"),
        ("goal_weekly", "2026-12-11"),
        ("goal_deadline", "2026-12-15"),
        ("goal_overdue", "2026-12-18"),
        ("goal_overdue", "2026-12-25"),
    ]
    clock.set(local(date(2026, 11, 29), 18, BERLIN))
    await arrives(api, alice, "What was your takeaway from it?")


async def test_a_restart_loses_nothing(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await bot.restart()
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")
    await berta.press_and_wait("🌗 Partly")
    await bot.restart()  # in the middle of "how many?"
    shown = await berta.say("1")
    assert "1 of 3 done" in shown[-1].plain_text
    await bot.restart()
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    deadline = await arrives(api, berta, "Deadline day")
    assert "So far: 1 of 3." in deadline.plain_text
    assert bot.services.dispatcher is not None
    await bot.services.dispatcher.settle()  # the send is recorded after Telegram answered
    assert rows(
        db_path, "SELECT kind, status FROM check_ins WHERE goal_id = ? ORDER BY id", plan.goal_id
    ) == [
        ("goal_mid", "answered"),
        ("goal_deadline", "sent"),
        ("goal_overdue", "pending"),  # 3 and 10 days after the deadline, unless answered
        ("goal_overdue", "pending"),
    ]


async def test_downtime_produces_exactly_one_catch_up_message(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(
        bot,
        berta,
        timezone=BERLIN,
        deadline=date(2026, 12, 4),
        feedback_sent=True,
        resource_on=date(2026, 11, 28),
    )
    await bot.stop()
    clock.set(local(date(2026, 12, 5), 9, BERLIN))  # resource, midpoint, feedback, deadline due
    await bot.start()
    catch_up = await arrives(api, berta, "While I was away")
    assert "Deadline day" in catch_up.plain_text
    assert "1 earlier check-in piled up" in catch_up.plain_text  # the goal's midpoint
    assert "I meant to send this on Friday 4 December; it comes 1 day late." in catch_up.plain_text
    assert catch_up.buttons == GOAL_BUTTONS
    dispatcher = bot.services.dispatcher
    assert dispatcher is not None
    assert await dispatcher.settle() == 0
    assert len(api.chat_messages(berta)) == 1
    # The other subjects (feedback reply, resource takeaway) follow the same morning, an hour
    # apart (the newest first): everything overdue within the day, and nobody gets a burst.
    assert await move_to(bot, clock, local(date(2026, 12, 5), 9, BERLIN, minute=59)) == 0
    assert await move_to(bot, clock, local(date(2026, 12, 5), 10, BERLIN)) == 1
    assert await move_to(bot, clock, local(date(2026, 12, 5), 10, BERLIN, minute=59)) == 0
    assert await move_to(bot, clock, local(date(2026, 12, 5), 11, BERLIN)) == 1
    second, third = api.chat_messages(berta)[1:]
    assert "It's been 8 days since you asked Dana" in second.plain_text
    assert "takeaway" in third.plain_text
    assert rows(
        db_path,
        "SELECT kind, status FROM check_ins WHERE kind <> 'goal_overdue' ORDER BY id",
    ) == [
        ("goal_mid", "superseded"),
        ("goal_deadline", "sent"),
        ("feedback", "sent"),
        ("resource", "sent"),
    ]


async def test_a_crash_between_claim_and_send_is_recovered_at_start(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await bot.stop()
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    crashed = open_store(db_path)  # a dispatcher that died mid-send
    claimed = await SqlCheckinRepository(crashed, clock).claim_due(clock.now(), 10, ["goal_mid"])
    await crashed.close()
    assert [c.checkin.kind for c in claimed] == ["goal_mid"]
    await bot.start()  # the claim is fresh: it may belong to a live process, so it waits
    assert with_text(api, berta, "Halfway") == []
    await bot.restart()
    clock.set(local(date(2026, 11, 30), 18, BERLIN, minute=6))
    await bot.restart()  # now the claim is stale: back to pending, and sent
    await arrives(api, berta, "Halfway there")


async def test_a_blocked_bot_cancels_and_a_returning_user_gets_check_ins_back(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=berta.id)
    await move_to(bot, clock, local(date(2026, 11, 30), 18, BERLIN))
    assert api.chat_messages(berta) == []
    assert rows(db_path, "SELECT active FROM users WHERE id = ?", berta.id) == [(0,)]
    assert rows(db_path, "SELECT status, COUNT(*) FROM check_ins GROUP BY status") == [
        ("cancelled", 4)  # the goal's midpoint, deadline and two reminders after it
    ]
    await move_to(bot, clock, local(date(2026, 12, 1), 18, BERLIN))
    assert api.chat_messages(berta) == []

    await berta.command("/plan")  # writing again: active, and the goal's check-ins are back
    assert rows(db_path, "SELECT active FROM users WHERE id = ?", berta.id) == [(1,)]
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, berta, "Deadline day")


async def test_blocking_and_unblocking_in_telegram(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await api.wait_processed(api.block(berta.id))
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'") == [(0,)]
    await api.wait_processed(api.unblock(berta.id))
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'") == [(4,)]
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")


async def test_flood_control_puts_the_check_in_back_for_retry_after(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    api.fail_next("sendMessage", 429, retry_after=30, chat_id=berta.id)
    due = local(date(2026, 11, 30), 18, BERLIN)
    await move_to(bot, clock, due)
    assert api.chat_messages(berta) == []
    assert rows(
        db_path,
        "SELECT status, due_at, attempts, last_error FROM check_ins WHERE kind = 'goal_mid'",
    ) == [("pending", "2026-11-30T17:00:30+00:00", 0, "RetryAfter 30s")]
    await move_to(bot, clock, due + timedelta(seconds=29))
    assert api.chat_messages(berta) == []
    clock.set(due + timedelta(seconds=30))
    mid = await arrives(api, berta, "Halfway there")
    assert sent_at(mid) == due + timedelta(seconds=30)


async def test_network_errors_back_off_and_give_up_after_five_attempts(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    api.fail_next("sendMessage", 502, count=5, chat_id=berta.id)
    await move_to(bot, clock, local(date(2026, 11, 30), 18, BERLIN))
    waits = []
    for _ in range(4):
        (due,) = rows(db_path, "SELECT due_at FROM check_ins WHERE kind = 'goal_mid'")[0]
        waits.append(round((date_time(str(due)) - clock.now()).total_seconds() / 60))
        await move_to(bot, clock, date_time(str(due)))
    assert waits == [1, 2, 4, 8]
    assert rows(
        db_path, "SELECT status, attempts, last_error FROM check_ins WHERE kind = 'goal_mid'"
    ) == [("failed", 5, "Bad Gateway")]
    assert api.chat_messages(berta) == []


async def test_two_dispatchers_never_send_the_same_check_in_twice(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = [api.private_user(3000 + n, first_name=f"P{n}") for n in range(12)]
    for person in people:
        await finish_debrief(bot, person, timezone=BERLIN, deadline=date(2026, 12, 4))
    services = bot.services
    assert bot.app is not None and services.dispatcher is not None
    await services.dispatcher.stop()  # out of the way: two others share the database file
    files = [open_store(db_path), open_store(db_path)]  # two connections, as two processes have
    dispatchers = [
        Dispatcher(
            SqlCheckinRepository(db, clock),
            bot.app.bot,
            clock,
            composer(services),
            interval_seconds=30,
            batch_size=5,
        )
        for db in files
    ]
    # Telegram answers the first batch slowly, so whichever dispatcher claims first is still
    # sending while the other claims: on a busy machine one could otherwise drain the queue
    # before the other has read it.
    api.delay_next("sendMessage", 0.3, count=5)
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    sent = await asyncio.gather(*(d.settle() for d in dispatchers + dispatchers))
    for db in files:
        await db.close()
    assert sum(sent) == len(people)
    assert all(sent[:2])  # both really took part
    for person in people:
        assert len(with_text(api, person, "Halfway there")) == 1
    assert len(api.calls("sendMessage")) == len(people)
    assert rows(
        db_path, "SELECT status, COUNT(*) FROM check_ins WHERE kind = 'goal_mid' GROUP BY status"
    ) == [("sent", len(people))]


def date_time(text: str) -> datetime:
    """A timestamp as stored in the database."""
    return datetime.fromisoformat(text)


async def test_a_count_typed_mid_debrief_reaches_the_check_in(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, berta, "Halfway there")
    shown = await berta.command("/rejected")
    assert "Which company was it?" in shown[-1].plain_text
    await berta.press_and_wait("🌗 Partly")
    shown = await berta.say("3")
    assert "You did it:" in shown[-1].plain_text
    assert rows(db_path, "SELECT status FROM goals WHERE id = ?", plan.goal_id) == [("done",)]
    await berta.press_and_wait("That's all for now")
    shown = await berta.say("Initech")  # back in the debrief, which waited at its step
    assert shown[-1].plain_text == "What was the role?"


async def test_the_next_goal_can_be_typed_with_its_number(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    gus = api.private_user(2011, first_name="Gus")
    plan = await finish_debrief(bot, gus, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, gus, "Halfway there")
    await gus.press_and_wait("✅ Done")
    await gus.press_and_wait("🎯 Set my next goal")

    shown = await gus.say("something nice")
    assert "I couldn't tell which goal that is." in shown[-1].plain_text
    shown = await gus.say("get 2 interviews")
    assert "By when?" in shown[-1].plain_text  # the number came with the words
    shown = await gus.press_and_wait("1 month")
    assert "Your next goal: Get 2 interviews by" in shown[-1].plain_text
    goals = rows(
        db_path, "SELECT id, kind, target, status FROM goals WHERE user_id = ? ORDER BY id", gus.id
    )
    assert [g[1:] for g in goals] == [("mock_interviews", 3, "done"), ("interview", 2, "active")]
    assert goals[0][0] == plan.goal_id


async def test_paid_broadcasts_are_asked_for_only_when_chosen(
    settings: Settings, api: FakeBotApi, clock: FakeClock
) -> None:
    """PAID_BROADCAST=true sends private check-ins with allow_paid_broadcast (up to 1,000 a
    second, charged in Stars); off, the default, they go without it."""
    for paid, user_id in ((False, 2021), (True, 2022)):
        chosen = settings.model_copy(update={"paid_broadcast": paid})
        async with started(RunningBot(chosen, api, clock)) as running:
            ida = api.private_user(user_id, first_name="Ida")
            await finish_debrief(running, ida, timezone=BERLIN, deadline=date(2026, 12, 4))
            clock.set(local(date(2026, 11, 30), 18, BERLIN))
            await arrives(api, ida, "Halfway there")
        check_in = [
            r.params
            for r in api.requests
            if r.method == "sendMessage"
            and r.params.get("chat_id") == user_id
            and "Halfway there" in str(r.params.get("text"))
        ]
        assert len(check_in) == 1
        assert check_in[0].get("allow_paid_broadcast") is (True if paid else None)
        clock.set(START)


async def test_the_plan_says_when_the_first_check_in_comes_and_it_comes_then(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    lea = api.private_user(2011, first_name="Lea")
    await complete_debrief(lea)  # in London, on a Friday morning
    closing = api.last_message(lea).plain_text
    said = re.search(r"I'll check in with you; the first comes (.+?) \(your time\)\.", closing)
    assert said is not None, closing
    assert said[1] == "Monday 30 November, 18:00"
    before = len(api.chat_messages(lea))
    await move_to(bot, clock, local(date(2026, 11, 30), 17, LONDON, minute=59))
    assert len(api.chat_messages(lea)) == before
    await move_to(bot, clock, local(date(2026, 11, 30), 18, LONDON))
    first = api.chat_messages(lea)[before]
    assert sent_at(first) == local(date(2026, 11, 30), 18, LONDON)
    assert first.buttons  # a check-in, with its answers
