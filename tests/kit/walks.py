"""Walking a person through the debrief by pressing and typing, as a user of the fake Telegram."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from conversations import debrief
from standin import FakeUser, SentMessage
from tests.kit.chat import texts
from tests.kit.db import DbTarget, rows


async def walk_to_feedback(user: FakeUser, mood: str = "3 😐") -> list[SentMessage]:
    """Intake and acceptance: /start through the lesson."""
    await user.command("/start")
    await user.say("<AT&T>")
    await user.say("Backend engineer")
    await user.press_and_wait("💻 Technical test or assignment")
    await user.press_and_wait("✉️ Email")
    await user.press_and_wait(mood)
    if mood in ("1 😞", "2 🙁"):
        await user.press_and_wait("No thanks, go on")
    await user.say("I explained my design clearly")
    return await user.say("Practise live coding under time pressure")


async def complete_debrief(
    user: FakeUser,
    *,
    company: str = "Acme",
    role: str = "Analyst",
    went_well: str = "Rapport",
    lesson: str = "Prepare stories",
    recipient: str = "Sam",
    signoff: str = "Alex Morgan",
    personal_line: str = "I enjoyed the panel",
    goal: str = "Rewrite my CV",
    hostile: dict[str, str] | None = None,
    stop_at_goal: bool = False,
    stop_at_deadline: bool = False,
) -> None:
    """A whole debrief with these answers (a custom goal, London, a one-week deadline). With
    `hostile`, each text step first gets that text; if the step did not move on, the plain
    answer follows."""
    api = user.api

    async def text(key: str, value: str, then: str) -> None:
        if hostile is not None and key in hostile:
            await user.say(hostile[key])
            if then_asked(then):
                return
        await user.say(value)
        assert then_asked(then), (key, texts(api.chat_messages(user)[-2:]))

    def then_asked(question: str) -> bool:
        return question in api.last_message(user).plain_text

    async def press(label: str, then: str) -> None:
        await user.press_and_wait(label)
        assert then_asked(then), (label, texts(api.chat_messages(user)[-2:]))

    await user.command("/start")
    await text("company", company, "What was the role?")
    await text("role", role, "How far did you get")
    await press("🏢 Onsite / final rounds", "How did you hear the news?")
    await press("📞 Call", "how are you right now?")
    await press("4 🙂", "What is one thing that went well?")
    await text("went_well", went_well, "one lesson")
    await text("lesson", lesson, "ask the hirer for feedback?")
    await press("Yes, draft it for me", "Who should it go to?")
    await text("recipient", recipient, "How should I sign it?")
    await text("signoff", signoff, "Here is your draft")
    await press("Other tone", "Which tone suits you?")
    await press("Formal", "Here is your draft")
    await press("Add a personal line", "Type the line")
    await text("personal_line", personal_line, "Here is your draft")
    await press("📨 I've sent it", "Where do you think it fell short?")
    await press("▫️ Theoretical knowledge", "Where do you think it fell short?")
    await press("Done", "Pick one")
    await press("Skip", "a goal to try again")
    if stop_at_goal:
        return
    await press("Something else (type it)", "Describe your goal")
    await text("goal", goal, "Where are you")
    await press("Europe/London", "By when?")
    if stop_at_deadline:
        return
    await press("1 week", "That's your plan")


async def sign_off_if_asked(user: FakeUser, name: str | None = None) -> list[SentMessage]:
    """Answer the sign-off question if it was just asked (it is, with a person's first draft):
    type `name`, or press "Use <first name>" without one. Nothing when it was not asked."""
    if "How should I sign it?" not in user.api.last_message(user).plain_text:
        return []
    if name is not None:
        return await user.say(name)
    return await user.press_and_wait(f"Use {user.first_name}")


# --- Every debrief step, answered as a cooperative person would -------------------------------

Answer = Callable[[FakeUser, int], Awaitable[object]]


def say(text: str) -> Answer:
    async def answer(user: FakeUser, visit: int) -> object:
        return await user.say(text)

    return answer


def press(*labels: str) -> Answer:
    """Press labels[visit] (the last one again on later visits)."""

    async def answer(user: FakeUser, visit: int) -> object:
        return await user.press_and_wait(labels[min(visit, len(labels) - 1)])

    return answer


# How a cooperative person answers each step. A new State with no entry here fails the walk.
BASE: dict[debrief.State, Answer] = {
    debrief.State.COMPANY: say("Acme"),
    debrief.State.ROLE: say("Backend engineer"),
    debrief.State.STAGE: press("💻 Technical test or assignment"),
    debrief.State.HOW_HEARD: press("✉️ Email"),
    debrief.State.MOOD: press("1 😞"),
    debrief.State.GROUNDING: press("No thanks, go on"),
    debrief.State.WENT_WELL: say("I explained my design clearly"),
    debrief.State.LESSON: say("Practise live coding"),
    debrief.State.FEEDBACK_OFFER: press("Yes, draft it for me"),
    debrief.State.FEEDBACK_RECIPIENT: say("Dana"),
    debrief.State.FEEDBACK_SIGNOFF: say("Alex Morgan"),
    debrief.State.FEEDBACK_CHANNEL: press("Email"),
    debrief.State.FEEDBACK_TONE: press("Warm"),
    debrief.State.FEEDBACK_REVIEW: press("Other tone", "Add a personal line", "📨 I've sent it"),
    debrief.State.FEEDBACK_PERSONAL_LINE: say("I enjoyed meeting the team."),
    debrief.State.FEEDBACK_SENT: press("📨 I've sent it"),
    debrief.State.GAPS: press("▫️ Technical skills", "Done"),
    debrief.State.STRENGTH: press("Communication"),
    debrief.State.RESOURCE: press("1"),
    debrief.State.RESOURCE_WHEN: press("Tomorrow"),
    debrief.State.GOAL_KIND: press("Do 2 mock interviews"),
    debrief.State.GOAL_CUSTOM: say("Rebuild my portfolio site"),
    debrief.State.GOAL_TARGET: say("3"),
    debrief.State.TIMEZONE: say("Berlin"),
    debrief.State.GOAL_DEADLINE: say("2026-12-15"),
    debrief.State.GOAL_CHECK: press("Keep it as it is"),
}
CUSTOM_GOAL = {**BASE, debrief.State.GOAL_KIND: press("Something else (type it)")}


def stored_step(path: DbTarget, user: FakeUser) -> str | None:
    found = rows(
        path,
        "SELECT step FROM rejections WHERE user_id = ? AND status = 'in_progress'",
        user.id,
    )
    return str(found[0][0]) if found else None
