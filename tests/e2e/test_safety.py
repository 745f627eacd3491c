"""The safety screen in front of everything, end to end: every state of every conversation, a
check-in reply, a settings prompt, a photo caption, an edit, a group /win and a group reply; the
pause that holds check-ins, the next day's gentle check, and going on only on the person's word.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from conversations import checkin, debrief, debrief_steps, settings
from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.chat import texts
from tests.kit.checkins import arrives, finish_debrief, local, move_to, with_text
from tests.kit.db import rows, write
from tests.kit.groups import (
    BY_NAME,
    MONDAY_TEN,
    Cohort,
    add_bot,
    club,
    group_texts,
    join,
    settle,
)
from tests.kit.running import RunningBot, started
from tests.kit.walks import BASE, CUSTOM_GOAL, Answer, say, stored_step

CRISIS = "honestly I just want to kill myself"
HELP_LINE = "you don't have to carry it alone"
GO_ON = "I'd like to go on"


def events(path: Path) -> int:
    count = rows(path, "SELECT COUNT(*) FROM safety_events")[0][0]
    assert isinstance(count, int)
    return count


def assert_crisis_reply(shown: list[SentMessage]) -> None:
    seen = texts(shown)
    assert HELP_LINE in seen, seen
    assert "Find A Helpline" in seen
    assert shown[-1].buttons == [[GO_ON], ["Pause for now"]]


# --- Every debrief step, walked as a person would ---------------------------------------------


async def walk_screening_every_step(
    user: FakeUser, db_path: Path, answers: dict[debrief.State, Answer]
) -> set[debrief.State]:
    """A whole debrief; at each new step first a crisis line, which must get the help lines,
    record an event and leave the step where it was; then "go on" asks the same again."""
    screened: set[debrief.State] = set()
    visits: dict[debrief.State, int] = {}
    await user.command("/start")
    for _ in range(80):
        step = stored_step(db_path, user)
        if step is None:
            return screened
        state = debrief.State(step)
        if state not in screened:
            before = events(db_path)
            assert_crisis_reply(await user.say(CRISIS))
            assert events(db_path) == before + 1, state
            assert stored_step(db_path, user) == step
            again = await user.press_and_wait(GO_ON)
            assert stored_step(db_path, user) == step
            assert again, f"nothing asked again at {state}"
            screened.add(state)
        assert state in answers, f"no answer for the new debrief step {state}"
        await answers[state](user, visits.get(state, 0))
        visits[state] = visits.get(state, 0) + 1
    raise AssertionError("the debrief did not finish")


async def test_a_crisis_line_at_every_debrief_step_gets_help_and_changes_nothing(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    ada = api.private_user(5001, first_name="Ada")
    bea = api.private_user(5002, first_name="Bea")
    # A deadline too close for the goal's number brings the goal check too.
    too_soon = {**BASE, debrief.State.GOAL_DEADLINE: say("tomorrow")}
    screened = await walk_screening_every_step(ada, db_path, too_soon)
    screened |= await walk_screening_every_step(bea, db_path, CUSTOM_GOAL)
    # Every step a debrief can reach (retired steps only hold debriefs from before an upgrade).
    assert screened == set(debrief.State) - debrief_steps.RETIRED
    plans = rows(db_path, "SELECT company, status FROM rejections ORDER BY id")
    assert plans == [("Acme", "completed"), ("Acme", "completed")]
    stored = rows(db_path, "SELECT lesson, went_well FROM rejections")
    assert all("kill" not in str(value) for row in stored for value in row)


# --- Every state of every conversation, from the State enums -----------------------------------

CONVERSATIONS = {
    "debrief": debrief.State,
    "checkin": checkin.State,
    "settings": settings.State,
}


async def test_every_state_of_every_conversation_is_screened(
    settings: Settings, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    """Each person is left (as a restart leaves them) in one state of one conversation; a
    crisis line there gets the help lines, and the conversation's state is untouched."""
    cases = [(name, state) for name, enum in CONVERSATIONS.items() for state in enum]
    people: list[tuple[FakeUser, str, object]] = []
    first = await _prepare(settings, api, clock)
    for offset, (name, state) in enumerate(cases):
        person = api.private_user(6000 + offset, first_name=f"P{offset}")
        people.append((person, name, state))
    write(
        db_path,
        "INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)",
        *[(name, json.dumps([p.id, p.id]), json.dumps(str(state))) for p, name, state in people],
    )
    del first
    async with started(RunningBot(settings, api, clock)):
        for person, name, state in people:
            shown = await person.say(CRISIS)
            assert HELP_LINE in texts(shown), (name, state)
            kept = rows(
                db_path,
                "SELECT state FROM conversation_states WHERE name = ? AND key = ?",
                name,
                json.dumps([person.id, person.id]),
            )
            assert kept == [(json.dumps(str(state)),)], (name, state)
    assert events(db_path) == len(cases)


async def _prepare(settings: Settings, api: FakeBotApi, clock: FakeClock) -> None:
    """Create the database (migrations) with one short run of the bot."""
    async with started(RunningBot(settings, api, clock)):
        pass


# --- Other ways words arrive ------------------------------------------------------------------


async def test_button_steps_captions_edits_settings_prompts_are_screened(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    cal = api.private_user(5003, first_name="Cal")
    await cal.command("/start")
    await cal.say("Acme")
    await cal.say("Engineer")
    # The stage question wants a button; typed crisis words still get the help lines.
    shown = await cal.say("I want to die")
    assert_crisis_reply(shown)
    assert "Please use the buttons" not in texts(shown)
    # A photo caption.
    update_id = await cal.send_photo(caption="i wanna end my life")
    await api.wait_processed(update_id)
    assert HELP_LINE in api.last_message(cal).plain_text
    # An edited message.
    sent = await cal.send_text("fine")
    await api.wait_processed(sent)
    message_id = api.updates[-1]["message"]["message_id"]
    await api.wait_processed(await cal.edit_message(message_id, "I want to end it all"))
    assert HELP_LINE in api.last_message(cal).plain_text
    assert events(db_path) == 3
    # A settings prompt (the time zone question takes typed text).
    await cal.press_and_wait(GO_ON)
    await cal.command("/settings")
    await cal.press_and_wait("🌍 Time zone")
    assert_crisis_reply(await cal.say("there is no reason to live"))
    assert events(db_path) == 4
    assert rows(db_path, "SELECT timezone FROM users WHERE id = ?", cal.id) == [(None,)]


async def test_an_ambiguous_line_gets_a_gentle_question_first(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    dan = api.private_user(5004, first_name="Dan")
    await dan.command("/start")
    await dan.say("Acme")
    shown = await dan.say("I can't do this anymore")
    assert "are you thinking about harming yourself?" in shown[-1].plain_text
    assert shown[-1].buttons == [["Yes, I am"], ["No, it's just a hard day"]]
    assert events(db_path) == 0
    shown = await dan.press_and_wait("No, it's just a hard day")
    assert "Thank you for telling me" in texts(shown)
    assert shown[-1].plain_text == "What was the role?"  # the same question, nothing lost
    await dan.say("I can't do this anymore")
    shown = await dan.press_and_wait("Yes, I am")
    assert_crisis_reply(shown)
    assert events(db_path) == 1


async def test_figures_of_speech_go_through(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    eve = api.private_user(5005, first_name="Eve")
    await eve.command("/start")
    for line, question in [
        ("I killed it at Acme, or so I thought", "What was the role?"),
        ("Data engineer, dying to know why they said no", "How far did you get"),
    ]:
        shown = await eve.say(line)
        assert question in shown[-1].plain_text
    assert events(db_path) == 0


# --- The pause: check-ins held, tomorrow's gentle check, going on on their word --------------


async def test_check_ins_are_held_until_the_person_chooses_to_go_on(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    fay = api.private_user(5006, first_name="Fay")
    berlin = "Europe/Berlin"
    await finish_debrief(bot, fay, timezone=berlin, deadline=date(2026, 12, 4))
    pending = rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'")
    # A crisis line in reply to nothing in particular (Friday 27 Nov, 10:00 Berlin).
    assert_crisis_reply(
        await fay.say("I feel like I'm a burden and everyone would be better off without me")
    )
    assert rows(
        db_path, "SELECT safety_hold_since IS NOT NULL FROM users WHERE id = ?", fay.id
    ) == [(1,)]
    # While paused, coaching answers say so and offer to go on; /help still works.
    shown = await fay.command("/rejected")
    assert "The coaching is paused" in shown[-1].plain_text
    assert (await fay.command("/help"))[-1].plain_text.startswith("Comeback")

    # The next day at her hour: only the gentle check; the goal's midpoint check is held.
    await move_to(bot, clock, local(date(2026, 11, 30), 18, berlin, 5))
    check = await arrives(api, fay, "How are you today?")
    assert check.buttons == [["I'm okay"], ["Still struggling"]]
    assert with_text(api, fay, "Halfway") == []
    held = rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'")
    assert held == pending  # held, not deleted

    shown = await fay.press_and_wait("Still struggling")
    assert "Find A Helpline" in texts(shown)
    assert shown[-1].buttons == []  # the help lines again, and nothing else
    assert with_text(api, fay, "Halfway") == []

    # /resume is her word: the coaching goes on and the held check-ins come.
    shown = await fay.command("/resume")
    assert "The coaching is on again" in texts(shown)
    await move_to(bot, clock, clock.now() + timedelta(days=1))
    await arrives(api, fay, "Halfway")


async def test_i_am_okay_offers_to_go_on_and_the_debrief_waits_where_it_was(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    gil = api.private_user(5007, first_name="Gil")
    await gil.command("/start")
    await gil.say("Acme")
    assert_crisis_reply(await gil.say("I've been cutting myself again"))
    await gil.press_and_wait("Pause for now")
    await move_to(bot, clock, clock.now() + timedelta(days=1, hours=10))
    await arrives(api, gil, "How are you today?")
    shown = await gil.press_and_wait("I'm okay")
    assert "Would you like to go on" in shown[-1].plain_text
    shown = await gil.press_and_wait(GO_ON)
    assert shown[-1].plain_text == "What was the role?"
    assert stored_step(db_path, gil) == "role"


# --- Groups: nothing stored, echoed or published ----------------------------------------------


async def test_a_crisis_win_in_a_group_is_never_stored_and_help_goes_privately(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    ria = api.private_user(5008, first_name="Ria")
    coach = api.private_user(5009, first_name="Coach")
    stranger = api.private_user(5010, first_name="Sam")  # never wrote to the bot privately
    api.open_private_chat(ria)
    group = api.group(-100555, "Job club", [ria, coach, stranger], [coach], supergroup=True)
    await api.wait_processed(api.add_bot_to_group(group, coach))
    before = len(api.chat_messages(group))
    shown = await ria.command("/win", "I", "want", "to", "kill", "myself", chat=group)
    assert shown == []  # nothing in the group
    assert HELP_LINE in api.last_message(ria).plain_text  # privately instead
    assert rows(db_path, "SELECT COUNT(*) FROM wins") == [(0,)]
    # A reply in the group from someone the bot cannot write to privately.
    update_id = await stranger.send_text("i'm going to end my life tonight", chat=group)
    await api.wait_processed(update_id)
    line = api.last_message(group)
    assert "privately" in line.plain_text
    assert "end my life" not in line.plain_text
    assert line.button("Open a private chat")["url"].endswith("?start=care")
    assert len(api.chat_messages(group)) == before + 1
    assert events(db_path) == 2
    # The button's link opens the private chat on the help lines.
    api.open_private_chat(stranger)
    assert_crisis_reply(await stranger.command("/start", "care"))


# --- Nothing kept: no logger writes people's words --------------------------------------------


MARKER = "zebra-umbrella-marker"


async def test_no_log_record_holds_what_people_wrote(
    bot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    hal = api.private_user(5011, first_name="Hal")
    await hal.command("/start")
    await hal.say(f"{MARKER} company")
    await hal.say(f"{MARKER} role")
    await hal.say(f"{MARKER} I want to die")
    await hal.command("/feedback", MARKER)
    group = api.group(-100556, "Club", [hal], [hal], supergroup=True)
    await api.wait_processed(api.add_bot_to_group(group, hal))
    await hal.command("/win", MARKER, chat=group)
    await hal.say(f"{MARKER} just text")
    leaked = [r.name for r in caplog.records if MARKER in r.getMessage()]
    assert leaked == []
    assert MARKER not in caplog.text


async def test_help_lines_follow_where_the_person_is(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    """Someone in Kyiv gets Ukraine's line, not the operator's US and UK fallback."""
    ivan = api.private_user(5012, first_name="Ivan", language_code="uk")
    shown = await ivan.say(CRISIS)
    seen = texts(shown)
    assert "Lifeline Ukraine" in seen and "7333" in seen
    assert "988" not in seen and "Samaritans" not in seen
    lena = api.private_user(5013, first_name="Lena", language_code="en")
    await bot.services.users.ensure(lena.id, "Lena", "en")
    await bot.services.users.update(lena.id, timezone="Europe/Berlin")
    seen = texts(await lena.say(CRISIS))
    assert "TelefonSeelsorge" in seen and "988" not in seen


async def test_a_crisis_reply_to_the_group_check_in_is_not_published_in_the_digest(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    api.open_private_chat(people.ana)  # she has talked to the bot privately before
    group = club(api, people)
    await add_bot(api, group, people.cora)
    await join(api, people.ana, group, BY_NAME)
    assert await settle(bot, clock, MONDAY_TEN) >= 1
    post = next(m for m in api.chat_messages(group) if "this week" in m.plain_text.lower())
    await people.ana.command("/win", "Got", "a", "second", "interview", chat=group)
    update_id = await people.ana.send_text(
        "honestly i want to end my life", chat=group, reply_to=post.message_id
    )
    await api.wait_processed(update_id)
    assert HELP_LINE in api.last_message(people.ana).plain_text  # privately
    assert "end my life" not in group_texts(api, group)
    assert rows(db_path, "SELECT text FROM wins") == [("Got a second interview",)]
    assert await settle(bot, clock, MONDAY_TEN + timedelta(days=6)) >= 1  # Sunday's digest
    digest = api.last_message(group).plain_text
    assert "This week in Job club" in digest and "Got a second interview" in digest
    assert "end my life" not in group_texts(api, group)
