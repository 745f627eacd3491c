"""Progress and privacy: whole debriefs walked through the bot or seeded, PNG sizes, today."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, time, timedelta

from bot.clock import to_db
from standin import FakeUser, SentMessage
from tests.kit.running import RunningBot
from tests.kit.walks import sign_off_if_asked

TECHNICAL = "💻 Technical test or assignment"
ONSITE = "🏢 Onsite / final rounds"
PHONE = "📞 Recruiter or phone screen"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def debrief_through_bot(
    user: FakeUser,
    *,
    company: str = "Acme",
    stage: str = TECHNICAL,
    mood: str = "3 😐",
    gaps: tuple[str, ...] = ("▫️ Technical skills",),
    send_feedback: bool = True,
    first: bool = True,
) -> list[SentMessage]:
    """A whole debrief, as a user walks it, up to the plan card (the time zone only if first)."""
    await user.command("/rejected")
    await user.say(company)
    await user.say("Backend engineer")
    await user.press_and_wait(stage)
    await user.press_and_wait("✉️ Email")
    await user.press_and_wait(mood)
    if mood in ("1 😞", "2 🙁"):
        await user.press_and_wait("No thanks, go on")
    await user.say("I explained my design clearly")
    await user.say("Practise live coding under time pressure")
    if send_feedback:
        await user.press_and_wait("Yes, draft it for me")
        await user.say("Dana")
        await sign_off_if_asked(user)
        await user.press_and_wait("📨 I've sent it")
    else:
        await user.press_and_wait("Skip")
    for gap in gaps:
        await user.press_and_wait(gap)
    await user.press_and_wait("Done")
    await user.press_and_wait("1")
    await user.press_and_wait("Tomorrow")
    shown = await user.say("3 mock interviews")
    if first:
        shown = await user.say("Berlin")
    shown = await user.say("in 10 days")
    assert "Your comeback plan" in "\n".join(m.plain_text for m in shown), shown
    return shown


async def seed_debrief(
    bot: RunningBot,
    user_id: int,
    *,
    company: str,
    stage: str | None,
    gaps: tuple[str, ...],
    days_ago: int,
    mood: int = 3,
    feedback: str | None = None,
    goal: str | None = None,
) -> int:
    """A finished debrief written through the repositories (fast), `days_ago` days back.

    `feedback` is a feedback_requests status ('sent', 'replied'...); `goal` a goal status
    ('active', 'done', 'abandoned').
    """
    services = bot.services
    await services.users.ensure(user_id, "Seeded", "en")
    day = services.clock.now().date() - timedelta(days=days_ago)
    rejection = await services.debriefs.start(user_id, "company", day)
    rid = rejection.id
    fields: dict[str, object] = {"company": company, "role": "Engineer", "gaps": list(gaps)}
    if stage is not None:
        fields["stage"] = stage
    await services.debriefs.update(rid, **fields)
    await services.debriefs.record_mood(user_id, mood, "debrief", rid)
    if feedback is not None:
        await services.debriefs.save_feedback(
            rid, status=feedback, sent_at=services.clock.now() - timedelta(days=days_ago)
        )
    if goal is not None:
        saved = await services.debriefs.save_goal(
            user_id, rid, kind="apply", target=5, deadline=day + timedelta(days=7)
        )
        await services.debriefs.update_goal(saved.id, status=goal)
    await services.debriefs.set_status(rid, "completed")
    # As if it had all happened on that day.
    moment = to_db(datetime.combine(day, time(18), UTC))
    await services.db.execute(
        "UPDATE moods SET recorded_at = ? WHERE rejection_id = ?", (moment, rid)
    )
    await services.db.execute(
        "UPDATE goals SET created_at = ? WHERE rejection_id = ?", (moment, rid)
    )
    return rid


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE, data[:8]
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def today(bot: RunningBot) -> date:
    """The bot's today (UTC)."""
    return bot.services.clock.now().date()
