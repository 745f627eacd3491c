"""Every branch and control of the debrief: skip, back, cancel, resume, bad input, safety."""

from __future__ import annotations

from pathlib import Path

from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.db import rows as db_rows  # `rows` is a local name here
from tests.kit.running import RunningBot
from tests.kit.walks import walk_to_feedback


async def test_skip_button_and_command_pass_optional_steps(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    bob = api.private_user(2001, first_name="Bob")
    await bob.command("/start")
    shown = await bob.press_and_wait("Skip")
    assert shown[-1].plain_text == "What was the role?"
    assert shown[0].event == "edited" and shown[0].buttons == []  # the Skip button is gone
    shown = await bob.command("/skip")
    assert "How far did you get?" in shown[-1].plain_text
    shown = await bob.command("/skip")
    assert "can't be skipped" in texts(shown)
    assert "How far did you get?" in shown[-1].plain_text
    assert db_rows(db_path, "SELECT company, role FROM rejections") == [(None, None)]


async def test_back_returns_one_step_and_keeps_answers(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    cara = api.private_user(2002, first_name="Cara")
    await cara.command("/start")
    shown = await cara.command("/back")
    assert "first question" in texts(shown)
    await cara.say("Globex")
    await cara.say("Analyst")
    shown = await cara.command("/back")
    assert shown[-1].plain_text == "What was the role?"
    shown = await cara.say("Senior analyst")
    assert "How far did you get with Globex?" in shown[-1].plain_text
    assert db_rows(db_path, "SELECT company, role FROM rejections") == [
        ("Globex", "Senior analyst")
    ]


async def test_cancel_keeps_answers_and_resume_continues(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    dev = api.private_user(2003, first_name="Dev")
    await dev.command("/start")
    await dev.say("Initech")
    shown = await dev.command("/cancel")
    assert "Everything you told me is saved" in texts(shown)
    assert db_rows(db_path, "SELECT company, status FROM rejections") == [("Initech", "cancelled")]
    shown = await dev.say("hello?")
    assert "Want to go through one together?" in texts(shown)
    assert shown[-1].buttons == [["Start a debrief"]]
    shown = await dev.command("/resume")
    assert "pick up where we left off with Initech" in texts(shown)
    assert shown[-1].plain_text == "What was the role?"
    await dev.say("Support lead")
    assert db_rows(db_path, "SELECT role, status FROM rejections") == [
        ("Support lead", "in_progress")
    ]


async def test_resume_with_nothing_unfinished_offers_a_start(
    bot: RunningBot, api: FakeBotApi
) -> None:
    eve = api.private_user(2004, first_name="Eve")
    shown = await eve.command("/resume")
    assert "no unfinished debrief" in texts(shown)
    shown = await eve.press_and_wait("Start a debrief")
    assert "Which company was it?" in shown[-1].plain_text


async def test_non_text_and_empty_input_get_a_reprompt_in_the_same_step(
    bot: RunningBot, api: FakeBotApi
) -> None:
    fay = api.private_user(2005, first_name="Fay")
    await fay.command("/start")
    for send in (fay.send_sticker(), fay.send_photo(), fay.send_voice()):
        before = len(api.chat_messages(fay))
        update_id = await send
        await api.wait_processed(update_id)
        shown = api.chat_messages(fay)[before:]  # one short line, not the question again
        assert [m.plain_text for m in shown] == [
            "I can only read words here; type your answer to the question just above."
        ]
    shown = await fay.say("Hooli")
    await fay.say("PM")
    shown = await fay.say("I typed instead of tapping")
    assert "Please use the buttons" in texts(shown)
    assert "How far did you get with Hooli?" in shown[-1].plain_text


async def test_over_long_answers_are_refused_with_the_limit(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    gus = api.private_user(2006, first_name="Gus")
    await gus.command("/start")
    shown = await gus.say("x" * 501)
    assert texts(shown) == "That's 501 characters; please keep it under 500."
    await gus.say("x" * 500)
    await gus.say("Role")
    await gus.press_and_wait("📄 CV / application screen")
    await gus.press_and_wait("👻 Ghosted")
    await gus.press_and_wait("4 🙂")
    shown = await gus.say("y" * 2001)
    assert "under 2000" in texts(shown)
    shown = await gus.say("y" * 2000)
    assert "one lesson" in shown[-1].plain_text
    assert db_rows(db_path, "SELECT length(company), length(went_well) FROM rejections") == [
        (500, 2000)
    ]


async def test_low_mood_offers_grounding_before_going_on(bot: RunningBot, api: FakeBotApi) -> None:
    hal = api.private_user(2007, first_name="Hal")
    await hal.command("/start")
    await hal.press_and_wait("Skip")
    await hal.press_and_wait("Skip")
    await hal.press_and_wait("🏢 Onsite / final rounds")
    await hal.press_and_wait("📞 Call")
    shown = await hal.press_and_wait("1 😞")
    assert "That sounds really hard" in texts(shown)
    assert "two-minute grounding exercise" in shown[-1].plain_text
    shown = await hal.press_and_wait("Yes, let's breathe")
    assert "5-4-3-2-1 grounding" in texts(shown)
    assert "What is one thing that went well?" in shown[-1].plain_text


async def test_feedback_already_asked_and_skip_go_straight_to_gaps(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    ida = api.private_user(2008, first_name="Ida")
    await walk_to_feedback(ida)
    shown = await ida.press_and_wait("I already asked")
    assert "already asked" in texts(shown)
    assert "Where do you think it fell short?" in shown[-1].plain_text
    assert db_rows(db_path, "SELECT status FROM feedback_requests") == [("already_asked",)]
    shown = await ida.command("/back")
    assert "ask the hirer for feedback" in shown[-1].plain_text
    shown = await ida.press_and_wait("Skip")
    assert "Where do you think it fell short?" in shown[-1].plain_text


async def test_other_tone_and_personal_line_rework_the_draft(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    jo = api.private_user(2009, first_name="Jo")
    await walk_to_feedback(jo)
    await jo.press_and_wait("Yes, draft it for me")
    await jo.press_and_wait("Skip")
    email = (await jo.press_and_wait("Use Jo"))[-1]  # the sign-off name; the draft follows
    assert "Subject:" in email.plain_text  # an email in a warm tone, to begin with
    warm = (await jo.press_and_wait("As a LinkedIn message"))[-1]
    assert "Subject:" not in warm.plain_text  # LinkedIn messages have no subject
    assert ["As an email", "Skip"] in warm.buttons
    await jo.press_and_wait("Other tone")
    brief = (await jo.press_and_wait("Brief"))[-1]
    assert brief.plain_text != warm.plain_text
    await jo.press_and_wait("Add a personal line")
    shown = await jo.say("I loved the pairing session with your team.")
    assert "I loved the pairing session with your team." in shown[-1].plain_text
    shown = await jo.press_and_wait("I'll send it later")
    assert "draft is saved" in texts(shown)
    assert db_rows(db_path, "SELECT status, tone, channel FROM feedback_requests") == [
        ("drafted", "brief", "linkedin")
    ]


async def test_gaps_need_at_least_one_and_show_others_offers_new_resources(
    bot: RunningBot, api: FakeBotApi
) -> None:
    kim = api.private_user(2010, first_name="Kim")
    await walk_to_feedback(kim)
    await kim.press_and_wait("Skip")
    update_id = await kim.press("Done")
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "Pick at least one (or Unsure)."
    await kim.press_and_wait("▫️ Unsure")
    first = (await kim.press_and_wait("Done"))[-1]
    second = (await kim.press_and_wait("🔄 Show others"))[-1]
    first_ids = {d for row in first.callback_data for d in row}
    second_ids = {d for row in second.callback_data for d in row}
    offered = lambda ids: {d for d in ids if d and d.split(":")[3] not in ("more", "skip")}  # noqa: E731
    assert offered(first_ids).isdisjoint(offered(second_ids))
    shown = await kim.press_and_wait("2")
    assert "When will you make time for it?" in shown[-1].plain_text


async def test_custom_goal_typed_offset_and_deadline_errors(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    lea = api.private_user(2011, first_name="Lea")
    await walk_to_feedback(lea)
    await lea.press_and_wait("Skip")
    await lea.press_and_wait("▫️ Technical skills")
    await lea.press_and_wait("Done")
    await lea.press_and_wait("1")
    await lea.press_and_wait("This weekend")
    shown = await lea.press_and_wait("Something else (type it)")
    assert "Describe your goal in one line" in shown[-1].plain_text
    await lea.say("Rebuild my portfolio site")
    shown = await lea.say("somewhere nice")
    assert "couldn't place that" in texts(shown)
    await lea.say("UTC+2")
    shown = await lea.say("2020-01-01")
    assert "already passed" in texts(shown)
    shown = await lea.say("2030-01-01")
    assert "more than a year away" in texts(shown)
    shown = await lea.say("31 February")
    assert "couldn't read that date" in texts(shown)
    shown = await lea.press_and_wait("2 weeks")
    assert "Goal: Rebuild my portfolio site by Friday 11 December" in texts(shown)
    assert db_rows(db_path, "SELECT kind, target, custom_text FROM goals") == [
        ("custom", None, "Rebuild my portfolio site")
    ]
    assert db_rows(db_path, "SELECT planned_for FROM resource_picks") == [("2026-11-28",)]


async def test_goal_number_is_validated(bot: RunningBot, api: FakeBotApi, db_path: Path) -> None:
    max_ = api.private_user(2012, first_name="Max")
    await walk_to_feedback(max_)
    await max_.press_and_wait("Skip")
    await max_.press_and_wait("▫️ Portfolio" if False else "▫️ Experience / portfolio")
    await max_.press_and_wait("Done")
    await max_.press_and_wait("Skip")
    for bad, words in (
        ("apply to 0 roles", "at least 1"),
        ("apply to 101 roles", "100 or fewer"),
        ("apply to -3 roles", "at least 1"),
        ("apply to lots of roles", "couldn't tell which goal"),
        ("12", "couldn't tell which goal"),
    ):
        shown = await max_.say(bad)
        assert words in texts(shown), bad
    shown = await max_.say("apply to 8 roles")
    assert "Where are you" in shown[-1].plain_text
    assert db_rows(db_path, "SELECT kind, target FROM goals") == [("apply", 8)]


async def test_stale_forged_and_double_pressed_buttons_never_act(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    ned = api.private_user(2013, first_name="Ned")
    await ned.command("/start")
    await ned.say("Acme")
    await ned.say("Dev")
    stage_message = api.last_message(ned)
    offer_data = stage_message.callback_data[4][0]
    assert offer_data == "d:1:st:offer"
    await ned.press_and_wait("📞 Recruiter or phone screen")
    # Another button of the answered question (a late double tap): told on the button,
    # nothing changes, and the next question is not asked again.
    before = len(api.chat_messages(ned))
    update_id = await ned.press_data(offer_data, stage_message.message_id)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "Already answered: the next question is below."
    assert len(api.chat_messages(ned)) == before
    # Data we never issued, and data naming someone else's debrief.
    for forged in ("d:999:st:offer", "totally-made-up", "d:1:zz:1"):
        update_id = await ned.press_data(forged, stage_message.message_id)
        await api.wait_processed(update_id)
        assert api.answer_for(update_id) is not None
    assert db_rows(db_path, "SELECT stage FROM rejections") == [("phone_screen",)]
    assert "How did you hear the news?" in api.last_message(ned).plain_text


async def test_crisis_text_pauses_coaching_with_help_lines(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    oli = api.private_user(2014, first_name="Oli")
    await walk_to_feedback(oli)
    await oli.press_and_wait("Skip")
    await oli.command("/back")
    await oli.press_and_wait("Skip")
    shown = await oli.command("/back")
    # Now at the feedback offer; go back to the lesson by cancel/resume to test free text.
    await oli.command("/cancel")
    await oli.command("/resume")
    await oli.command("/back")  # the lesson step takes free text
    shown = await oli.say("honestly I want to die")
    safety = texts(shown)
    assert "you don't have to carry it alone" in safety
    assert "988 Suicide & Crisis Lifeline" in safety and "Samaritans" in safety
    assert "Find A Helpline" in safety
    assert shown[-1].buttons == [["I'd like to go on"], ["Pause for now"]]
    # The words are not kept; the fact that the reply was shown is.
    assert db_rows(db_path, "SELECT count(*) FROM safety_events") == [(1,)]
    assert all(
        "die" not in str(v) for row in db_rows(db_path, "SELECT * FROM rejections") for v in row
    )
    shown = await oli.say("ok")
    assert "coaching is paused" in texts(shown)
    shown = await oli.press_and_wait("Pause for now")
    assert "Paused" in texts(shown)
    shown = await oli.press_and_wait("I'd like to go on")
    assert "one lesson" in shown[-1].plain_text


async def test_figures_of_speech_are_not_treated_as_crisis(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    pat = api.private_user(2015, first_name="Pat")
    await pat.command("/start")
    shown = await pat.say("This rejection killed my motivation")
    assert "you don't have to carry it alone" not in texts(shown)
    assert shown[-1].plain_text == "What was the role?"
    assert db_rows(db_path, "SELECT count(*) FROM safety_events") == [(0,)]


async def test_crisis_text_outside_a_debrief_gets_the_caring_reply(
    bot: RunningBot, api: FakeBotApi
) -> None:
    quinn = api.private_user(2016, first_name="Quinn")
    shown = await quinn.say("I don't want to be here anymore")
    assert "you don't have to carry it alone" in texts(shown)
    assert shown[-1].buttons == [["I'd like to go on"], ["Pause for now"]]
    shown = await quinn.press_and_wait("I'd like to go on")
    assert "The coaching is on again" in texts(shown)


async def test_group_start_points_to_the_private_chat(bot: RunningBot, api: FakeBotApi) -> None:
    rae = api.private_user(2017, first_name="Rae")
    group = api.group(-100777, "Job club", members=[rae], admins=[rae], supergroup=True)
    for command in ("/start", "/rejected"):
        shown = await rae.command(command, chat=group)
        assert len(shown) == 1
        assert "happen in a private chat" in shown[0].plain_text
        button = shown[0].button("Start my private debrief")
        assert button["url"] == "https://t.me/comeback_test_bot?start=g-100777"
    shown = await rae.command("/help", chat=group)
    assert "only see commands" in texts(shown)
    update_id = await rae.send_text("just chatting", chat=group)
    await api.wait_processed(update_id)
    assert len(api.chat_messages(group)) == 3  # ordinary group chatter is never answered


async def test_deep_link_from_a_group_is_remembered(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    sam = api.private_user(2018, first_name="Sam")
    shown = await sam.command("/start", "g-100777")
    assert "Which company was it?" in shown[-1].plain_text
    assert db_rows(db_path, "SELECT source_chat_id FROM rejections") == [(-100777,)]


async def test_count_of_earlier_rejections_is_mentioned(bot: RunningBot, api: FakeBotApi) -> None:
    tia = api.private_user(2019, first_name="Tia")
    await tia.command("/start")
    await tia.command("/cancel")
    await tia.command("/rejected")
    await tia.command("/cancel")
    shown = await tia.command("/rejected")
    assert "3rd rejection you've logged" in texts(shown)


async def test_unknown_commands_get_pointed_to_help(bot: RunningBot, api: FakeBotApi) -> None:
    uma = api.private_user(2020, first_name="Uma")
    shown = await uma.command("/frobnicate")
    assert texts(shown) == "I don't know that command. /help lists what I can do."


async def test_feedback_follow_up_is_scheduled_when_sent_even_if_the_debrief_stops(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    val = api.private_user(2021, first_name="Val")
    await walk_to_feedback(val)
    await val.press_and_wait("Yes, draft it for me")
    await val.press_and_wait("Skip")
    await val.press_and_wait("Skip")  # the sign-off name
    await val.press_and_wait("📨 I've sent it")
    await val.command("/cancel")
    # Sent on Friday 27 November: five business days later is Friday 4 December.
    rows = db_rows(db_path, "SELECT kind, status, local_date FROM check_ins")
    assert rows == [("feedback", "pending", "2026-12-04")]


async def test_a_goal_too_big_for_its_time_gets_a_kinder_suggestion(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    ora = api.private_user(2030, first_name="Ora")
    await walk_to_feedback(ora)
    await ora.press_and_wait("Skip")
    await ora.press_and_wait("▫️ Interviewing skills")
    await ora.press_and_wait("Done")
    await ora.press_and_wait("Skip")
    await ora.say("10 mock interviews")
    await ora.say("Berlin")
    shown = await ora.say("tomorrow")
    assert "Do 10 mock interviews by Saturday 28 November is a lot for the time" in texts(shown)
    assert shown[-1].buttons == [
        ["Make it 1"],
        ["Keep the number, by Monday 7 December"],
        ["Keep it as it is"],
    ]
    shown = await ora.press_and_wait("Make it 1")
    assert "Goal: Do 1 mock interview by Saturday 28 November" in texts(shown)
    assert db_rows(db_path, "SELECT target, deadline, status FROM goals") == [
        (1, "2026-11-28", "active")
    ]


async def test_more_days_for_a_big_goal_and_a_goal_that_fits_is_not_questioned(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    pam = api.private_user(2031, first_name="Pam")
    await walk_to_feedback(pam)
    await pam.press_and_wait("Skip")
    await pam.press_and_wait("▫️ Unsure")
    await pam.press_and_wait("Done")
    await pam.press_and_wait("Skip")
    await pam.say("apply to 30 roles")
    await pam.say("Berlin")
    await pam.press_and_wait("1 week")
    shown = await pam.press_and_wait("Keep the number, by Saturday 12 December")
    assert "Goal: Apply to 30 roles by Saturday 12 December" in texts(shown)
    quinn = api.private_user(2032, first_name="Quinn")
    await walk_to_feedback(quinn)
    await quinn.press_and_wait("Skip")
    await quinn.press_and_wait("▫️ Unsure")
    await quinn.press_and_wait("Done")
    await quinn.press_and_wait("Skip")
    await quinn.press_and_wait("Apply to 5 roles")
    await quinn.say("Berlin")
    shown = await quinn.press_and_wait("1 week")
    assert "is a lot for the time" not in texts(shown)
    assert "Your comeback plan" in texts(shown)
