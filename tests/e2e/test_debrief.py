"""The rejection debrief end to end: the real Application, real HTTP, the fake Telegram."""

from __future__ import annotations

from pathlib import Path

from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.db import rows
from tests.kit.running import RunningBot


async def test_happy_path_builds_the_whole_plan(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    alice = api.private_user(1001, first_name="Alice")
    shown = await alice.command("/start")
    assert "Which company was it?" in texts(shown)

    shown = await alice.say("<AT&T>")
    assert shown[-1].plain_text == "What was the role?"
    shown = await alice.say("Backend engineer")
    assert "How far did you get with <AT&T>?" in shown[-1].plain_text
    assert "&lt;AT&amp;T&gt;" in shown[-1].text  # user text arrives escaped
    assert shown[-1].buttons[2] == ["💻 Technical test or assignment"]

    shown = await alice.press_and_wait("💻 Technical test or assignment")
    assert "How did you hear the news?" in texts(shown)
    shown = await alice.press_and_wait("✉️ Email")
    assert shown[-1].buttons == [["1 😞", "2 🙁", "3 😐", "4 🙂", "5 😊"]]

    shown = await alice.press_and_wait("3 😐")
    assert "A test measures one task on one day, and practice helps." in texts(shown)
    assert "What is one thing that went well?" in shown[-1].plain_text
    await alice.say("I explained my design clearly")
    shown = await alice.say("Practise live coding under time pressure")
    assert "Would you like to ask the hirer for feedback?" in shown[-1].plain_text

    await alice.press_and_wait("Yes, draft it for me")
    shown = await alice.say("Dana")
    assert "How should I sign it?" in shown[-1].plain_text
    assert shown[-1].buttons == [["Use Alice"], ["Skip"]]
    shown = await alice.press_and_wait("Use Alice")
    draft = shown[-1]
    assert "Subject:" in draft.plain_text
    assert "Dana" in draft.plain_text
    assert "technical" in draft.plain_text.lower()
    assert "\nAlice" in draft.plain_text
    assert len(draft.plain_text) < 1300
    assert draft.buttons == [
        ["📨 I've sent it", "I'll send it later"],
        ["Other tone", "Add a personal line"],
        ["As a LinkedIn message", "Skip"],
    ]

    shown = await alice.press_and_wait("📨 I've sent it")
    assert "Sent. Well done." in texts(shown)
    assert "Where do you think it fell short?" in shown[-1].plain_text

    shown = await alice.press_and_wait("▫️ Technical skills")
    assert shown[-1].event == "edited"
    assert shown[-1].buttons[0][0] == "✅ Technical skills"
    await alice.press_and_wait("▫️ Interviewing skills")
    shown = await alice.press_and_wait("Done")
    card = texts(shown)
    assert "Your SWOT card" in card and "“I explained my design clearly”" in card
    assert "Pick one" in shown[-1].plain_text
    assert shown[-1].buttons[0] == ["1", "2", "3"]

    await alice.press_and_wait("1")
    shown = await alice.press_and_wait("Tomorrow")
    assert "a goal to try again" in shown[-1].plain_text
    shown = await alice.say("3 mock interviews")
    assert "Where are you" in shown[-1].plain_text
    shown = await alice.say("Berlin")
    assert "Europe/Berlin" in texts(shown)
    shown = await alice.say("2026-12-15")
    plan = texts(shown)
    assert "Your comeback plan after <AT&T>" in plan
    assert "Lesson: Practise live coding under time pressure" in plan
    assert "Feedback request: sent Friday 27 November" in plan
    assert "Gaps: Technical skills, Interviewing skills" in plan
    assert "Goal: Do 3 mock interviews by Tuesday 15 December" in plan

    row = rows(
        db_path,
        "SELECT company, role, stage, how_heard, mood, lesson, gaps, strength, status"
        " FROM rejections WHERE user_id = ?",
        1001,
    )
    assert row == [
        (
            "<AT&T>",
            "Backend engineer",
            "technical",
            "email",
            3,
            "Practise live coding under time pressure",
            '["technical", "interviewing"]',
            None,  # the strength is no longer asked
            "completed",
        )
    ]
    assert rows(db_path, "SELECT status, target, deadline, kind FROM goals") == [
        ("active", 3, "2026-12-15", "mock_interviews")
    ]
    assert rows(db_path, "SELECT timezone FROM users WHERE id = 1001") == [("Europe/Berlin",)]
    assert rows(db_path, "SELECT count(*) FROM conversation_states") == [(0,)]

    shown = await alice.command("/plan")
    assert "Your comeback plan after <AT&T>" in texts(shown)
