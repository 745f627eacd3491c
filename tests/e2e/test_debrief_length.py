"""How long the debrief is on a phone: bot messages and words on the way to the plan.

The typical path (issue 18): a cooperative person who takes the first offered option at each
step, has the feedback draft made and picks a resource. New bot messages are counted (not
edits), and the words of those messages (what a person reads).
"""

from __future__ import annotations

from pathlib import Path

from conversations.debrief import State
from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.running import RunningBot
from tests.kit.walks import stored_step

TYPED: dict[State, str] = {
    State.COMPANY: "Acme",
    State.ROLE: "Backend engineer",
    State.WENT_WELL: "I explained my design clearly",
    State.LESSON: "Practise live coding",
    State.FEEDBACK_RECIPIENT: "Dana",
    State.FEEDBACK_PERSONAL_LINE: "I enjoyed meeting the team.",
    State.GOAL_CUSTOM: "Rebuild my portfolio site",
    State.GOAL_TARGET: "3",
    State.TIMEZONE: "Berlin",
}
PLAN_DONE = "That's your plan"


async def walk_typical(user: FakeUser, db_path: Path) -> list[SentMessage]:
    """/start, then at each step the first offered option (typed words at text steps); returns
    the new messages the bot sent on the way to the plan."""
    api = user.api
    start = len(api.events)
    await user.command("/start")
    for _ in range(60):
        if any(PLAN_DONE in m.plain_text for m in api.chat_messages(user)):
            break
        step = stored_step(db_path, user)
        if step is None:
            last = api.last_message(user)
            await user.press_and_wait(last.buttons[0][0])  # e.g. "Use Ann" for the sign-off
            continue
        state = State(step)
        last = api.last_message(user)
        if state is State.GAPS and last.buttons[0][0].startswith("✅"):
            await user.press_and_wait("Done")
        elif state in TYPED and state not in (State.TIMEZONE, State.GOAL_TARGET):
            await user.say(TYPED[state])
        elif last.buttons and last.buttons[0][0] != "Skip":
            await user.press_and_wait(last.buttons[0][0])
        else:
            await user.say(TYPED[state])
    else:
        shown = "\n---\n".join(f"{m.plain_text} {m.buttons}" for m in api.chat_messages(user))
        raise AssertionError(f"the typical path never reached the plan:\n{shown[-3000:]}")
    return [e for e in api.events[start:] if e.chat_id == user.id and e.event == "sent"]


def words(messages: list[SentMessage]) -> int:
    return sum(len(m.plain_text.split()) for m in messages)


MESSAGE_BUDGET = 600
"""Characters in one message, but for the draft and the plan card (PLAN_BUDGET)."""
PLAN_BUDGET = 1000
LONG_ONES = ("Here is your draft", "Your comeback plan")


def over_budget(messages: list[SentMessage]) -> list[str]:
    over = []
    for m in messages:
        text = m.plain_text
        budget = PLAN_BUDGET if text.lstrip().startswith(LONG_ONES) else MESSAGE_BUDGET
        if len(text) > budget:
            over.append(f"{len(text)} > {budget}: {text[:60]!r}")
    return over


async def test_the_typical_path_is_twenty_messages_and_seven_hundred_words(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    ann = api.private_user(2701, first_name="Ann")
    sent = await walk_typical(ann, db_path)
    assert len(sent) <= 20, [m.plain_text[:40] for m in sent]
    assert words(sent) <= 700
    assert over_budget(sent) == []
    assert sum("Here is your draft" in m.plain_text for m in sent) == 1
    assert any("Time to refuel" in m.plain_text for m in sent)


async def test_the_shortest_path(bot: RunningBot, api: FakeBotApi, db_path: Path) -> None:
    """Everything skipped that can be, a good mood, one gap, a goal's first button."""
    bo = api.private_user(2702, first_name="Bo")
    start = len(api.events)
    await bo.command("/start")
    await bo.command("/skip")  # company
    await bo.command("/skip")  # role
    await bo.press_and_wait("🏢 Onsite / final rounds")
    await bo.press_and_wait("📞 Call")
    await bo.press_and_wait("5 😊")
    await bo.command("/skip")  # what went well
    await bo.command("/skip")  # the lesson
    await bo.command("/skip")  # the feedback request
    await bo.press_and_wait("▫️ Unsure")
    await bo.press_and_wait("Done")
    await bo.command("/skip")  # the resource
    await bo.press_and_wait("Apply to 5 roles")
    await bo.press_and_wait("Europe/London")
    await bo.press_and_wait("1 week")
    sent = [e for e in api.events[start:] if e.chat_id == bo.id and e.event == "sent"]
    assert "That's your plan" in sent[-1].plain_text
    assert len(sent) <= 15, [m.plain_text[:40] for m in sent]
    assert words(sent) <= 500
    assert over_budget(sent) == []
