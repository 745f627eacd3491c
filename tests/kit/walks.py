"""Walking a person through the debrief by pressing and typing, as a user of the fake Telegram."""

from __future__ import annotations

from standin import FakeUser, SentMessage
from tests.kit.chat import texts


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
    personal_line: str = "I enjoyed the panel",
    goal: str = "Rewrite my CV",
    hostile: dict[str, str] | None = None,
    stop_at_target: bool = False,
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
    await text("recipient", recipient, "How will you send it?")
    await press("Email", "Which tone suits you?")
    await press("Formal", "Here is your draft")
    await press("Add a personal line", "Type the line")
    await text("personal_line", personal_line, "Here is your draft")
    await press("✅ Looks good", "Tell me once it's sent")
    await press("📨 I've sent it", "Where do you think it fell short?")
    await press("▫️ Theoretical knowledge", "Where do you think it fell short?")
    await press("Done", "what is your strongest card?")
    await press("Persistence", "Pick one")
    await press("Skip", "a concrete goal to try again")
    if stop_at_target:
        await press("Practise N problems", "How many?")
        return
    await press("Something else (type it)", "Describe your goal")
    await text("goal", goal, "where are you?")
    await press("Europe/London", "By when?")
    if stop_at_deadline:
        return
    await press("1 week", "That's your plan")
