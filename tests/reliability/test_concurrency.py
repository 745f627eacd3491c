"""The same person, twice at once: a double-tapped button or two identical commands queued back
to back. Per-chat ordering runs them one after the other; the second must be recognised as
stale, so there is one state transition, and the next question is asked once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.clock import FakeClock
from standin import FakeBotApi, FakeUser
from tests.kit.checkins import arrives, finish_debrief, local
from tests.kit.db import rows
from tests.kit.faults import conversation_state, error_records
from tests.kit.running import RunningBot

ALREADY = "Already answered: the next question is below."


def count(api: FakeBotApi, user: FakeUser, needle: str) -> int:
    return sum(needle in m.plain_text for m in api.chat_messages(user))


async def double_tap(api: FakeBotApi, user: FakeUser, label: str) -> tuple[int, int]:
    """Two presses of one button, both queued before the bot handles the first."""
    message = api.find_button_message(label, user.chat_id)
    data = str(message.button(label)["callback_data"])
    first = await user.press_data(data, message.message_id)
    second = await user.press_data(data, message.message_id)
    await api.wait_processed(first)
    await api.wait_processed(second)
    return first, second


async def test_a_double_tapped_debrief_button_moves_one_step(
    bot: RunningBot, api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ivy = api.private_user(9101, first_name="Ivy")
    await ivy.command("/start")
    await ivy.say("Acme")
    await ivy.say("Analyst")
    await ivy.press_and_wait("🏢 Onsite / final rounds")
    _, second = await double_tap(api, ivy, "📞 Call")
    assert count(api, ivy, "how are you right now?") == 1  # the next question, asked once
    answer = api.answer_for(second)
    assert answer is not None and answer.text == ALREADY
    assert rows(db_path, "SELECT how_heard, step FROM rejections") == [("call", "mood")]
    assert conversation_state(bot, "debrief", ivy) == "mood"

    await double_tap(api, ivy, "2 🙁")  # a step that writes a row: still one
    assert rows(db_path, "SELECT COUNT(*), MAX(score) FROM moods") == [(1, 2)]
    assert count(api, ivy, "two-minute grounding exercise") == 1
    assert error_records(caplog) == []


async def test_a_double_tap_split_by_a_restart_is_still_one_step(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    ivy = api.private_user(9103, first_name="Ivy")
    await ivy.command("/start")
    await ivy.say("Acme")
    await ivy.say("Analyst")
    await ivy.press_and_wait("🏢 Onsite / final rounds")
    message = api.find_button_message("📞 Call", ivy.chat_id)
    data = str(message.button("📞 Call")["callback_data"])
    await api.wait_processed(await ivy.press_data(data, message.message_id))
    await bot.restart()  # the memory of the first press is gone; the database keeps it
    second = await ivy.press_data(data, message.message_id)
    await api.wait_processed(second)
    answer = api.answer_for(second)
    assert answer is not None and answer.text == ALREADY
    assert count(api, ivy, "how are you right now?") == 1  # not asked again
    assert rows(db_path, "SELECT how_heard, step FROM rejections") == [("call", "mood")]


async def test_a_double_tapped_check_in_answer_acts_once(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    jo = api.private_user(9102, first_name="Jo")
    plan = await finish_debrief(bot, jo, timezone="UTC", deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, "UTC"))
    await arrives(api, jo, "Halfway there")
    _, second = await double_tap(api, jo, "✅ Done")
    assert count(api, jo, "You did it") == 1
    assert count(api, jo, "You already answered") == 0  # the double tap is only told on the button
    answer = api.answer_for(second)
    assert answer is not None and answer.text
    assert rows(db_path, "SELECT status FROM goals WHERE id = ?", plan.goal_id) == [("done",)]
    assert rows(db_path, "SELECT status, answer FROM check_ins WHERE kind = 'goal_mid'") == [
        ("answered", "done")
    ]


async def test_two_starts_at_once_open_one_debrief(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    kim = api.private_user(9103, first_name="Kim")
    first = await kim.send_command("/start")
    second = await kim.send_command("/start")
    await api.wait_processed(first)
    await api.wait_processed(second)
    assert rows(db_path, "SELECT COUNT(*), MIN(step) FROM rejections") == [(1, "company")]
    assert conversation_state(bot, "debrief", kim) == "company"
    shown = await kim.say("Acme")
    assert shown[-1].plain_text == "What was the role?"


async def test_two_different_messages_at_once_are_two_answers_in_order(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    """Distinct messages are distinct answers: the second answers the question the first led to
    (the order they were sent in is kept; nothing is taken twice)."""
    lee = api.private_user(9104, first_name="Lee")
    await lee.command("/start")
    first = await lee.send_text("Acme")
    second = await lee.send_text("Analyst")
    await api.wait_processed(first)
    await api.wait_processed(second)
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [
        ("Acme", "Analyst", "stage")
    ]
    assert count(api, lee, "What was the role?") == 1
    assert count(api, lee, "How far did you get with Acme?") == 1


async def test_many_users_double_tapping_at_once_each_move_one_step(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    people = [api.private_user(9200 + n, first_name=f"P{n}") for n in range(12)]
    for person in people:
        await person.command("/start")
        await person.say("Acme")
        await person.say("Analyst")
    pending = []
    for person in people:  # all presses queued before any is handled
        message = api.find_button_message("💻 Technical test or assignment", person.chat_id)
        data = str(message.button("💻 Technical test or assignment")["callback_data"])
        pending += [await person.press_data(data, message.message_id) for _ in range(2)]
    for update_id in pending:
        await api.wait_processed(update_id)
    for person in people:
        assert count(api, person, "How did you hear the news?") == 1
    assert rows(db_path, "SELECT stage, step, COUNT(*) FROM rejections GROUP BY 1, 2") == [
        ("technical", "how_heard", len(people))
    ]
