"""Check-in timing that respects people, end to end: after downtime everything overdue arrives
within a day, out of quiet hours; late check-ins say so; the feedback follow-up counts business
days in the person's own week; "Stop all check-ins" then "Resume" brings every kind back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from standin import FakeBotApi, FakeUser
from tests.kit.checkins import arrives, finish_debrief, local, move_to, sent_at, with_text
from tests.kit.db import rows
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
JERUSALEM = "Asia/Jerusalem"
# Every one of these is asked exactly once in a stopped-and-resumed plan.
ASKED = {
    "goal": "Deadline day",
    "feedback": "Did they reply?",
    "resource": "What was your takeaway",
    "mood": "how are you feeling today",
}


def counts(api: FakeBotApi, user: FakeUser) -> dict[str, int]:
    """How many messages of each kind the person got."""
    return {kind: len(with_text(api, user, needle)) for kind, needle in ASKED.items()}


async def test_back_in_the_evening_the_rest_waits_for_the_morning(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(
        bot,
        berta,
        timezone=BERLIN,
        deadline=date(2026, 12, 4),
        feedback_sent=True,
        resource_on=date(2026, 11, 28),
        mood=2,
    )
    await bot.stop()
    # Down from Friday to Thursday evening: the resource (Sun), the midpoint and the mood check
    # (Mon) are overdue; quiet hours are 22:00-08:00.
    clock.set(local(date(2026, 12, 3), 21, BERLIN, minute=30))
    await bot.start()
    first = await arrives(api, berta, "Halfway there")
    assert sent_at(first) == local(date(2026, 12, 3), 21, BERLIN, minute=30)
    assert "I meant to send this on Monday 30 November; it comes 3 days late." in first.plain_text
    # The takeaway would be at 22:30, inside the quiet hours: it waits for their end.
    assert await move_to(bot, clock, local(date(2026, 12, 4), 7, BERLIN, minute=59)) == 0
    assert len(api.chat_messages(berta)) == 1
    assert await move_to(bot, clock, local(date(2026, 12, 4), 8, BERLIN)) == 1
    takeaway = await arrives(api, berta, "What was your takeaway")
    assert (
        "I meant to send this on Sunday 29 November; it comes 5 days late." in takeaway.plain_text
    )
    # The mood check was three days late: dropped, not sent.
    assert rows(db_path, "SELECT status, cancel_reason FROM check_ins WHERE kind = 'mood'") == [
        ("cancelled", "late")
    ]
    # On the deadline day the goal and the feedback fall due together: an hour apart, on time.
    assert await move_to(bot, clock, local(date(2026, 12, 4), 18, BERLIN)) == 1
    deadline = await arrives(api, berta, "Deadline day for your goal")
    assert "meant to send" not in deadline.plain_text
    assert await move_to(bot, clock, local(date(2026, 12, 4), 18, BERLIN, minute=59)) == 0
    assert await move_to(bot, clock, local(date(2026, 12, 4), 19, BERLIN)) == 1
    asked = await arrives(api, berta, "Did they reply?")
    assert "It's been a week since you asked Dana at Acme" in asked.plain_text
    assert "meant to send" not in asked.plain_text
    assert counts(api, berta) == {"goal": 1, "feedback": 1, "resource": 1, "mood": 0}
    assert rows(
        db_path,
        "SELECT kind, status FROM check_ins WHERE rejection_id = ? AND kind <> 'goal_overdue'"
        " ORDER BY id",
        plan.rejection_id,
    ) == [
        ("goal_mid", "superseded"),  # sent, unanswered, replaced by the deadline's
        ("goal_deadline", "sent"),
        ("feedback", "sent"),
        ("resource", "sent"),
        ("mood", "cancelled"),
    ]


async def test_a_late_feedback_follow_up_says_how_long_it_has_been(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, feedback_sent=True)  # Friday 27 November
    await bot.stop()
    clock.set(local(date(2026, 12, 6), 10, BERLIN))  # Sunday: due Friday, two days late
    await bot.start()
    asked = await arrives(api, berta, "Did they reply?")
    assert "It's been 9 days since you asked Dana at Acme for feedback." in asked.plain_text
    assert "I meant to send this on Friday 4 December; it comes 2 days late." in asked.plain_text


async def follow_up_day(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, user: FakeUser, sent_on: date
) -> date:
    """The local day the "did they reply?" arrives for a request sent on `sent_on`, in
    Jerusalem, moving the clock a day at a time (always at the person's 18:00)."""
    clock.set(local(sent_on, 10, JERUSALEM))
    await finish_debrief(bot, user, timezone=JERUSALEM, feedback_sent=True)
    for offset in range(1, 15):
        day = date.fromordinal(sent_on.toordinal() + offset)
        await move_to(bot, clock, local(day, 17, JERUSALEM, minute=59))
        assert with_text(api, user, "Did they reply?") == []
        await move_to(bot, clock, local(day, 18, JERUSALEM))
        if with_text(api, user, "Did they reply?"):
            return day
    raise AssertionError("no follow-up within two weeks")


async def test_in_jerusalem_a_wednesday_request_is_followed_up_five_business_days_later(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    dana = api.private_user(2010, first_name="Dana")
    wednesday = date(2026, 12, 2)
    # Thu, Sun, Mon, Tue, Wed: Friday and Saturday are the weekend there.
    assert await follow_up_day(bot, api, clock, dana, wednesday) == date(2026, 12, 9)
    asked = await arrives(api, dana, "Did they reply?")
    assert "It's been a week since you asked" in asked.plain_text
    shown = await dana.press_and_wait("Not yet")
    # Three more business days from Wednesday 9 Dec: Thu, Sun, Mon.
    assert "I'll ask once more on Monday 14 December" in shown[-1].plain_text


async def test_in_jerusalem_a_friday_request_is_followed_up_on_thursday(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    dana = api.private_user(2010, first_name="Dana")
    friday = date(2026, 12, 4)  # their weekend: Sun, Mon, Tue, Wed, Thu (not Friday 11 Dec)
    assert await follow_up_day(bot, api, clock, dana, friday) == date(2026, 12, 10)
    asked = await arrives(api, dana, "Did they reply?")
    assert "It's been 6 days since you asked" in asked.plain_text
    assert rows(db_path, "SELECT local_date FROM check_ins WHERE kind = 'feedback'") == [
        ("2026-12-10",)
    ]


async def stop(user: FakeUser) -> None:
    await user.command("/settings")
    await user.press_and_wait("🔕 Stop all check-ins")
    shown = await user.press_and_wait("Yes, stop all check-ins")
    assert "All check-ins are off." in shown[-2].plain_text


async def resume(user: FakeUser) -> None:
    await user.command("/settings")
    shown = await user.press_and_wait("🔔 Resume check-ins")
    assert "Check-ins are back on." in shown[-2].plain_text


async def test_stop_and_resume_brings_every_kind_back_once(
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
        mood=1,
    )
    await stop(berta)
    assert rows(
        db_path,
        "SELECT DISTINCT status, cancel_reason FROM check_ins WHERE kind <> 'goal_overdue'",
    ) == [("cancelled", "stopped")]
    # Stopped over the resource's and the mood check's days, and the goal's midpoint.
    assert await move_to(bot, clock, local(date(2026, 12, 1), 12, BERLIN)) == 0
    await resume(berta)
    assert rows(
        db_path,
        "SELECT kind, local_date FROM check_ins WHERE status = 'pending'"
        " AND kind <> 'goal_overdue' ORDER BY due_at, id",
    ) == [
        ("resource", "2026-11-29"),  # both at the next slot, Tue 18:00, then spread an hour
        ("mood", "2026-11-30"),
        ("feedback", "2026-12-04"),  # both on Friday, spread an hour too
        ("goal_deadline", "2026-12-04"),
    ]
    assert await move_to(bot, clock, local(date(2026, 12, 1), 17, BERLIN, minute=59)) == 0
    assert await move_to(bot, clock, local(date(2026, 12, 1), 18, BERLIN)) == 1
    mood = await arrives(api, berta, "how are you feeling today")
    assert sent_at(mood) == local(date(2026, 12, 1), 18, BERLIN)
    assert "I meant to send this on Monday 30 November; it comes 1 day late." in mood.plain_text
    assert await move_to(bot, clock, local(date(2026, 12, 1), 19, BERLIN)) == 1
    takeaway = await arrives(api, berta, "What was your takeaway")
    assert sent_at(takeaway) == local(date(2026, 12, 1), 19, BERLIN)
    assert await move_to(bot, clock, local(date(2026, 12, 4), 18, BERLIN)) == 1
    await arrives(api, berta, "Deadline day for your goal")
    assert await move_to(bot, clock, local(date(2026, 12, 4), 19, BERLIN)) == 1
    await arrives(api, berta, "Did they reply?")
    assert await move_to(bot, clock, local(date(2026, 12, 5), 19, BERLIN)) == 0
    assert counts(api, berta) == {"goal": 1, "feedback": 1, "resource": 1, "mood": 1}
    assert with_text(api, berta, "Halfway") == []  # the midpoint passed: the deadline is next


async def test_resume_leaves_out_what_was_answered_and_a_stale_mood_check(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await finish_debrief(
        bot,
        berta,
        timezone=BERLIN,
        feedback_sent=True,
        resource_on=date(2026, 11, 28),
        mood=1,
    )
    await stop(berta)
    # While stopped: the hirer's reply arrives, and the mood check's day is left far behind.
    await bot.services.debriefs.save_feedback(plan.rejection_id, status="replied")
    assert await move_to(bot, clock, local(date(2026, 12, 4), 12, BERLIN)) == 0
    await resume(berta)
    assert rows(db_path, "SELECT kind, status, cancel_reason FROM check_ins ORDER BY id") == [
        ("feedback", "cancelled", "not_resumed"),
        ("resource", "pending", None),
        ("mood", "cancelled", "not_resumed"),
    ]
    assert await move_to(bot, clock, local(date(2026, 12, 10), 18, BERLIN)) == 1
    assert counts(api, berta) == {"goal": 0, "feedback": 0, "resource": 1, "mood": 0}
    # A second stop and resume brings nothing back twice.
    await stop(berta)
    await resume(berta)
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'") == [(0,)]


async def test_a_deadline_passed_while_stopped_is_asked_about_after_resume(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await stop(berta)
    assert await move_to(bot, clock, local(date(2026, 12, 5), 12, BERLIN)) == 0
    await resume(berta)
    assert await move_to(bot, clock, local(date(2026, 12, 5), 17, BERLIN, minute=59)) == 0
    assert await move_to(bot, clock, local(date(2026, 12, 5), 18, BERLIN)) == 1
    asked = await arrives(api, berta, "Deadline day for your goal")
    assert "I meant to send this on Friday 4 December; it comes 1 day late." in asked.plain_text
    assert with_text(api, berta, "Halfway") == []  # the passed midpoint stays cancelled
    assert rows(db_path, "SELECT status, cancel_reason FROM check_ins WHERE kind = 'goal_mid'") == [
        ("cancelled", "not_resumed")
    ]
