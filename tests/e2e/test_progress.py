"""/progress and /history end to end: the chart, the patterns, the plans of past debriefs."""

from __future__ import annotations

import asyncio
import threading
from datetime import date

import pytest

import conversations.progress
from bot.charts import ChartText
from coaching.patterns import Journey
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.progress import ONSITE, debrief_through_bot, png_size, seed_debrief
from tests.kit.running import RunningBot


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
    assert [m.method for m in shown] == ["sendPhoto"]
    chart = shown[0]
    assert chart.photo is not None
    assert png_size(chart.photo) == (800, 500)
    assert 5_000 < len(chart.photo) < 300_000
    caption = chart.caption or ""
    assert "Your road so far" in chart.plain_text
    assert "1 rejection debriefed since 2026-11-27" in chart.plain_text
    assert "furthest stage reached: Technical round" in chart.plain_text
    assert "Mood: 3 at the start, 3 most recently" in chart.plain_text
    assert "Goals: 0 met of 1 set" in chart.plain_text
    assert "Patterns show up after 3 debriefs; you have 1 so far." in chart.plain_text
    assert len(chart.plain_text) <= 1024 and len(caption) < 2048
    assert api.calls("sendPhoto")[-1].files["photo"].filename == "comeback-progress.png"


async def test_patterns_from_a_history_walked_and_seeded(bot: RunningBot, api: FakeBotApi) -> None:
    cat = api.private_user(5003, first_name="Cat")
    # One debrief through the bot (technical round, technical gap, feedback sent)...
    await debrief_through_bot(cat, company="Initech")
    # ...and four written through the repositories, further back.
    await seed_debrief(
        bot, cat.id, company="Globex", stage="technical", gaps=("technical", "interviewing"),
        days_ago=40, mood=2, feedback="replied", goal="done",
    )  # fmt: skip
    await seed_debrief(
        bot, cat.id, company="Umbrella", stage="technical", gaps=("technical",),
        days_ago=30, mood=2, feedback="sent", goal="done",
    )  # fmt: skip
    await seed_debrief(
        bot, cat.id, company="Hooli", stage="onsite", gaps=("interviewing",),
        days_ago=20, mood=4, goal="abandoned",
    )  # fmt: skip
    await seed_debrief(
        bot, cat.id, company="Vandelay", stage="technical", gaps=("theory",),
        days_ago=10, mood=3, goal="done",
    )  # fmt: skip
    shown = await cat.command("/progress")
    assert [m.method for m in shown] == ["sendPhoto", "sendMessage"]
    assert png_size(shown[0].photo or b"") == (800, 500)
    assert "5 rejections debriefed" in shown[0].plain_text
    patterns = shown[1].plain_text
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
    # Goals by date set: the seeded ones first (done, done, abandoned, done), then the active one.
    assert "Goals: 3 met of 5 set, including the latest." in patterns
    assert "set the next goal one notch higher" in patterns


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
    assert "Goals: 0 met of 3 set." in patterns
    assert "Make the next goal smaller" in patterns and "Atomic Habits (James Clear)" in patterns


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
    assert "Goal: Do N mock interviews: 3 by 2026-12-07" in texts(shown)
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
