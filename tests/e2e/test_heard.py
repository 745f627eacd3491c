"""Heard: a first message with feeling is reflected before any question; typed words work at
button steps; a stale button or a sticker gets one message; /plan mid-debrief says where they
are; /rejected with one unfinished asks "continue or start a new one"."""

from __future__ import annotations

from pathlib import Path

import pytest

from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.db import rows
from tests.kit.running import RunningBot
from tests.kit.walks import stored_step

START_BUTTON = [["Start a debrief"]]


@pytest.mark.parametrize(
    ("first", "reflection"),
    [
        ("ugh. I DIDN'T GET THE JOB AGAIN 😤", "That sounds really frustrating."),
        ("I didn't get the job", "I'm sorry you didn't get it."),
        ("so gutted right now 😢", "I'm sorry. That hurts."),
        ("hello", "I'm here for the day after a rejection. Want to go through one together?"),
    ],
)
async def test_a_first_message_with_feeling_is_reflected_first(
    bot: RunningBot, api: FakeBotApi, first: str, reflection: str
) -> None:
    ann = api.private_user(2501, first_name="Ann")
    shown = await ann.say(first)
    assert len(shown) == 1
    assert shown[0].plain_text.startswith(reflection)
    assert shown[0].buttons == START_BUTTON


async def test_typed_words_work_at_button_steps(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    bea = api.private_user(2502, first_name="Bea")
    await bea.command("/start")
    await bea.say("Initech")
    await bea.say("Analyst")
    shown = await bea.say("technical")
    assert "How did you hear the news?" in texts(shown)
    shown = await bea.say("they ghosted me")
    assert "how are you right now?" in texts(shown)
    shown = await bea.say("meh like a 1.5")
    assert "Please use the buttons" not in texts(shown)
    assert rows(db_path, "SELECT stage, how_heard, mood FROM rejections") == [
        ("technical", "ghosted", 2)
    ]
    assert stored_step(db_path, bea) in ("grounding", "went_well")


async def test_words_that_name_no_button_get_the_buttons_again(
    bot: RunningBot, api: FakeBotApi
) -> None:
    cid = api.private_user(2503, first_name="Cid")
    await cid.command("/start")
    await cid.say("Initech")
    await cid.say("Analyst")
    shown = await cid.say("screen")  # the CV screen or the phone screen?
    assert "Please use the buttons" in texts(shown)
    assert "How far did you get with Initech?" in shown[-1].plain_text


async def test_a_stale_button_gives_one_message_and_a_sticker_one_line(
    bot: RunningBot, api: FakeBotApi
) -> None:
    dov = api.private_user(2504, first_name="Dov")
    await dov.command("/start")
    company = api.find_button_message("Skip", dov.id)  # answered by typing: its Skip stays
    skip = str(company.button("Skip")["callback_data"])
    await dov.say("Initech")
    await dov.say("Analyst")
    await dov.press_and_wait("💻 Technical test or assignment")
    await dov.press_and_wait("✉️ Email")  # now at the mood
    before = len(api.chat_messages(dov))
    await api.wait_processed(await dov.press_data(skip, company.message_id))
    after = api.chat_messages(dov)[before:]
    assert len(after) == 1
    assert "how are you right now?" in after[0].plain_text
    assert api.callback_answers[-1].text == "That button has expired. Here's where we are."
    before = len(api.chat_messages(dov))
    await api.wait_processed(await dov.send_sticker())
    after = api.chat_messages(dov)[before:]
    assert [m.plain_text for m in after] == [
        "I can only read words and buttons here; pick one of the buttons just above."
    ]


async def test_plan_mid_debrief_says_where_they_are_and_continues(
    bot: RunningBot, api: FakeBotApi
) -> None:
    eda = api.private_user(2505, first_name="Eda")
    await eda.command("/start")
    await eda.say("Initech")
    shown = await eda.command("/plan")
    assert "You're in the middle of a debrief about Initech." in texts(shown)
    assert "No plan yet" not in texts(shown)
    assert shown[-1].buttons == [["▶️ Continue it"]]
    shown = await eda.press_and_wait("▶️ Continue it")
    assert "What was the role?" in texts(shown)


async def test_rejected_with_one_unfinished_asks_continue_or_new(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    fin = api.private_user(2506, first_name="Fin")
    await fin.command("/start")
    await fin.say("Initech")
    shown = await fin.command("/rejected")
    assert "You have a debrief in progress about Initech." in texts(shown)
    assert shown[-1].buttons == [["▶️ Continue it"], ["🆕 Start a new one"]]
    shown = await fin.press_and_wait("🆕 Start a new one")
    assert "Which company was it?" in texts(shown)
    assert rows(db_path, "SELECT company, status FROM rejections ORDER BY id") == [
        ("Initech", "cancelled"),
        (None, "in_progress"),
    ]
    await fin.say("Globex")
    shown = await fin.command("/rejected")
    shown = await fin.press_and_wait("▶️ Continue it")
    assert "What was the role?" in texts(shown)


@pytest.mark.parametrize(
    ("stage", "heard", "reframe"),
    [
        ("📄 CV / application screen", "🌐 Job portal", "a verdict on one document"),
        ("🏢 Onsite / final rounds", "📞 Call", "They called you after the final round"),
        ("🤝 Offer stage", "✉️ Email", "You got to the very end"),
        ("💻 Technical test or assignment", "👻 Ghosted", "Silence isn't a verdict on you"),
    ],
)
async def test_the_reframe_fits_the_stage_and_how_they_heard(
    bot: RunningBot, api: FakeBotApi, stage: str, heard: str, reframe: str
) -> None:
    kit = api.private_user(2507, first_name="Kit")
    await kit.command("/start")
    await kit.say("Initech")
    await kit.say("Analyst")
    await kit.press_and_wait(stage)
    await kit.press_and_wait(heard)
    shown = await kit.press_and_wait("3 😐")
    assert reframe in texts(shown)
    assert "redirection" not in texts(shown) and "not your identity" not in texts(shown)
