"""Restarts at every step, and random input that must never break the bot."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.chat import texts
from tests.kit.db import rows
from tests.kit.running import RunningBot

Step = Callable[[FakeUser], Awaitable[list[SentMessage]]]


def happy_path() -> list[tuple[Step, str]]:
    """Each user action of a full debrief, with the question the bot must ask next."""

    def say(text: str) -> Step:
        return lambda user: user.say(text)

    def press(label: str) -> Step:
        return lambda user: user.press_and_wait(label)

    return [
        (lambda user: user.command("/start"), "Which company was it?"),
        (say("Umbrella"), "What was the role?"),
        (say("QA"), "How far did you get with Umbrella?"),
        (press("🏢 Onsite / final rounds"), "How did you hear the news?"),
        (press("📞 Call"), "how are you right now?"),
        (press("2 🙁"), "two-minute grounding exercise"),
        (press("No thanks, go on"), "What is one thing that went well?"),
        (say("Rapport with the panel"), "one lesson"),
        (say("Prepare system design stories"), "ask the hirer for feedback?"),
        (press("Yes, draft it for me"), "Who should it go to?"),
        (say("Sam"), "How should I sign it?"),
        (press("Use Vic"), "Here is your draft"),
        (press("Other tone"), "Which tone suits you?"),
        (press("Formal"), "Here is your draft"),
        (press("📨 I've sent it"), "Where do you think it fell short?"),
        (press("▫️ Theoretical knowledge"), "Where do you think it fell short?"),
        (press("Done"), "Pick one"),
        (press("3"), "When will you make time for it?"),
        (press("Next week"), "a goal to try again"),
        (say("solve 12 practice problems"), "Where are you"),
        (press("America/New_York"), "By when?"),
        (say("next Friday"), "Your comeback plan after Umbrella"),
    ]


async def test_a_restart_at_every_step_resumes_at_that_step(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    vic = api.private_user(3001, first_name="Vic")
    for action, expected in happy_path():
        shown = await action(vic)
        assert expected in texts(shown), (expected, texts(shown))
        await bot.restart()
    assert rows(db_path, "SELECT status, lesson, gaps FROM rejections") == [
        ("completed", "Prepare system design stories", '["theory"]')
    ]
    assert rows(db_path, "SELECT kind, target, deadline, status FROM goals") == [
        ("practice_problems", 12, "2026-12-04", "active")
    ]


async def test_resume_after_restart_repeats_the_current_question(
    bot: RunningBot, api: FakeBotApi
) -> None:
    wes = api.private_user(3002, first_name="Wes")
    for action, _ in happy_path()[:5]:
        await action(wes)
    await bot.restart()
    shown = await wes.command("/resume")
    assert "pick up where we left off with Umbrella" in texts(shown)
    assert shown[-1].buttons == [["1 😞", "2 🙁", "3 😐", "4 🙂", "5 😊"]]


_user_ids = itertools.count(10_000)

ACTIONS = st.one_of(
    st.tuples(st.just("text"), st.text(min_size=0, max_size=80)),
    st.tuples(
        st.just("command"),
        st.sampled_from(
            ["/start", "/rejected", "/resume", "/back", "/skip", "/cancel", "/help", "/plan",
             "/nope"]
        ),
    ),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("stale"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("forged"), st.text(min_size=1, max_size=64)),
    st.tuples(st.just("sticker"), st.just("")),
    st.tuples(st.just("photo"), st.just("")),
)  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=25))
async def test_random_input_never_breaks_the_bot(
    bot: RunningBot, api: FakeBotApi, actions: list[tuple[str, object]]
) -> None:
    user = api.private_user(next(_user_ids), first_name="Fuzz")
    issued: list[tuple[str, int]] = []  # every button the bot ever showed this user
    for kind, value in actions:
        before = len(api.events)
        if kind == "text":
            update_id = await user.send_text(str(value) or " ")
        elif kind == "command":
            update_id = await user.send_command(str(value))
        elif kind in ("press", "stale") and issued:
            current = [m for m in api.chat_messages(user) if m.callback_data]
            pool = (
                [(d, m.message_id) for m in current[-1:] for row in m.callback_data for d in row]
                if kind == "press" and current
                else issued
            )
            data, message_id = pool[int(str(value)) % len(pool)]
            update_id = await user.press_data(str(data), message_id)
        elif kind == "forged":
            messages = api.chat_messages(user)
            if not messages:
                continue
            forged = str(value).encode("utf-8")[:64].decode("utf-8", "ignore") or "x"
            update_id = await user.press_data(forged, messages[-1].message_id)
        elif kind == "sticker":
            update_id = await user.send_sticker()
        elif kind == "photo":
            update_id = await user.send_photo()
        else:
            continue
        await api.wait_processed(update_id)
        answered = len(api.events) > before or api.answer_for(update_id) is not None
        assert answered, f"no answer to {kind} {value!r}"
        assert not any("something went wrong" in e.plain_text for e in api.events[before:])
        assert api.violations == [], api.violations
        for message in api.chat_messages(user):
            issued.extend(
                (d, message.message_id) for row in message.callback_data for d in row if d
            )
    assert api.unanswered_callback_queries() == []


async def test_a_press_made_while_the_bot_was_away_counts_or_is_explained(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    """Telegram refuses to answer a press that waited more than a few seconds. A press on the
    question being asked still takes the step; a press on a button nobody waits for is
    explained in the chat, as the pop-up that would say so can no longer be shown."""
    api.callback_answer_window = 10.0
    una = api.private_user(3003, first_name="Una")
    for action, _ in happy_path()[:3]:
        await action(una)
    await bot.stop()
    pressed = await una.press("🏢 Onsite / final rounds")
    clock.advance(timedelta(minutes=2))
    await bot.start()
    await api.wait_processed(pressed)
    assert api.answer_for(pressed) is None  # refused: too late
    asked = api.last_message(una)
    assert "How did you hear the news?" in asked.plain_text
    assert asked.buttons[0][0] == "✉️ Email"

    # A button of a message nobody answers any more (a retired keyboard's, say).
    await bot.stop()
    old = await una.press_data("retired:button", asked.message_id)
    clock.advance(timedelta(minutes=2))
    await bot.start()
    await api.wait_processed(old)
    assert api.answer_for(old) is None
    said = api.last_message(una).plain_text
    assert said.startswith("That button has expired: I was away for a moment"), said
    assert "/resume" in said

    # In a group, one person's old button is not worth a message to everyone.
    group = api.group(-4_000_000_301, "Job club", members=[una], admins=[una])
    await api.wait_processed(api.add_bot_to_group(group, una))
    posted = len(api.chat_messages(group))
    assert posted >= 1
    await bot.stop()
    old = await una.press_data("retired:button", api.last_message(group).message_id, chat=group)
    clock.advance(timedelta(minutes=2))
    await bot.start()
    await api.wait_processed(old)
    assert len(api.chat_messages(group)) == posted
    assert api.violations == []
