"""Refuel picks that fit: each says why in a few words, books are sized in evenings, and nothing
is offered that the person just did (the grounding exercise) or picked in an earlier debrief."""

from __future__ import annotations

from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.running import RunningBot
from tests.kit.walks import walk_to_feedback


async def to_refuel(user: FakeUser, mood: str) -> SentMessage:
    await walk_to_feedback(user, mood=mood)
    await user.press_and_wait("Skip")  # no feedback request this time
    await user.press_and_wait("▫️ Interviewing skills")
    shown = await user.press_and_wait("Done")
    return shown[-1]


async def test_each_pick_says_why_and_the_exercise_just_offered_is_not_repeated(
    bot: RunningBot, api: FakeBotApi
) -> None:
    ivy = api.private_user(2601, first_name="Ivy")
    refuel = await to_refuel(ivy, "1 😞")
    text = refuel.plain_text
    assert "Time to refuel. Pick one:" in text
    assert "5-4-3-2-1 grounding" not in text  # offered a moment ago
    whys = (
        "For the interviewing skills gap you named.",
        "A kind read for a hard week.",
        "Kind to yourself, right now.",
        "A kind listen for a hard day.",
        "Short: you can do it right now.",
        "Fits how you feel today.",
        "A wider view of setbacks.",
    )
    assert sum(text.count(why) for why in whys) == 3
    assert "about" not in text  # no "about 900 min" for a book
    assert all("evening" in line for line in text.splitlines() if "(book, " in line)


async def test_a_later_debrief_never_offers_an_earlier_pick(
    bot: RunningBot, api: FakeBotApi
) -> None:
    jan = api.private_user(2602, first_name="Jan")
    first = await to_refuel(jan, "4 🙂")
    picked = first.plain_text.split("1. ", 1)[1].split(" (", 1)[0]
    await jan.press_and_wait("1")
    await jan.press_and_wait("Tomorrow")
    await jan.command("/cancel")
    await jan.command("/rejected")
    second = await to_refuel(jan, "4 🙂")
    assert picked not in second.plain_text
