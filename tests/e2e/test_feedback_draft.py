"""The feedback request drafted in the debrief is the one a career coach would send: one
question (the one thing to work on), none that invites a comparison with another candidate, a
subject of at most 50 characters besides the company, a status request for someone who was
ghosted, the sign-off name the person gave (asked with the first draft only), and a line that
silence is not a verdict."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from coaching.feedback import SUBJECT_MAX
from conversations import debrief
from conversations.debrief_steps import NAME_LIMIT
from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.chat import texts
from tests.kit.db import rows
from tests.kit.running import RunningBot
from tests.kit.walks import CUSTOM_GOAL, press, stored_step

SIGNOFF_QUESTION = "How should I sign it?"
SILENCE = "Many companies don't give feedback as a policy"
COMPARING = re.compile(
    r"other candidate|decision|chosen|compar|factor|instead|stronger|selected", re.IGNORECASE
)


def pre_block(message: SentMessage) -> str:
    """The text inside the message's <pre> block: the draft the person copies."""
    utf16 = message.plain_text.encode("utf-16-le")
    (entity,) = [e for e in message.entities if e.get("type") == "pre"]
    start, length = 2 * int(entity["offset"]), 2 * int(entity["length"])
    return utf16[start : start + length].decode("utf-16-le")


def subject_of(message: SentMessage) -> str:
    (line,) = [x for x in message.plain_text.splitlines() if x.startswith("Subject: ")]
    return line.removeprefix("Subject: ")


async def walk_to_recipient(
    user: FakeUser,
    *,
    start: str = "/start",
    company: str = "Acme",
    stage: str = "💻 Technical test or assignment",
    how_heard: str = "✉️ Email",
) -> list[SentMessage]:
    """A debrief up to "Who should it go to?" answered with "Dana"; what the bot said then."""
    await user.command(start)
    await user.say(company)
    await user.say("Backend engineer")
    await user.press_and_wait(stage)
    await user.press_and_wait(how_heard)
    await user.press_and_wait("3 😐")
    await user.say("I explained my design clearly")
    offer = await user.say("Practise live coding")
    shown = await user.press_and_wait("Yes, draft it for me")
    assert "Who should it go to?" in shown[-1].plain_text, texts(offer + shown)
    return offer + await user.say("Dana")


async def finish_after_review(user: FakeUser, db_path: Path) -> list[SentMessage]:
    """From the draft to the plan card, sending it later; the later steps are answered as
    `tests.kit.walks.CUSTOM_GOAL` answers them, whatever they are."""
    answers = {
        **CUSTOM_GOAL,
        debrief.State.FEEDBACK_REVIEW: press("I'll send it later"),
        debrief.State.FEEDBACK_SENT: press("I'll send it later"),
    }
    visits: Counter[str] = Counter()
    shown: object = []
    while (step := stored_step(db_path, user)) is not None:
        assert visits[step] < 5, f"stuck at {step}"
        shown = await answers[debrief.State(step)](user, visits[step])
        visits[step] += 1
    assert isinstance(shown, list) and "Your comeback plan" in texts(shown), shown
    return shown


def assert_coach_rules(draft: SentMessage, company: str) -> str:
    """One question, no comparison, a short subject, the line on silence; returns the body."""
    body = pre_block(draft)
    assert body.count("?") == 1, body
    assert "\n- " not in body
    assert not COMPARING.search(draft.plain_text), draft.plain_text
    subject = subject_of(draft)
    assert len(subject) <= SUBJECT_MAX + len(company), subject
    assert SILENCE in draft.plain_text and "not a verdict" in draft.plain_text
    assert draft.plain_text.index(SILENCE) > draft.plain_text.index(body)
    return body


async def test_the_first_draft_asks_the_sign_off_once_and_asks_one_question(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    alice = api.private_user(1801, first_name="Alice")
    shown = await walk_to_recipient(alice)
    asked = shown[-1]
    assert SIGNOFF_QUESTION in asked.plain_text
    assert asked.buttons == [["Use Alice"], ["Skip"]]
    shown = await alice.say("Alice Q. Smith")  # the draft follows: an email, warm
    assert rows(db_path, "SELECT signoff_name FROM users WHERE id = ?", alice.id) == [
        ("Alice Q. Smith",)
    ]
    draft = shown[-1]
    body = assert_coach_rules(draft, "Acme")
    assert body.startswith("Hi Dana,")
    assert body.endswith("Best wishes,\nAlice Q. Smith")
    assert "Which one technical area would you suggest I work on?" in body
    assert subject_of(draft) == "Thanks, and one question: Backend engineer – Acme"
    (stored,) = rows(db_path, "SELECT subject, body FROM feedback_requests")
    assert stored == (subject_of(draft), body)

    # Every tone asks the same one question.
    for tone in ("Formal", "Brief"):
        await alice.press_and_wait("Other tone")
        shown = await alice.press_and_wait(tone)
        assert_coach_rules(shown[-1], "Acme")
        assert pre_block(shown[-1]).endswith("\nAlice Q. Smith")
    await finish_after_review(alice, db_path)

    # A second debrief, at the offer stage: the name is not asked again, and the question is
    # still the one thing to work on, not what decided it.
    shown = await walk_to_recipient(
        alice, start="/rejected", company="Globex", stage="🤝 Offer stage"
    )
    assert "Here is your draft" in shown[-1].plain_text
    assert SIGNOFF_QUESTION not in texts(shown)
    await alice.press_and_wait("Other tone")
    shown = await alice.press_and_wait("Formal")
    body = assert_coach_rules(shown[-1], "Globex")
    assert "If you could suggest one thing for me to work on, what would it be?" in body
    assert body.endswith("Kind regards,\nAlice Q. Smith")
    await finish_after_review(alice, db_path)
    asked_at_all = [m for m in api.chat_messages(alice) if SIGNOFF_QUESTION in m.plain_text]
    assert len(asked_at_all) == 1


async def test_ghosted_asks_where_things_stand_and_skipping_the_name_signs_with_none(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    friend = api.private_user(1802, first_name="Friend")
    company = "Initech " * (NAME_LIMIT // 8) + "X" * (NAME_LIMIT % 8)  # the longest it takes
    assert len(company) == NAME_LIMIT
    shown = await walk_to_recipient(
        friend, company=company, stage="🏢 Onsite / final rounds", how_heard="👻 Ghosted"
    )
    offer = [m for m in shown if "Would you like to ask" in m.plain_text][-1]
    assert "Would you like to ask where your application stands?" in offer.plain_text
    assert "feedback" not in offer.plain_text
    assert shown[-1].buttons == [["Use Friend"], ["Skip"]]
    shown = await friend.press_and_wait("Skip")  # the draft follows: an email, warm
    assert rows(db_path, "SELECT signoff_name FROM users WHERE id = ?", friend.id) == [(None,)]
    for tone in ("Warm", "Formal", "Brief"):
        if tone != "Warm":
            await friend.press_and_wait("Other tone")
            shown = await friend.press_and_wait(tone)
        draft = shown[-1]
        body = assert_coach_rules(draft, company)
        assert "Could you let me know where my application stands?" in body
        lowered = draft.plain_text.lower()
        for word in ("outcome", "disappointed", "sorry", "not to be going further", "feedback on"):
            assert word not in pre_block(draft).lower(), (tone, word, body)
        assert subject_of(draft).startswith("Following up: Backend engineer – Initech")
        assert len(subject_of(draft)) <= SUBJECT_MAX + 60  # the company is cut in the draft
        assert "friend" not in body.lower()
        assert body.rstrip().endswith(",")  # no name under it
        assert "where my application stands" in lowered
    await finish_after_review(friend, db_path)

    # "Other tone" in /plan keeps the status request and the missing name.
    await friend.command("/plan")
    await friend.press_and_wait("Other tone")
    shown = await friend.press_and_wait("Warm")
    body = pre_block(shown[-1])
    assert "Could you let me know where my application stands?" in body
    assert body.count("?") == 1 and "Friend" not in body


async def test_the_sign_off_button_uses_the_telegram_first_name_once(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    bo = api.private_user(1803, first_name="Bo")
    await walk_to_recipient(bo, stage="📄 CV / application screen")
    await bo.press_and_wait("Use Bo")
    assert rows(db_path, "SELECT signoff_name FROM users WHERE id = ?", bo.id) == [("Bo",)]
    await bo.press_and_wait("As a LinkedIn message")
    await bo.press_and_wait("Other tone")
    shown = await bo.press_and_wait("Brief")
    draft = shown[-1]
    assert "Subject:" not in draft.plain_text
    body = pre_block(draft)
    assert body.count("?") == 1 and "What is one thing I could improve in my application?" in body
    assert "interview" not in body.lower()
    assert body.endswith("Thanks,\nBo")
    assert SILENCE in draft.plain_text


async def test_back_from_the_draft_shows_the_name_given_and_keeps_it_or_changes_it(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    cy = api.private_user(1804, first_name="Cy")
    await walk_to_recipient(cy)
    await cy.say("Cyrus Typo")
    shown = await cy.command("/back")
    asked = shown[-1]
    assert 'I sign it "Cyrus Typo"' in asked.plain_text
    assert asked.buttons == [["Use Cyrus Typo"], ["Skip"]]
    shown = await cy.say("Cyrus Vance")
    assert "Here is your draft" in shown[-1].plain_text
    shown = await cy.command("/back")
    shown = await cy.press_and_wait("Skip")  # keeps the name
    assert "Here is your draft" in shown[-1].plain_text
    assert rows(db_path, "SELECT signoff_name FROM users WHERE id = ?", cy.id) == [("Cyrus Vance",)]
    await cy.press_and_wait("Other tone")
    shown = await cy.press_and_wait("Brief")
    assert pre_block(shown[-1]).endswith("Thanks,\nCyrus Vance")
