"""The rejection debrief: from "I didn't get the job" to a plan with a retry goal.

Steps, in order (see docs/flows/debrief.mmd): intake (company, role, stage, how they heard),
accept the outcome (mood, optional grounding, what went well, one lesson), a feedback request
to the hirer, the gaps (SWOT), a motivating resource, and a retry goal with a deadline. Each
answer is written to the database the moment it is given; the conversation state itself is
persisted too, so a restarted bot resumes everyone at the step they were on.

The steps themselves (their questions, answers and transitions) are the table `STEPS` in
conversations/debrief_steps.py. This module runs them: the handlers of each state, built from
the table; the guards that refuse stale buttons and updates handled again after a crash; the
entry points; /back, /skip, /cancel and /resume.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.keyboards import keyboard
from bot.services import CoachContext
from bot.storage import Rejection
from coaching.checkin_replies import Intent, ReplyTo, read_reply
from coaching.choices import match_choice
from coaching.deadlines import zone
from coaching.feelings import feeling_in
from coaching.links import parse_start_payload
from conversations.debrief_steps import (
    ASK,
    BUTTON_ONLY,
    CODE,
    FIRST,
    NAME_LIMIT,
    PREFIX,
    SKIPPABLE,
    STEP,
    STEPS,
    STORY_LIMIT,
    Answer,
    DebriefTurn,
    State,
    Step,
    go,
    go_next,
    next_step,
    previous_step,
    replayed,
    show_plan,
    stale_button,
)
from conversations.flow import Chat, parse_callback, persisted_conversation
from conversations.routing import StoredConversation

__all__ = [
    "ASK",
    "BUTTON_ONLY",
    "CODE",
    "NAME_LIMIT",
    "SKIPPABLE",
    "STEPS",
    "STORY_LIMIT",
    "DebriefTurn",
    "State",
    "ask_current_step",
    "build_handler",
    "next_step",
    "previous_step",
    "start_new",
]

P = ParamSpec("P")


# --- Handler wrappers: load the debrief, screen text, refuse stale buttons --------------------


Handler = Callable[[Update, CoachContext], Coroutine[Any, Any, object]]


def in_debrief(step: Callable[Concatenate[DebriefTurn, P], Awaitable[State | int]]) -> Handler:
    """Load the running debrief; end the conversation kindly if it no longer exists."""

    @wraps(step)
    async def handler(update: Update, context: CoachContext) -> object:
        turn = await DebriefTurn.load(update, context)
        if turn is None:
            if await _finished_by_this_update(update, context):
                return ConversationHandler.END
            chat = Chat(update, context)
            await chat.acknowledge()
            await chat.say("debrief/nothing_running", markup=_start_markup(chat))
            return ConversationHandler.END
        return await step(turn)  # type: ignore[call-arg]

    return handler


async def _finished_by_this_update(update: Update, context: CoachContext) -> bool:
    """Whether `update` is the answer that finished the person's latest debrief, handled again
    after a crash: then the plan is shown again (the crash may have swallowed it), nothing is
    applied twice, and True is returned."""
    user = update.effective_user
    if user is None:
        return False
    latest = await context.services.debriefs.latest_completed(user.id)
    if latest is None or latest.last_update_id is None:
        return False
    if update.update_id < latest.last_update_id:
        return True  # older than the answer that finished it: answered long ago, stays silent
    if latest.last_update_id != update.update_id:
        return False
    turn = DebriefTurn(update, context)
    turn.rejection = latest
    await turn.acknowledge()
    await show_plan(turn)
    return True


def text_handler(step: Step, limit: int, answer: Answer) -> Handler:
    """The handler of a step that takes free text, within a length limit (the safety screen
    runs before every flow: conversations.crisis)."""
    state = step.state

    @wraps(answer)
    async def handler(update: Update, context: CoachContext) -> object:
        turn = await DebriefTurn.load(update, context)
        if turn is None:
            return await in_debrief(_noop)(update, context)
        if (stay := await replayed(turn)) is not None:
            return stay
        if not _at(turn, state):
            return await follow_stored_step(update, context)
        text = (turn.text or "").strip()
        if not text:
            await turn.say("common/need_text")
            return await go(turn, state)
        if len(text) > limit:
            await turn.say("common/too_long", limit=limit, length=len(text))
            return state
        return await answer(turn, text)

    return handler


def button_handler(step: Step) -> Handler:
    """The handler of a step's buttons: its Skip button (when skippable) and the others, which
    go to the step's answer; other debriefs' buttons, and values outside the step's choices
    (when given), are stale. A text step's only button is Skip."""
    state = step.state
    answer = step.buttons.answer if step.buttons else _not_skip
    allowed = step.buttons.choices if step.buttons else None

    @wraps(answer)
    async def handler(update: Update, context: CoachContext) -> object:
        turn = await DebriefTurn.load(update, context)
        press = parse_callback(update.callback_query.data if update.callback_query else None)
        if turn is None:
            return await in_debrief(_noop)(update, context)
        if (stay := await replayed(turn)) is not None:
            return stay
        if not _at(turn, state):
            return await follow_stored_step(update, context)
        if press is None or press.owner != turn.rid or press.step != CODE[state]:
            return await stale_button(update, context)
        skip = press.value == "skip" and step.skippable
        if not skip and allowed is not None and press.value not in allowed:
            return await stale_button(update, context)
        if skip:
            await turn.acknowledge()
            return await go_next(turn, state)
        return await answer(turn, press.value)

    return handler


async def _not_skip(turn: DebriefTurn, value: str) -> State | int:
    """Any value but Skip on a text step's Skip button."""
    return await stale_button(turn.update, turn.context)


def _at(turn: DebriefTurn, state: State) -> bool:
    """Whether the stored step agrees with the conversation state handling this update."""
    return turn.rejection.step == state.value


async def follow_stored_step(update: Update, context: CoachContext) -> object:
    """Handle an update by the step stored in the database.

    The stored step is written before each question is sent, so it is the truth; the
    conversation state is saved after the update, and a bot killed between the two would
    otherwise take the next answer for the previous question.
    """
    turn = await DebriefTurn.load(update, context)
    if turn is None:
        return await in_debrief(_noop)(update, context)
    if (stay := await replayed(turn)) is not None:
        return stay
    actual = State(turn.rejection.step)
    if update.callback_query is not None:
        press = parse_callback(update.callback_query.data)
        if press is not None and press.owner == turn.rid and press.step == CODE[actual]:
            return await _BUTTON_STEPS[actual](update, context)
        return await stale_button(update, context)
    if turn.text is not None and actual in _TEXT_STEPS:
        return await _TEXT_STEPS[actual](update, context)
    return await wrong_input(update, context)


async def wrong_input(update: Update, context: CoachContext) -> State | int:
    """Anything that does not fit the current step: words that name one of its buttons are
    that button ("two" for the mood, "by email"); a sticker or photo gets one short line; other
    words a short re-prompt in the same step."""
    turn = await DebriefTurn.load(update, context)
    if turn is None:
        return ConversationHandler.END
    current = State(turn.rejection.step)
    if turn.text is None:
        await turn.say("debrief/words_please", buttons=current in BUTTON_ONLY)
        return current
    value = _typed_choice(turn, current, turn.text)
    step = STEP[current]
    if value is not None and step.buttons is not None:
        return await step.buttons.answer(turn, value)
    template = "common/use_buttons" if current in BUTTON_ONLY else "common/need_text"
    await turn.say(template)
    await ASK[current](turn)
    return current


# Button steps whose buttons a typed word may name: the labels.toml section of their labels.
_TYPED_CHOICES: dict[State, str] = {
    State.STAGE: "stage",
    State.HOW_HEARD: "how_heard",
    State.FEEDBACK_CHANNEL: "channel",
    State.FEEDBACK_TONE: "tone",
    State.STRENGTH: "strength",
}


def _typed_choice(turn: DebriefTurn, state: State, text: str) -> str | None:
    """The button value typed words stand for at `state`, if they name exactly one."""
    if state is State.MOOD:
        reading = read_reply(text, ReplyTo.MOOD, None)
        return str(reading.mood) if reading.intent is Intent.MOOD else None
    section = _TYPED_CHOICES.get(state)
    step = STEP[state]
    if section is None or step.buttons is None or step.buttons.choices is None:
        return None
    options = {value: turn.label(f"{section}.{value}") for value in step.buttons.choices}
    return match_choice(text, options)


async def _noop(turn: DebriefTurn) -> int:
    return ConversationHandler.END


def _start_markup(chat: Chat) -> InlineKeyboardMarkup:
    return keyboard([(chat.label("debrief.start"), "start:new")])


# The handlers of each state, from the table.
_TEXT_STEPS: dict[State, Handler] = {
    step.state: text_handler(step, step.text.limit, step.text.answer)
    for step in STEPS
    if step.text is not None
}
_BUTTON_STEPS: dict[State, Handler] = {
    step.state: button_handler(step) for step in STEPS if step.buttons or step.skippable
}


# --- Entry points and controls --------------------------------------------------------------


async def start_new(
    chat: Chat, source_chat_id: int | None = None, greeting: str | None = None
) -> State:
    """Open a new debrief (a new rejection record) and ask the first question, in one message
    with the `greeting` template before it (the introduction, or welcome back)."""
    user = await chat.services.users.get(chat.user_id)
    today = (
        chat.services.clock.now()
        .astimezone(
            zone((user.timezone if user else None) or chat.services.settings.default_timezone)
        )
        .date()
    )
    previous = await chat.services.debriefs.count(chat.user_id)
    rejection = await chat.services.debriefs.start(chat.user_id, FIRST.value, today, source_chat_id)
    turn = DebriefTurn(chat.update, chat.context)
    turn.rejection = rejection
    if greeting is not None:
        user_name = chat.update.effective_user.first_name if chat.update.effective_user else ""
        turn.lead(greeting, name=user_name)
    if previous:
        turn.lead("debrief/count_note", number=previous + 1)
    return await go(turn, FIRST)


async def on_start(update: Update, context: CoachContext) -> object:
    """/start: introduce ourselves (before a first debrief), then start or resume one."""
    chat = Chat(update, context)
    existing = await chat.services.users.get(chat.user_id)
    await chat.ensure_user()
    source = parse_start_payload(context.args).group_chat_id
    name = update.effective_user.first_name if update.effective_user else ""
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        if existing is None:
            await chat.say("start/intro", name=name)
        return await _resume(chat, running)
    # "Again" only for someone who has been through a debrief before: /help or /settings
    # first makes the person's row but is no meeting, and they have not seen the introduction.
    met = existing is not None and await chat.services.debriefs.count(chat.user_id) > 0
    return await start_new(chat, source, "start/welcome_back" if met else "start/intro")


async def on_rejected(update: Update, context: CoachContext) -> object:
    """/rejected: log a new rejection; with one in progress, ask: continue it or start anew."""
    chat = Chat(update, context)
    await chat.ensure_user()
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        return await _continue_or_new(chat, running)
    return await start_new(chat)


async def _continue_or_new(chat: Chat, running: Rejection) -> State:
    """Continue the running debrief, or close it and start a new one?"""
    await chat.say(
        "debrief/continue_or_new",
        company=running.company,
        markup=keyboard(
            [(chat.label("debrief.continue"), "start:new")],
            [(chat.label("debrief.start_fresh"), "start:fresh")],
        ),
    )
    return State(running.step)


async def on_start_fresh(update: Update, context: CoachContext) -> object:
    """ "Start a new one": the running debrief is closed (kept, as after /cancel), a new one
    begins."""
    chat = Chat(update, context)
    await chat.acknowledge()
    await chat.ensure_user()
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        await chat.services.debriefs.set_status(running.id, "cancelled")
    return await start_new(chat)


async def on_start_button(update: Update, context: CoachContext) -> object:
    """The 'Start a debrief' button under a free-text message."""
    chat = Chat(update, context)
    await chat.acknowledge()
    await chat.ensure_user()
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        return await _resume(chat, running)
    return await start_new(chat)


async def on_free_text(update: Update, context: CoachContext) -> object:
    """Text outside the conversation: continue a stored debrief, or offer one."""
    chat = Chat(update, context)
    await chat.ensure_user()
    if await chat.services.debriefs.in_progress(chat.user_id) is not None:
        return await follow_stored_step(update, context)
    feeling = feeling_in(chat.text or "")
    await chat.say(
        "debrief/offer", feeling=feeling.value if feeling else None, markup=_start_markup(chat)
    )
    return None


async def on_resume(update: Update, context: CoachContext) -> object:
    """/resume: continue the latest unfinished debrief where it stopped."""
    chat = Chat(update, context)
    await chat.ensure_user()
    found = await chat.services.debriefs.resumable(chat.user_id)
    if found is None:
        await chat.say("debrief/nothing_to_resume", markup=_start_markup(chat))
        return ConversationHandler.END
    if found.status != "in_progress":
        await chat.services.debriefs.set_status(found.id, "in_progress")
    return await _resume(chat, found)


async def ask_current_step(chat: Chat) -> bool:
    """Ask the running debrief's current question again; False if none is running."""
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is None:
        return False
    turn = DebriefTurn(chat.update, chat.context)
    turn.rejection = running
    await ASK[State(running.step)](turn)
    return True


async def _resume(chat: Chat, rejection: Rejection) -> State:
    await chat.say("debrief/resuming", company=rejection.company)
    turn = DebriefTurn(chat.update, chat.context)
    turn.rejection = rejection
    state = State(rejection.step)
    await ASK[state](turn)
    return state


@in_debrief
async def on_cancel(turn: DebriefTurn) -> State | int:
    """/cancel: leave the debrief; everything said so far stays saved."""
    await turn.acknowledge()
    await turn.services.debriefs.set_status(turn.rid, "cancelled")
    await turn.say("debrief/cancelled")
    return ConversationHandler.END


@in_debrief
async def on_back(turn: DebriefTurn) -> State | int:
    """/back: return one step."""
    current = State(turn.rejection.step)
    previous = await previous_step(turn, current)
    if previous is None:
        await turn.say("debrief/at_first_step")
        return await go(turn, current)
    return await go(turn, previous)


@in_debrief
async def on_skip(turn: DebriefTurn) -> State | int:
    """/skip: skip an optional step."""
    current = State(turn.rejection.step)
    if current not in SKIPPABLE:
        await turn.say("debrief/cannot_skip")
        return await go(turn, current)
    return await go_next(turn, current)


@in_debrief
async def on_where_are_we(turn: DebriefTurn) -> State | int:
    """/start or /resume mid-debrief: say where we are and ask again."""
    return await _resume(turn, turn.rejection)


@in_debrief
async def on_rejected_mid(turn: DebriefTurn) -> State | int:
    """/rejected mid-debrief: continue it, or start a new one?"""
    return await _continue_or_new(turn, turn.rejection)


def build_handler() -> StoredConversation:
    """The debrief conversation, persisted under the name 'debrief'."""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[BaseHandler[Update, CoachContext, object]]] = {}
    for state in State:
        handlers: list[BaseHandler[Update, CoachContext, object]] = []
        if state in _BUTTON_STEPS:
            pattern = rf"^{PREFIX}:\d+:{CODE[state]}:"
            handlers.append(CallbackQueryHandler(_BUTTON_STEPS[state], pattern=pattern))
        if state in _TEXT_STEPS:
            handlers.append(MessageHandler(private & text, _TEXT_STEPS[state]))
        handlers.append(MessageHandler(private & ~filters.COMMAND, wrong_input))
        states[state] = handlers
    return _conversation(states)


def _conversation(
    states: dict[object, list[BaseHandler[Update, CoachContext, object]]],
) -> StoredConversation:
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND
    return persisted_conversation(
        "debrief",
        allow_reentry=False,
        entry_points=[
            CommandHandler("start", on_start, filters=private),
            CommandHandler("rejected", on_rejected, filters=private),
            CommandHandler("resume", on_resume, filters=private),
            CallbackQueryHandler(on_start_button, pattern=r"^start:new$"),
            CallbackQueryHandler(on_start_fresh, pattern=r"^start:fresh$"),
            CallbackQueryHandler(follow_stored_step, pattern=rf"^{PREFIX}:"),
            MessageHandler(private & text, on_free_text),
            # With no conversation state: a stored debrief still obeys; otherwise a short answer.
            CommandHandler("cancel", on_cancel, filters=private),
            CommandHandler("back", on_back, filters=private),
            CommandHandler("skip", on_skip, filters=private),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", on_cancel, filters=private),
            CommandHandler("back", on_back, filters=private),
            CommandHandler("skip", on_skip, filters=private),
            CommandHandler(["start", "resume"], on_where_are_we, filters=private),
            CommandHandler("rejected", on_rejected_mid, filters=private),
            CallbackQueryHandler(on_start_fresh, pattern=r"^start:fresh$"),
            CallbackQueryHandler(on_start_button, pattern=r"^start:new$"),
            CallbackQueryHandler(stale_button, pattern=rf"^{PREFIX}:"),
        ],
    )
