"""Typed replies to check-ins, end to end: the line does what its button would do.

"I applied to 4 so far", "didn't read it yet, sorry", "they haven't replied": the newest open
check-in is answered from the words (conversations/checkin_typed.py, coaching/checkin_replies.py);
an unclear line gets the buttons again, never the out-of-flow reply; with no check-in open, or
a debrief running, words go where they went before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from standin import FakeBotApi
from tests.kit.chat import texts
from tests.kit.checkins import arrives, finish_debrief, local, move_to
from tests.kit.db import rows
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
GOAL_BUTTONS = [
    ["✅ Done", "🌗 Partly"],
    ["⏳ Not yet", "⏰ Snooze"],
    ["✏️ Change the goal", "🎉 I have news"],
]
OUT_OF_FLOW = "I'm here for the day after a rejection"


async def test_a_typed_count_records_progress_at_once(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    ida = api.private_user(2101, first_name="Ida")
    plan = await finish_debrief(
        bot, ida, timezone=BERLIN, deadline=date(2026, 12, 4), kind="apply", target=5
    )
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, ida, "Halfway there")
    shown = await ida.say("I applied to 4 so far")
    assert "4 of 5 done" in texts(shown)
    assert OUT_OF_FLOW not in texts(shown)
    assert rows(db_path, "SELECT progress FROM goals WHERE id = ?", plan.goal_id) == [(4,)]
    assert rows(db_path, "SELECT status, answer FROM check_ins WHERE kind = 'goal_mid'") == [
        ("answered", "partly:4")
    ]
    shown = await ida.say("hello?")  # answered: words go where they went before
    assert "4 of 5" not in texts(shown)


async def test_all_done_typed_celebrates_like_the_button(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    jo = api.private_user(2102, first_name="Jo")
    plan = await finish_debrief(bot, jo, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, jo, "Halfway there")
    shown = await jo.say("all done 🎉")
    assert "You did it" in texts(shown)
    assert rows(db_path, "SELECT status FROM goals WHERE id = ?", plan.goal_id) == [("done",)]


async def test_an_unclear_line_gets_the_buttons_again_not_the_out_of_flow_reply(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    kai = api.private_user(2103, first_name="Kai")
    await finish_debrief(bot, kai, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, kai, "Halfway there")
    shown = await kai.say("banana")
    assert "not sure how to read that" in texts(shown)
    assert OUT_OF_FLOW not in texts(shown)
    assert shown[-1].buttons == GOAL_BUTTONS
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("sent",)]
    shown = await kai.press_and_wait("⏳ Not yet")  # the buttons shown again work
    assert "Not yet is fine." in texts(shown)


async def test_didnt_read_it_yet_skips_the_takeaway_kindly(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    lea = api.private_user(2104, first_name="Lea")
    await finish_debrief(bot, lea, timezone=BERLIN, resource_on=date(2026, 11, 28))
    clock.set(local(date(2026, 11, 29), 18, BERLIN))
    await arrives(api, lea, "What was your takeaway from it?")
    shown = await lea.say("didn't read it yet, sorry")
    assert "It stays on your plan" in texts(shown)
    assert OUT_OF_FLOW not in texts(shown)
    assert rows(db_path, "SELECT status, answer FROM check_ins WHERE kind = 'resource'") == [
        ("answered", "skipped")
    ]


async def test_they_havent_replied_is_not_yet_for_the_feedback_follow_up(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    max_ = api.private_user(2105, first_name="Max")
    await finish_debrief(bot, max_, timezone=BERLIN, feedback_sent=True)
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, max_, "Did they reply?")
    shown = await max_.say("they haven't replied")
    assert "I'll ask once more on Wednesday 9 December" in texts(shown)
    assert rows(db_path, "SELECT answer FROM check_ins WHERE kind = 'feedback'") == [("not_yet",)]


async def test_words_with_no_check_in_open_or_mid_debrief_go_where_they_went(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    ned = api.private_user(2106, first_name="Ned")
    shown = await ned.say("all done")  # never had a check-in
    assert "4 of 5" not in texts(shown) and "You did it" not in texts(shown)
    ola = api.private_user(2107, first_name="Ola")
    await finish_debrief(bot, ola, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, ola, "Halfway there")
    await ola.command("/rejected")  # a new debrief: its questions take the words
    shown = await ola.say("Globex")
    assert "What was the role?" in texts(shown)
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("sent",)]


async def test_a_mood_typed_as_a_word_is_recorded(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    pia = api.private_user(2108, first_name="Pia")
    await finish_debrief(bot, pia, timezone=BERLIN, mood=2)
    clock.set(local(date(2026, 11, 30), 18, BERLIN))
    await arrives(api, pia, "how are you feeling today")
    shown = await pia.say("meh")
    assert OUT_OF_FLOW not in texts(shown)
    assert rows(db_path, "SELECT score, source FROM moods ORDER BY id") == [
        (2, "debrief"),
        (3, "checkin"),
    ]


async def test_a_day_typed_to_a_goal_check_in_asks_again_that_day(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    una = api.private_user(2110, first_name="Una")
    plan = await finish_debrief(bot, una, timezone=BERLIN, deadline=date(2026, 12, 18))
    clock.set(local(date(2026, 12, 4), 18, BERLIN))  # Friday: the weekly check-in
    await arrives(api, una, "Weekly check-in")
    shown = await una.say("not yet, I'll get to it on Tuesday")
    assert "Tuesday 8 December, 18:00" in texts(shown)
    assert OUT_OF_FLOW not in texts(shown)
    assert rows(
        db_path, "SELECT answer FROM check_ins WHERE kind = 'goal_weekly' AND status = 'answered'"
    ) == [("snoozed:4",)]
    clock.set(local(date(2026, 12, 8), 18, BERLIN))
    await arrives(api, una, "Weekly check-in", count=2)
    assert rows(db_path, "SELECT deadline FROM goals WHERE id = ?", plan.goal_id) == [
        ("2026-12-18",)
    ]


async def test_a_day_typed_on_deadline_day_is_the_goals_new_deadline(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    vic = api.private_user(2111, first_name="Vic")
    plan = await finish_debrief(bot, vic, timezone=BERLIN, deadline=date(2026, 12, 4))
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, vic, "Deadline day")
    shown = await vic.say("need more time, say by 15 Dec")
    assert "Updated: Do 3 mock interviews by Tuesday 15 December" in texts(shown)
    assert rows(db_path, "SELECT status, deadline FROM goals WHERE id = ?", plan.goal_id) == [
        ("active", "2026-12-15")
    ]
    await move_to(bot, clock, local(date(2026, 12, 7), 18, BERLIN))
    assert "deadline has passed" not in texts(api.chat_messages(vic))  # the old reminder is gone
    await move_to(bot, clock, local(date(2026, 12, 15), 18, BERLIN))
    await arrives(api, vic, "Deadline day", count=2)


async def test_a_day_typed_to_the_takeaway_question_brings_it_back_then(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    wes = api.private_user(2112, first_name="Wes")
    await finish_debrief(bot, wes, timezone=BERLIN, resource_on=date(2026, 11, 28))
    clock.set(local(date(2026, 11, 29), 18, BERLIN))
    await arrives(api, wes, "What was your takeaway from it?")
    shown = await wes.say("haven't started, maybe next week")
    assert "Sunday 6 December, 18:00" in texts(shown)
    clock.set(local(date(2026, 12, 6), 18, BERLIN))
    await arrives(api, wes, "What was your takeaway from it?", count=2)


async def test_the_small_step_after_not_yet_is_kept_on_the_plan(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    xan = api.private_user(2113, first_name="Xan")
    plan = await finish_debrief(bot, xan, timezone=BERLIN, deadline=date(2026, 12, 18))
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, xan, "Weekly check-in")
    shown = await xan.press_and_wait("⏳ Not yet")
    assert "What's one small step you could take today" in texts(shown)
    shown = await xan.say("Book a mock interview slot on Pramp")
    assert "Good: Book a mock interview slot on Pramp. It's on your plan" in texts(shown)
    assert OUT_OF_FLOW not in texts(shown)
    assert rows(
        db_path, "SELECT source, text FROM plan_actions WHERE rejection_id = ?", plan.rejection_id
    ) == [("step", "Book a mock interview slot on Pramp")]
    shown = await xan.say("hello")  # the step was taken: words go where they went before
    assert "It's on your plan" not in texts(shown)


async def test_no_small_step_is_fine(bot: RunningBot, api: FakeBotApi, clock: FakeClock) -> None:
    yul = api.private_user(2114, first_name="Yul")
    await finish_debrief(bot, yul, timezone=BERLIN, deadline=date(2026, 12, 18))
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, yul, "Weekly check-in")
    await yul.press_and_wait("⏳ Not yet")
    shown = await yul.say("nah")
    assert "That's fine. I'll check in again as planned." in texts(shown)
