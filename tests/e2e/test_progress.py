"""/progress and /history end to end: the momentum headline, the goals as they stand, the
chart and the data it draws, the patterns, the plans of past debriefs."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest

import conversations.progress
from bot.charts import ChartText, GoalBar, chart_data
from bot.clock import to_db
from coaching.patterns import GoalState, Journey, Momentum
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.progress import ONSITE, debrief_through_bot, png_size, seed_debrief, today
from tests.kit.running import RunningBot


async def set_goal(bot: RunningBot, rejection_id: int, *, ended_days_ago: int | None = None,
                   **fields: object) -> int:  # fmt: skip
    """Write a debrief's goal as the check-ins would (status, progress...), through the
    repository; `ended_days_ago` sets the day it was done or closed."""
    goal = await bot.services.debriefs.goal_for(rejection_id)
    assert goal is not None
    if ended_days_ago is not None:
        day = today(bot) - timedelta(days=ended_days_ago)
        fields["completed_at"] = datetime.combine(day, time(17), UTC)
    await bot.services.debriefs.update_goal(goal.id, **fields)
    return goal.id


async def record_outcome(
    bot: RunningBot, user_id: int, kind: str, *, days_ago: int, goal_id: int | None = None
) -> None:
    """An `outcomes` row (migration 0010) as the /outcome answers write it, `days_ago` back."""
    moment = datetime.combine(today(bot) - timedelta(days=days_ago), time(12), UTC)
    await bot.services.db.execute(
        "INSERT INTO outcomes (user_id, kind, goal_id, created_at) VALUES (?, ?, ?, ?)",
        (user_id, kind, goal_id, to_db(moment)),
    )


def capture_chart(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Journey, ChartText, date]]:
    """What /progress hands the chart (it is still drawn)."""
    seen: list[tuple[Journey, ChartText, date]] = []
    real = conversations.progress.draw_progress

    def spy(journey: Journey, text: ChartText, day: date) -> bytes:
        seen.append((journey, text, day))
        return real(journey, text, day)

    monkeypatch.setattr(conversations.progress, "draw_progress", spy)
    return seen


async def test_no_data_yet_gets_a_kind_pointer_to_rejected(
    bot: RunningBot, api: FakeBotApi
) -> None:
    ana = api.private_user(5001, first_name="Ana")
    shown = await ana.command("/progress")
    assert len(shown) == 1 and shown[0].photo is None
    assert "Nothing to chart yet" in shown[0].plain_text and "/rejected" in shown[0].plain_text
    shown = await ana.command("/history")
    assert "No debriefs yet" in shown[0].plain_text


async def test_progress_sends_a_real_png_chart_with_a_caption(
    bot: RunningBot, api: FakeBotApi
) -> None:
    ben = api.private_user(5002, first_name="Ben")
    await debrief_through_bot(ben, company="Initech")
    shown = await ben.command("/progress")
    assert [m.method for m in shown] == ["sendPhoto", "sendMessage"]
    chart = shown[0]
    assert chart.photo is not None
    assert png_size(chart.photo) == (800, 500)
    assert 5_000 < len(chart.photo) < 300_000
    caption = chart.caption or ""
    assert "Your road so far" in chart.plain_text
    # Momentum first: the feedback request went out today; a kind word for it, and only it.
    assert "Last 30 days: 1 feedback request sent." in chart.plain_text
    assert "Asking for feedback takes courage" in chart.plain_text
    assert "Well done" not in chart.plain_text
    assert "1 rejection debriefed since 2026-11-27" in chart.plain_text
    assert "furthest stage reached: Technical round" in chart.plain_text
    assert "Mood: 3 at the start, 3 most recently" in chart.plain_text
    assert "Goals: 1 in progress." in chart.plain_text
    assert "met" not in chart.plain_text and "Missed" not in chart.plain_text
    assert "Patterns show up after 3 debriefs; you have 1 so far." in chart.plain_text
    assert len(chart.plain_text) <= 1024 and len(caption) < 2048
    assert api.calls("sendPhoto")[-1].files["photo"].filename == "comeback-progress.png"
    assert (
        shown[1].plain_text
        == "Your goals\n\n⏳ Do 3 mock interviews by Monday 7 December: in progress"
    )


async def test_patterns_from_a_history_walked_and_seeded(bot: RunningBot, api: FakeBotApi) -> None:
    cat = api.private_user(5003, first_name="Cat")
    # One debrief through the bot (technical round, technical gap, feedback sent)...
    await debrief_through_bot(cat, company="Initech")
    # ...and four written through the repositories, further back.
    globex = await seed_debrief(
        bot, cat.id, company="Globex", stage="technical", gaps=("technical", "interviewing"),
        days_ago=40, mood=2, feedback="replied", goal="done",
    )  # fmt: skip
    umbrella = await seed_debrief(
        bot, cat.id, company="Umbrella", stage="technical", gaps=("technical",),
        days_ago=30, mood=2, feedback="sent", goal="done",
    )  # fmt: skip
    await seed_debrief(
        bot, cat.id, company="Hooli", stage="onsite", gaps=("interviewing",),
        days_ago=20, mood=4, goal="abandoned",
    )  # fmt: skip
    vandelay = await seed_debrief(
        bot, cat.id, company="Vandelay", stage="technical", gaps=("theory",),
        days_ago=10, mood=3, goal="done",
    )  # fmt: skip
    for rid, ended in ((globex, 35), (umbrella, 25), (vandelay, 5)):
        await set_goal(bot, rid, progress=5, ended_days_ago=ended)  # done in full
    shown = await cat.command("/progress")
    assert [m.method for m in shown] == ["sendPhoto", "sendMessage", "sendMessage"]
    assert png_size(shown[0].photo or b"") == (800, 500)
    assert "5 rejections debriefed" in shown[0].plain_text
    patterns = shown[2].plain_text
    assert "Patterns in your journey" in patterns
    assert "4 of your 5 rejections came after the technical round." in patterns
    assert "Try: One timed practice problem" in patterns
    assert (
        "you named Technical skills in 3 of your 5 debriefs, and Interviewing skills in 2."
        in patterns
    )
    # Not the same suggestion twice: the gap points to the next resource on its list.
    assert "Try: Cracking the Coding Interview (Gayle Laakmann McDowell)" in patterns
    assert "you sent 3 requests for feedback in 5 debriefs and heard back 1 time." in patterns
    assert "follow-up a week after sending" in patterns
    # Goals by date set: the seeded ones first (done, done, closed, done), then the active one.
    assert "Goals: 3 done, 1 in progress, 1 closed." in patterns
    assert "The last goal you finished, you finished in full." in patterns
    assert "on a roll" not in patterns


async def test_low_goal_record_points_to_smaller_goals_and_a_book(
    bot: RunningBot, api: FakeBotApi
) -> None:
    dan = api.private_user(5004, first_name="Dan")
    for days_ago, stage in ((30, "application"), (20, "phone_screen"), (10, "offer")):
        await seed_debrief(
            bot, dan.id, company="X", stage=stage, gaps=(), days_ago=days_ago, goal="abandoned"
        )
    shown = await dan.command("/progress")
    patterns = shown[-1].plain_text
    assert "where they cluster" not in patterns.lower()  # three stages, one each
    assert "What keeps coming up" not in patterns
    assert "you sent 0 requests for feedback in 3 debriefs" in patterns
    assert "let me draft the request" in patterns
    assert "Goals: 3 closed." in patterns
    assert "A smaller next goal is easier to start and to finish." in patterns
    assert "Atomic Habits (James Clear)" in patterns


async def test_a_failing_chart_falls_back_to_text(
    bot: RunningBot, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(journey: Journey, text: ChartText, today: date) -> bytes:
        raise RuntimeError("no canvas today")

    monkeypatch.setattr(conversations.progress, "draw_progress", broken)
    eve = api.private_user(5005, first_name="Eve")
    await seed_debrief(bot, eve.id, company="Acme", stage="onsite", gaps=(), days_ago=3)
    shown = await eve.command("/progress")
    assert [m.method for m in shown] == ["sendMessage"]
    assert "I couldn't draw your chart this time" in shown[0].plain_text
    assert "1 rejection debriefed" in shown[0].plain_text


async def test_the_chart_is_drawn_off_the_event_loop(
    bot: RunningBot, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    started = threading.Event()
    real = conversations.progress.draw_progress

    def slow(journey: Journey, text: ChartText, today: date) -> bytes:
        started.set()
        assert release.wait(10)
        return real(journey, text, today)

    monkeypatch.setattr(conversations.progress, "draw_progress", slow)
    fay = api.private_user(5006, first_name="Fay")
    gus = api.private_user(5007, first_name="Gus")
    await seed_debrief(bot, fay.id, company="Acme", stage="onsite", gaps=(), days_ago=3)
    update_id = await fay.send_command("/progress")
    await asyncio.to_thread(started.wait, 10)
    # While Fay's chart is being drawn, Gus is answered.
    shown = await gus.command("/help")
    assert "/progress" in shown[0].plain_text
    assert api.chat_messages(fay) == []
    release.set()
    await api.wait_processed(update_id)
    assert api.last_message(fay).photo is not None


async def test_progress_and_history_mid_debrief_leave_the_debrief_where_it_was(
    bot: RunningBot, api: FakeBotApi
) -> None:
    hal = api.private_user(5008, first_name="Hal")
    await seed_debrief(bot, hal.id, company="Old Co", stage="onsite", gaps=(), days_ago=9)
    await hal.command("/rejected")
    shown = await hal.say("New Co")
    assert shown[-1].plain_text == "What was the role?"
    shown = await hal.command("/progress")
    assert shown[0].photo is not None
    assert "2 rejections debriefed" in shown[0].plain_text
    shown = await hal.command("/history")
    assert "New Co" in shown[0].plain_text and "unfinished" in shown[0].plain_text
    shown = await hal.say("Data analyst")
    assert "How far did you get with New Co?" in shown[-1].plain_text


async def test_history_lists_debriefs_and_opens_only_the_owners_plans(
    bot: RunningBot, api: FakeBotApi
) -> None:
    ivy = api.private_user(5009, first_name="Ivy")
    jon = api.private_user(5010, first_name="Jon")
    await debrief_through_bot(ivy, company="<AT&T>")
    await debrief_through_bot(ivy, company="Hooli", stage=ONSITE, send_feedback=False, first=False)
    await seed_debrief(bot, jon.id, company="Jon's Co", stage="offer", gaps=(), days_ago=2)

    shown = await ivy.command("/history")
    listing = shown[0]
    assert "Your debriefs" in listing.plain_text
    assert "1. Hooli – Backend engineer, Onsite / final (2026-11-27)" in listing.plain_text
    assert "2. <AT&T> – Backend engineer, Technical round (2026-11-27)" in listing.plain_text
    assert "&lt;AT&amp;T&gt;" in (listing.text or "")
    assert listing.buttons == [["1. Hooli", "2. <AT&T>"]]

    shown = await ivy.press_and_wait("2. <AT&T>")
    assert "Your comeback plan after <AT&T>" in texts(shown)
    assert "Goal: Do 3 mock interviews by Monday 7 December" in texts(shown)
    shown = await ivy.press_and_wait("1. Hooli")
    assert "Your comeback plan after Hooli" in texts(shown)
    assert "Feedback request: not asked" in texts(shown)

    # Jon forges a press of Ivy's button on his own /history message: refused, nothing shown.
    jon_listing = (await jon.command("/history"))[0]
    ivy_data = listing.callback_data[0][0]
    assert ivy_data is not None
    update_id = await jon.press_data(ivy_data, jon_listing.message_id)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "That button has expired. Here's where we are."
    assert api.last_message(jon).message_id == jon_listing.message_id
    # His own button works.
    shown = await jon.press_and_wait("1. Jon's Co")
    assert "Your comeback plan after Jon's Co" in texts(shown)


async def test_personal_commands_in_a_group_point_to_the_private_chat(
    bot: RunningBot, api: FakeBotApi
) -> None:
    kim = api.private_user(5011, first_name="Kim")
    group = api.group(-100500, title="Job hunters", members=[kim])
    for command in ("/progress", "/history", "/export", "/delete"):
        shown = await kim.command(command, chat=group)
        assert "only do it in our private chat" in shown[0].plain_text
        assert shown[0].inline_keyboard[0][0]["url"].startswith("https://t.me/")


async def test_goals_in_every_state_and_momentum_first(
    bot: RunningBot, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    lea = api.private_user(5012, first_name="Lea")
    # Today's debrief, walked (mock interviews, 3 by Monday 7 December; feedback sent today); the
    # person has said "2 so far" at a check-in.
    await debrief_through_bot(lea, company="Initech")
    latest = await bot.services.debriefs.latest_completed(lea.id)
    assert latest is not None
    await set_goal(bot, latest.id, progress=2)
    # Earlier debriefs, each with an 'apply' goal of 5, a week long.
    done, partly, closed, past, replaced = [
        await seed_debrief(
            bot,
            lea.id,
            company=company,
            stage="onsite",
            gaps=(),
            days_ago=days_ago,
            mood=mood,
            goal="active",
        )
        for company, days_ago, mood in (
            ("A", 45, 3),
            ("B", 25, 2),
            ("C", 20, 2),
            ("D", 15, 3),
            ("E", 12, 3),
        )
    ]
    await set_goal(bot, done, status="done", progress=5, ended_days_ago=40)
    await set_goal(bot, partly, status="done", progress=3, ended_days_ago=5)
    await set_goal(bot, closed, status="abandoned", ended_days_ago=15)
    past_goal = await set_goal(bot, past, progress=2)  # active; its deadline was 8 days ago
    await set_goal(bot, replaced, status="replaced", progress=1, ended_days_ago=10)
    # An application that moved goal D on (its count of 2 includes it), one on its own, one
    # before the last 30 days, and an interview.
    await record_outcome(bot, lea.id, "applied", days_ago=10, goal_id=past_goal)
    await record_outcome(bot, lea.id, "applied", days_ago=2)
    await record_outcome(bot, lea.id, "applied", days_ago=50)
    await record_outcome(bot, lea.id, "interview", days_ago=1)
    seen = capture_chart(monkeypatch)

    shown = await lea.command("/progress")
    assert [m.method for m in shown] == ["sendPhoto", "sendMessage", "sendMessage"]
    caption = shown[0].plain_text.splitlines()
    # Momentum: applications from goal B (3) and D (2, its linked record not counted again)
    # and the one on its own; goal A and the record 50 days back are older; E was replaced.
    assert caption[:3] == [
        "Your road so far",
        "Last 30 days: 6 applications, 1 interview, 1 goal partly done,"
        " 1 feedback request sent, mood up from 2 to 3.",
        "An interview means someone read your application and wants to hear more. Well done.",
    ]
    assert "Goals: 1 done, 1 partly done (3 of 5), 1 in progress, 1 past its deadline," \
        " 1 closed." in caption  # fmt: skip
    assert shown[1].plain_text.splitlines() == [
        "Your goals",
        "",
        "✅ Apply to 5 roles by Tuesday 20 October: done",
        "🌗 Apply to 5 roles by Monday 9 November: partly done, 3 of 5",
        "▫️ Apply to 5 roles by Saturday 14 November: closed",
        "🕰 Apply to 5 roles by Thursday 19 November: past its deadline with 2 of 5 so far,"
        " waiting for your word on how it went",
        "⏳ Do 3 mock interviews by Monday 7 December: in progress, 2 of 3 so far",
    ]
    everything = texts(shown)
    for wrong in ("Missed", "missed", "failed", "met of", "on a roll"):
        assert wrong not in everything
    patterns = shown[2].plain_text
    assert "Goals: 1 done, 1 partly done (3 of 5), 1 in progress, 1 past its deadline" in patterns
    assert "A smaller next goal is easier to start and to finish." in patterns

    # The chart: partial progress drawn as a share of the bar, a headline of momentum.
    [(journey, text, day)] = seen
    data = chart_data(journey, day)
    assert data.recent == Momentum(
        applications=6, interviews=1, goals_partly=1, feedback_asked=1, mood_from=2, mood_to=3
    )
    assert text.headline == (
        "Last 30 days: 6 applications, 1 interview, 1 goal partly done,"
        " 1 feedback request sent, mood up from 2 to 3"
    )
    assert [(b.state, round(b.fraction, 2), text.goal_words(b)) for b in data.goals] == [
        (GoalState.DONE, 1.0, "Done"),
        (GoalState.PARTLY_DONE, 0.6, "3 of 5 done"),
        (GoalState.CLOSED, 0.0, "Closed"),
        (GoalState.PAST_DEADLINE, 0.4, "Past its deadline: 2 of 5"),
        (GoalState.IN_PROGRESS, 0.67, "2 of 3 so far"),
    ]
    assert data.goals[-1] == GoalBar(today(bot), GoalState.IN_PROGRESS, 2 / 3, 2, 3)
    assert png_size(shown[0].photo or b"") == (800, 500)


async def test_one_goal_done_and_two_open_is_not_a_streak(bot: RunningBot, api: FakeBotApi) -> None:
    mo = api.private_user(5013, first_name="Mo")
    first, _, _ = [
        await seed_debrief(
            bot, mo.id, company="X", stage="onsite", gaps=(), days_ago=days_ago, goal="active"
        )
        for days_ago in (9, 4, 2)
    ]
    await set_goal(bot, first, status="done", progress=5, ended_days_ago=3)

    shown = await mo.command("/progress")
    caption = shown[0].plain_text
    assert "Last 30 days: 5 applications, 1 goal done." in caption
    assert "You did what you set out to do. Well done." in caption
    assert "Goals: 1 done, 2 in progress." in caption
    assert shown[1].plain_text.count(": in progress") == 2
    patterns = shown[2].plain_text
    assert "Goals: 1 done, 2 in progress." in patterns
    assert "The last goal you finished, you finished in full." in patterns
    assert "on a roll" not in patterns and "in a row" not in patterns


async def test_nothing_new_gets_a_kind_true_line_and_no_praise(
    bot: RunningBot, api: FakeBotApi
) -> None:
    nia = api.private_user(5014, first_name="Nia")
    await seed_debrief(bot, nia.id, company="Acme", stage="onsite", gaps=(), days_ago=3)
    shown = await nia.command("/progress")
    assert [m.method for m in shown] == ["sendPhoto"]
    caption = shown[0].plain_text.splitlines()
    assert caption[1] == (
        "No applications or interviews logged yet. Debriefing a rejection is a real step,"
        " and you've taken it."
    )
    assert "Last 30 days" not in shown[0].plain_text and "Well done" not in shown[0].plain_text

    # Things happened, but not lately: said as they are, with no praise for the quiet days.
    oli = api.private_user(5015, first_name="Oli")
    rid = await seed_debrief(
        bot, oli.id, company="Acme", stage="onsite", gaps=(), days_ago=60, goal="active"
    )
    await set_goal(bot, rid, status="done", progress=5, ended_days_ago=50)
    await record_outcome(bot, oli.id, "interview", days_ago=45)
    shown = await oli.command("/progress")
    caption = shown[0].plain_text.splitlines()
    assert caption[1] == (
        "Last 30 days: a quieter stretch. Since you started: 5 applications, 1 interview,"
        " 1 goal done."
    )
    assert caption[2] == ""
    assert "Well done" not in shown[0].plain_text
    assert shown[1].plain_text.endswith("✅ Apply to 5 roles by Monday 5 October: done")
