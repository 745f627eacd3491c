"""The hirer's pasted reply becomes practice actions under their own heading on the plan, and a
date in it ("apply again in 6 months") a dated reminder and a check-in on that day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from standin import FakeBotApi, FakeUser
from tests.kit.checkins import Plan, arrives, finish_debrief, local, move_to, with_text
from tests.kit.db import rows
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
REPLY = (
    "Thank you for your time. We think you should work on system design, and your coding "
    "was a bit slow in the live round. Feel free to apply again in 6 months."
)
SYSTEM_DESIGN = "Practise system design: one design problem a week, sketched and explained out loud"
CODING_SPEED = "Practise coding against the clock: two timed problems a week, 30 minutes each"
AGAIN = "They said to apply again around now at Acme. Ready to?"


async def paste_reply(bot: RunningBot, api: FakeBotApi, clock: FakeClock, user: FakeUser) -> Plan:
    """A finished debrief with a sent request and the debrief's gap actions; the "did they
    reply?" on Friday 4 December, answered with REPLY."""
    plan = await finish_debrief(bot, user, timezone=BERLIN, feedback_sent=True)
    await bot.services.debriefs.replace_plan_actions(
        plan.rejection_id, "gap", [("technical", "Solve 3 problems a week from one topic list.")]
    )
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, user, "Did they reply?")
    await user.press_and_wait("📬 Yes, they replied")
    return plan


async def test_the_reply_becomes_actions_under_their_heading_and_a_dated_check_in(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    plan = await paste_reply(bot, api, clock, berta)
    shown = await berta.say(REPLY)
    saved = shown[-1].plain_text
    assert f"• {SYSTEM_DESIGN}" in saved and f"• {CODING_SPEED}" in saved
    assert "They suggested applying again from 4 June 2027" in saved
    assert rows(
        db_path,
        "SELECT source, text FROM plan_actions WHERE rejection_id = ? ORDER BY id",
        plan.rejection_id,
    ) == [
        ("gap", "Solve 3 problems a week from one topic list."),
        ("feedback", SYSTEM_DESIGN),
        ("feedback", CODING_SPEED),
    ]
    assert rows(db_path, "SELECT status, reapply_on, reapply_reason FROM feedback_requests") == [
        ("replied", "2027-06-04", "apply_again")
    ]
    assert rows(db_path, "SELECT local_date, status FROM check_ins WHERE kind = 'reapply'") == [
        ("2027-06-04", "pending")
    ]

    # The plan: the debrief's actions, then theirs under their own heading, then the date.
    card = (await berta.command("/plan"))[-1].plain_text
    actions = card.index("Actions:")
    theirs = card.index("From their feedback:")
    assert actions < card.index("Solve 3 problems") < theirs < card.index(SYSTEM_DESIGN)
    assert "From 4 June 2027: apply to Acme again — they suggested it" in card
    assert "Feedback request: they replied" in card

    # Six months on: nothing the evening before, the check-in on the day.
    await move_to(bot, clock, local(date(2027, 6, 3), 18, BERLIN))
    assert with_text(api, berta, AGAIN) == []
    clock.set(local(date(2027, 6, 4), 18, BERLIN))
    asked = await arrives(api, berta, AGAIN)
    assert asked.buttons == [
        ["✅ Yes, I'm ready"],
        ["⏰ Ask me in a month"],
        ["Not applying there"],
    ]
    shown = await berta.press_and_wait("✅ Yes, I'm ready")
    assert "pick one open role at Acme" in shown[-1].plain_text
    assert rows(db_path, "SELECT answer FROM check_ins WHERE kind = 'reapply'") == [("ready",)]


async def test_a_later_answer_asks_again_a_month_on(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await paste_reply(bot, api, clock, berta)
    await berta.say(REPLY)
    clock.set(local(date(2027, 6, 4), 18, BERLIN))
    await arrives(api, berta, AGAIN)
    shown = await berta.press_and_wait("⏰ Ask me in a month")
    assert "I'll ask again on Sunday 4 July, 18:00" in shown[-1].plain_text
    clock.set(local(date(2027, 7, 4), 18, BERLIN))
    await arrives(api, berta, AGAIN, count=2)


async def test_a_cv_kept_on_file_is_a_dated_reminder_too(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await paste_reply(bot, api, clock, berta)
    shown = await berta.say(
        "We went with a candidate with more Kubernetes experience. "
        "We'll keep your CV on file for a year."
    )
    saved = shown[-1].plain_text
    assert "Build hands-on practice with Kubernetes" in saved
    assert "They keep your CV on file until 4 December 2027" in saved
    card = (await berta.command("/plan"))[-1].plain_text
    assert "From 4 December 2027: apply to Acme again — they keep your CV on file until then" in (
        card
    )
    clock.set(local(date(2027, 12, 4), 18, BERLIN))
    asked = await arrives(api, berta, "said they'd keep your CV on file until about now")
    assert "Ready to?" in asked.plain_text


async def test_a_reply_with_nothing_to_practise_and_no_date(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await paste_reply(bot, api, clock, berta)
    shown = await berta.say("Thanks, we went with another candidate. All the best.")
    assert "Turn this feedback into one practice task" in shown[-1].plain_text
    assert "applying again" not in shown[-1].plain_text
    assert rows(db_path, "SELECT reapply_on FROM feedback_requests") == [(None,)]
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE kind = 'reapply'") == [(0,)]
    card = (await berta.command("/plan"))[-1].plain_text
    assert "From their feedback:" in card and "apply to Acme again" not in card
