"""The feedback request drafted in the debrief and not sent: /plan shows it with "I've sent it"
and "Other tone", and a reminder comes the day after while it is still unsent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.checkins import arrives, local, move_to, with_text
from tests.kit.db import rows
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
DRAFT_BUTTONS = [["📨 I've sent it"], ["Other tone"]]
REMINDER = "isn't marked as sent yet"


async def debrief_sending_later(user: FakeUser) -> list[SentMessage]:
    """A whole debrief by buttons and words, choosing "I'll send it later" for the draft."""
    await user.command("/start")
    await user.say("Acme")
    await user.say("Backend engineer")
    await user.press_and_wait("💻 Technical test or assignment")
    await user.press_and_wait("✉️ Email")
    await user.press_and_wait("3 😐")
    await user.say("I explained my design clearly")
    await user.say("Practise live coding")
    await user.press_and_wait("Yes, draft it for me")
    await user.say("Dana")
    await user.press_and_wait(f"Use {user.first_name}")
    shown = await user.press_and_wait("I'll send it later")
    assert any("The draft is saved in your plan (/plan)" in m.plain_text for m in shown)
    await user.press_and_wait("▫️ Technical skills")
    await user.press_and_wait("Done")
    await user.press_and_wait("Skip")
    await user.say("3 mock interviews")
    await user.say("Berlin")
    return await user.say("2026-12-15")


def pending(db_path: Path, kind: str) -> list[tuple[object, ...]]:
    return rows(
        db_path,
        "SELECT local_date FROM check_ins WHERE kind = ? AND status = 'pending'",
        kind,
    )


def is_pre(message: SentMessage, needle: str) -> bool:
    """Whether `needle` is inside a <pre> block of the message (the person can copy it)."""
    text = message.plain_text
    return any(
        e.get("type") == "pre"
        and needle
        in text.encode("utf-16-le")[
            2 * int(e["offset"]) : 2 * (int(e["offset"]) + int(e["length"]))
        ].decode("utf-16-le")
        for e in message.entities
    )


async def test_plan_shows_the_unsent_draft_and_sending_it_schedules_the_follow_up(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    alice = api.private_user(1001, first_name="Alice")
    await debrief_sending_later(alice)
    assert pending(db_path, "feedback_draft") == [("2026-11-28",)]
    assert pending(db_path, "feedback") == []

    shown = await alice.command("/plan")
    card, draft = shown[-2], shown[-1]
    assert "Feedback request: drafted, not sent yet" in card.plain_text
    assert "Your feedback request, not sent yet." in draft.plain_text
    assert "Dear Dana" in draft.plain_text or "Hi Dana" in draft.plain_text
    (body,) = rows(db_path, "SELECT body FROM feedback_requests")
    assert "Subject:" in draft.plain_text
    assert is_pre(draft, str(body[0]).splitlines()[0])
    assert draft.buttons == DRAFT_BUTTONS

    # Other tone: the three tones in place of the buttons, and back again.
    await alice.press_and_wait("Other tone")
    assert api.message(alice, draft.message_id).buttons == [
        ["Warm", "Formal", "Brief"],
        ["« Back"],
    ]
    await alice.press_and_wait("« Back")
    assert api.message(alice, draft.message_id).buttons == DRAFT_BUTTONS
    await alice.press_and_wait("Other tone")
    shown = await alice.press_and_wait("Brief")
    brief = shown[-1]
    assert "Your feedback request, not sent yet" in brief.plain_text
    assert brief.buttons == DRAFT_BUTTONS
    assert api.message(alice, draft.message_id).buttons == []
    ((tone, new_body),) = rows(db_path, "SELECT tone, body FROM feedback_requests")
    assert tone == "brief" and new_body != body[0]
    assert is_pre(brief, str(new_body).splitlines()[0])

    shown = await alice.press_and_wait("📨 I've sent it")
    assert "Sent: well done" in shown[-1].plain_text
    assert rows(db_path, "SELECT status, sent_at IS NOT NULL FROM feedback_requests") == [
        ("sent", 1)
    ]
    assert pending(db_path, "feedback") == [("2026-12-04",)]
    assert pending(db_path, "feedback_draft") == []

    # The plan no longer offers the draft; the day-after reminder never comes.
    shown = await alice.command("/plan")
    assert "Feedback request: sent Friday 27 November" in shown[-1].plain_text
    last_draft = with_text(api, alice, "Your feedback request, not sent yet")[-1]
    assert last_draft.message_id == brief.message_id
    await move_to(bot, clock, local(date(2026, 11, 28), 18, BERLIN))
    assert with_text(api, alice, REMINDER) == []

    # The reply follow-up arrives as the debrief's "I've sent it" would have it.
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    asked = await arrives(api, alice, "Did they reply?")
    assert "asked Dana at Acme for feedback" in asked.plain_text


async def test_the_draft_buttons_act_once_and_only_for_their_owner(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    alice = api.private_user(1001, first_name="Alice")
    await debrief_sending_later(alice)
    shown = await alice.command("/plan")
    draft = shown[-1]
    data = draft.callback_data[0][0]
    assert data is not None and data.startswith("fd:")

    # Someone else's press of the same data is refused, and nothing changes.
    mallory = api.private_user(1002, first_name="Mallory")
    (help_message,) = await mallory.command("/help")
    update_id = await mallory.press_data(data, help_message.message_id)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "That button has expired. Here's where we are."
    assert rows(db_path, "SELECT status FROM feedback_requests") == [("drafted",)]

    await alice.press_and_wait("📨 I've sent it")
    await api.wait_processed(await alice.press_data(data, draft.message_id))
    assert "already marked as sent" in api.last_message(alice).plain_text
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE kind = 'feedback'") == [(1,)]


async def test_the_reminder_comes_the_day_after_while_the_draft_is_unsent(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    alice = api.private_user(1001, first_name="Alice")
    await debrief_sending_later(alice)
    await move_to(bot, clock, local(date(2026, 11, 28), 17, BERLIN))
    assert with_text(api, alice, REMINDER) == []
    clock.set(local(date(2026, 11, 28), 18, BERLIN))
    reminder = await arrives(api, alice, REMINDER)
    (body,) = rows(db_path, "SELECT body FROM feedback_requests")
    assert is_pre(reminder, str(body[0]).splitlines()[0])
    assert reminder.buttons == [["📨 I've sent it"], ["Not sending it"]]

    shown = await alice.press_and_wait("📨 I've sent it")
    assert "Sent: well done" in shown[-1].plain_text
    assert pending(db_path, "feedback") == [("2026-12-04",)]
    assert rows(db_path, "SELECT answer FROM check_ins WHERE kind = 'feedback_draft'") == [
        ("sent",)
    ]
    # Sent once: a week on, nothing more about the draft.
    await move_to(bot, clock, local(date(2026, 12, 3), 18, BERLIN))
    assert len(with_text(api, alice, REMINDER)) == 1


async def test_not_sending_it_closes_the_request_kindly(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    alice = api.private_user(1001, first_name="Alice")
    await debrief_sending_later(alice)
    clock.set(local(date(2026, 11, 28), 18, BERLIN))
    await arrives(api, alice, REMINDER)
    shown = await alice.press_and_wait("Not sending it")
    assert "Closed." in shown[-1].plain_text
    assert rows(db_path, "SELECT status FROM feedback_requests") == [("closed",)]
    assert pending(db_path, "feedback") == []
    shown = await alice.command("/plan")
    assert "Feedback request: closed" in shown[-1].plain_text
    assert with_text(api, alice, "Your feedback request, not sent yet") == []
