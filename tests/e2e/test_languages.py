"""Comeback in Spanish and Russian, end to end (issue 21): a whole debrief, a check-in and a
group check-in in each language through the real Application, and no English left in anything
the person sees.

The person's language comes from their Telegram app (`language_code`) at first contact and
changes with /language; a group's from the person who added the bot, then /group_settings.
Buttons are pressed by the labels of that language (prompts/<code>/labels.toml), typed answers
are what a Spanish or Russian speaker types ("tres", "через две недели", "Москва").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.rendering import Prompts
from coaching.language import speaking
from conversations import debrief
from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.checkins import advance
from tests.kit.db import DbTarget, rows
from tests.kit.groups import MONDAY_TEN, Cohort, add_bot, club, group_texts, press, settle
from tests.kit.languages import english_words
from tests.kit.running import RunningBot
from tests.kit.walks import stored_step

PROMPTS = Prompts()


def label(language: str, key: str, **values: object) -> str:
    """A button as a person speaking `language` sees it."""
    with speaking(language):
        return PROMPTS.label(key, **values)


@dataclass(frozen=True)
class Speaker:
    """What a person writing in one language types at each step."""

    language: str
    company: str
    role: str
    went_well: str
    lesson: str
    recipient: str
    signoff: str
    personal_line: str
    goal: str  # a goal typed in words, its number in words
    place: str  # a city, in that language
    deadline: str  # a deadline in words
    zone: str  # the zone `place` is in
    takeaway: str  # what they took from the resource
    progress: str  # "I applied to two", typed to the goal's check-in


SPANISH = Speaker(
    language="es",
    company="Telefónica",
    role="Analista de datos",
    went_well="Expliqué bien mi proyecto de fin de máster",
    lesson="Preparar ejemplos concretos con cifras",
    recipient="Lucía",
    signoff="Ana García",
    personal_line="Disfruté mucho la conversación con el equipo.",
    goal="postularme a tres puestos",
    place="Ciudad de México",
    deadline="en dos semanas",
    zone="America/Mexico_City",
    takeaway="Que ser amable conmigo también es parte del trabajo.",
    progress="ya me postulé a dos",
)
RUSSIAN = Speaker(
    language="ru",
    company="Яндекс",
    role="Аналитик данных",
    went_well="Хорошо рассказал о своём дипломном проекте",
    lesson="Готовить конкретные примеры с цифрами",
    recipient="Ольга",
    signoff="Анна Петрова",
    personal_line="Мне очень понравился разговор с командой.",
    goal="откликнуться на три вакансии",
    place="Москва",
    deadline="через две недели",
    zone="Europe/Moscow",
    takeaway="Что быть добрее к себе — тоже часть работы.",
    progress="уже откликнулась на две",
)
SPEAKERS = [pytest.param(SPANISH, id="es"), pytest.param(RUSSIAN, id="ru")]

Answer = Callable[[FakeUser, int], Awaitable[list[SentMessage]]]


def answers(speaker: Speaker, api: FakeBotApi) -> dict[debrief.State, Answer]:
    """How a cooperative person answers each debrief step, in their language."""
    lang = speaker.language

    def say(text: str) -> Answer:
        async def answer(user: FakeUser, visit: int) -> list[SentMessage]:
            return await user.say(text)

        return answer

    def tap(*labels: str) -> Answer:
        async def answer(user: FakeUser, visit: int) -> list[SentMessage]:
            return await user.press_and_wait(labels[min(visit, len(labels) - 1)])

        return answer

    async def first_button(user: FakeUser, visit: int) -> list[SentMessage]:
        return await user.press_and_wait(api.last_message(user).buttons[0][0])

    gap = label(lang, "gap.unchecked", name=label(lang, "gap.interviewing"))
    return {
        debrief.State.COMPANY: say(speaker.company),
        debrief.State.ROLE: say(speaker.role),
        debrief.State.STAGE: tap(label(lang, "stage.onsite")),
        debrief.State.HOW_HEARD: tap(label(lang, "how_heard.email")),
        debrief.State.MOOD: tap(label(lang, "mood.m2")),
        debrief.State.GROUNDING: tap(label(lang, "debrief.grounding_no")),
        debrief.State.WENT_WELL: say(speaker.went_well),
        debrief.State.LESSON: say(speaker.lesson),
        debrief.State.FEEDBACK_OFFER: tap(label(lang, "feedback.yes")),
        debrief.State.FEEDBACK_RECIPIENT: say(speaker.recipient),
        debrief.State.FEEDBACK_SIGNOFF: say(speaker.signoff),
        debrief.State.FEEDBACK_CHANNEL: tap(label(lang, "channel.email")),
        debrief.State.FEEDBACK_TONE: tap(label(lang, "tone.formal")),
        debrief.State.FEEDBACK_REVIEW: tap(
            label(lang, "feedback.personal_line"), label(lang, "feedback.sent")
        ),
        debrief.State.FEEDBACK_PERSONAL_LINE: say(speaker.personal_line),
        debrief.State.FEEDBACK_SENT: tap(label(lang, "feedback.sent")),
        debrief.State.GAPS: tap(gap, label(lang, "gap.done")),
        debrief.State.STRENGTH: tap(label(lang, "strength.communication")),
        debrief.State.RESOURCE: tap(label(lang, "resource.pick", number=1)),
        debrief.State.RESOURCE_WHEN: tap(label(lang, "when.tomorrow")),
        debrief.State.GOAL_KIND: say(speaker.goal),
        debrief.State.GOAL_CUSTOM: say(speaker.lesson),
        debrief.State.GOAL_TARGET: first_button,
        debrief.State.TIMEZONE: say(speaker.place),
        debrief.State.GOAL_DEADLINE: say(speaker.deadline),
        debrief.State.GOAL_CHECK: tap(label(lang, "goal.keep_it")),
    }


async def walk_debrief(
    speaker: Speaker, api: FakeBotApi, user: FakeUser, db_path: DbTarget
) -> list[debrief.State]:
    """/start to the plan card, step by step as the database says; the steps visited."""
    steps = answers(speaker, api)
    await user.command("/start")
    visits: Counter[str] = Counter()
    visited: list[debrief.State] = []
    while (step := stored_step(db_path, user)) is not None:
        assert visits[step] < 4, f"stuck at {step}: {api.last_message(user).plain_text}"
        visited.append(debrief.State(step))
        await steps[debrief.State(step)](user, visits[step])
        visits[step] += 1
    return visited


def seen(api: FakeBotApi, chat: FakeUser | int) -> list[str]:
    """Everything the bot put in a chat: texts, edits and buttons."""
    parts: list[str] = []
    for message in api.chat_messages(chat):
        parts.append(message.plain_text)
        parts += [text for row in message.buttons for text in row]
    return parts


def assert_no_english(parts: list[str], allowed: frozenset[str] = frozenset()) -> None:
    found = {
        text: words
        for text in parts
        if (words := [w for w in english_words(text) if w.lower() not in allowed])
    }
    assert not found, "English left: " + "; ".join(
        f"{words} in {text[:160]!r}" for text, words in list(found.items())[:5]
    )


@pytest.mark.parametrize("speaker", SPEAKERS)
async def test_a_whole_debrief_and_its_check_in_in_the_persons_language(
    speaker: Speaker, bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    person = api.private_user(2101, first_name="Ana", language_code=f"{speaker.language}-XX")
    visited = await walk_debrief(speaker, api, person, db_path)
    assert debrief.State.TIMEZONE in visited and debrief.State.GOAL_DEADLINE in visited
    assert debrief.State.GOAL_CUSTOM not in visited  # the typed goal was read: kind and number
    assert rows(db_path, "SELECT locale, timezone FROM users WHERE id = ?", person.id) == [
        (speaker.language, speaker.zone)
    ]
    plan = api.last_message(person).plain_text
    assert speaker.company in plan
    goal = rows(db_path, "SELECT kind, target FROM goals WHERE user_id = ?", person.id)
    assert goal == [("apply", 3)], plan
    assert_no_english(seen(api, person))

    # The first check-in (the resource picked for tomorrow): its button, then the takeaway typed.
    before = len(api.chat_messages(person))
    for _ in range(8):
        await advance(bot, clock, hours=12)
        if len(api.chat_messages(person)) > before:
            break
    checkin = api.chat_messages(person)[before]
    assert checkin.buttons == [
        [label(speaker.language, "checkin.share")],
        [label(speaker.language, "checkin.skip_resource")],
    ], checkin.plain_text
    await person.press_and_wait(checkin.buttons[0][0])
    await person.say(speaker.takeaway)
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'resource'") == [("answered",)]

    # The goal's midpoint: a count typed in words is read as progress.
    for _ in range(16):
        await advance(bot, clock, hours=12)
        if rows(db_path, "SELECT 1 FROM check_ins WHERE kind = 'goal_mid' AND status = 'sent'"):
            break
    await person.say(speaker.progress)
    assert rows(db_path, "SELECT progress FROM goals WHERE user_id = ?", person.id) == [(2,)]
    assert rows(db_path, "SELECT answer FROM check_ins WHERE kind = 'goal_mid'") == [("partly:2",)]
    assert_no_english(seen(api, person))


async def test_language_switches_with_slash_language_mid_debrief(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    person = api.private_user(2102, first_name="Ivan", language_code="en")
    shown = await person.command("/start")
    assert "Which company was it?" in shown[-1].plain_text
    shown = await person.command("/language")
    assert shown[-1].buttons == [["✓ English"], ["Español"], ["Русский"]]
    shown = await person.press_and_wait("Русский")
    assert shown[-1].plain_text.startswith("✅ Готово")
    assert rows(db_path, "SELECT locale FROM users WHERE id = ?", person.id) == [("ru",)]
    shown = await person.say("Яндекс")  # the debrief goes on where it was, in Russian now
    assert_no_english([shown[-1].plain_text])
    assert stored_step(db_path, person) == "role"
    shown = await person.command("/language")
    assert shown[-1].buttons == [["English"], ["Español"], ["✓ Русский"]]
    # Telegram's language_code no longer decides: the person chose.
    assert rows(db_path, "SELECT language, locale FROM users WHERE id = ?", person.id) == [
        ("en", "ru")
    ]
    # Another person keeps their own language: /help in Spanish.
    other = api.private_user(2103, first_name="Olga", language_code="es")
    shown = await other.command("/help")
    assert_no_english([shown[-1].plain_text])


async def test_first_contact_speaks_the_telegram_language_and_menus_exist_in_each(
    bot: RunningBot, api: FakeBotApi
) -> None:
    for code, language in (("es-AR", "es"), ("ru", "ru"), ("pt-BR", "en"), (None, "en")):
        person = api.private_user(first_name="Sam", language_code=code)
        shown = await person.command("/start")
        if language == "en":
            assert "Which company was it?" in shown[-1].plain_text
        else:
            assert_no_english([shown[-1].plain_text])
            assert ("¿" in shown[-1].plain_text) is (language == "es")
    menus = {
        (call.params.get("language_code"), "scope" in call.params)
        for call in api.calls("setMyCommands")
    }
    assert menus == {
        (None, False),
        ("es", False),
        ("ru", False),
        (None, True),
        ("es", True),
        ("ru", True),
    }
    described = {call.params.get("language_code") for call in api.calls("setMyDescription")}
    assert described == {None, "es", "ru"}
    spanish_menu = next(
        call.params["commands"]
        for call in api.calls("setMyCommands")
        if call.params.get("language_code") == "es" and "scope" not in call.params
    )
    assert_no_english([command["description"] for command in spanish_menu])


@pytest.mark.parametrize("speaker", SPEAKERS)
async def test_a_group_in_its_language_set_by_an_admin(
    speaker: Speaker, bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    lang = speaker.language
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)  # Cora's app is in English: the group starts so
    assert rows(db_path, "SELECT language FROM groups WHERE chat_id = ?", group.id) == [("en",)]
    await bot.services.groups.update(group.id, with_poll=True)
    shown = await people.cora.command("/group_settings", chat=group)
    assert [label("en", "group.language", name="English")] in shown[-1].buttons
    await press(api, people.cora, label("en", "group.language", name="English"), group)
    chosen = label("en", "language.other", name=label("en", f"language.{lang}"))
    await press(api, people.cora, chosen, group)
    assert rows(db_path, "SELECT language FROM groups WHERE chat_id = ?", group.id) == [(lang,)]
    card = api.last_message(group)
    assert [label(lang, "group.language", name=label(lang, f"language.{lang}"))] in card.buttons
    await press(api, people.cora, label(lang, "group.done"), group)
    shown = await people.ben.command("/language", chat=group)
    with speaking(lang):
        assert shown[-1].text == PROMPTS.render("language/in_group")

    start = len(api.chat_messages(group))
    asked = await people.ana.command("/join", chat=group)
    await press(api, people.ana, label(lang, "group.join_named"), group)
    assert asked
    await people.ana.command("/win", speaker.lesson, chat=group)
    assert await settle(bot, clock, MONDAY_TEN - timedelta(minutes=1)) == 1  # the digest
    assert await settle(bot, clock, MONDAY_TEN) == 1  # the weekly check-in and its poll
    poll = api.chat_messages(group)[-1]
    assert poll.poll is not None
    with speaking(lang):
        assert poll.poll["question"] == PROMPTS.render_plain("group/poll_question")
    texts = [m.plain_text for m in api.chat_messages(group)[start:]]
    texts += [str(o["text"]) for o in poll.poll["options"]]
    texts += [b for m in api.chat_messages(group)[start:] for row in m.buttons for b in row]
    assert_no_english(texts, allowed=frozenset({"job"}))  # the group's own title, "Job club"
    assert "Job club" in group_texts(api, group)
