"""Follow-up check-ins: the messages the dispatcher sends, and the conversation answering them.

Every check-in message carries buttons whose callback data names the check-in ("c:<id>:..."),
so an answer days later still finds it; a press is checked against the check-in's owner and
status, and a superseded or already answered check-in says so and never acts. Typed answers
("how many of 3?", the hirer's reply, a takeaway, a new goal) are conversation states; which
check-in they answer is kept in the database (`checkin_focus`), so a restart loses nothing.
See docs/flows/checkin.mmd.

This module routes; what each kind says and what its answers do is the registry
(conversations.checkin_kinds, with the pure half in coaching.kinds). The parts:

* conversations.checkin_turn: the states, the button steps, `CheckinTurn`, typed-answer steps;
* conversations.checkin_compose: composing the messages;
* conversations.checkin_goal, conversations.checkin_followup: the answers;
* conversations.presence: blocked and unblocked bots.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.redelivery import hand_back
from bot.scheduling.dispatcher import Compose, Later, Outgoing
from bot.services import CoachContext, Services
from bot.storage.checkins import CheckIn
from coaching.kinds import Kind
from conversations.checkin_followup import on_close, on_feedback_text, on_takeaway
from conversations.checkin_goal import (
    later_on,
    on_change,
    on_count,
    on_custom,
    on_deadline_button,
    on_deadline_text,
    on_due,
    on_kind,
    on_kind_text,
    on_next,
    on_small_step,
    on_smaller,
    on_snooze,
    on_target_button,
    on_target_text,
    record_count,
)
from conversations.checkin_kinds import SPECS
from conversations.checkin_turn import (
    PREFIX,
    TEXT_LIMIT,
    Action,
    CheckinTurn,
    Handler,
    Next,
    State,
    Step,
    when_text,
)
from conversations.checkin_typed import offer_buttons_again, read_typed_reply
from conversations.flow import Chat, parse_callback, persisted_conversation
from conversations.presence import on_presence, presence_handler
from conversations.routing import Declined, StoredConversation

__all__ = [
    "PREFIX",
    "TEXT_LIMIT",
    "State",
    "build_handler",
    "compose_checkin",
    "composer",
    "on_presence",
    "presence_handler",
    "when_text",
]

_LOGGER = logging.getLogger(__name__)


# --- Composing the check-in messages (called by the dispatcher) -----------------------------


def composer(services: Services) -> Compose:
    """The dispatcher's renderer of check-in messages."""

    async def compose(checkin: CheckIn, folded: int) -> Outgoing | Later | None:
        return await compose_checkin(services, checkin, folded)

    return compose


async def compose_checkin(
    services: Services, checkin: CheckIn, folded: int
) -> Outgoing | Later | None:
    """The message for a due check-in, None when there is nothing left to ask, or Later."""
    spec = SPECS.get(Kind(checkin.kind))
    if spec is None:  # a group post: conversations.group composes those
        return None
    return await spec.compose(services, checkin, folded)


# --- Button presses ---------------------------------------------------------------------------


async def on_button(update: Update, context: CoachContext) -> object:
    """Any check-in button: find the check-in, check it is the presser's, then act."""
    chat = Chat(update, context)
    query = update.callback_query
    press = parse_callback(query.data if query else None)
    if press is not None and context.services.dispatcher is not None:
        await context.services.dispatcher.recorded(press.owner)  # pressed as it was being sent
    checkin = await context.services.checkins.get(press.owner) if press else None
    if press is None or checkin is None or checkin.user_id != chat.user_id:
        _LOGGER.info("Refused a check-in button that is not the presser's (user %s)", chat.user_id)
        await chat.acknowledge(chat.label("checkin.expired"), keep_buttons=True)
        await chat.say("checkin/expired")
        return None
    turn = CheckinTurn(update, context)
    turn.checkin = checkin
    handler = _BUTTONS.get(press.step)
    if handler is None:
        return await turn.refuse_as_expired()
    return await handler(turn, press.value)


async def on_answer(turn: CheckinTurn, value: str) -> Next:
    """The first answer to a check-in message (or the same press handled again after a crash:
    it goes on to what the answer leads to, `take` recognises it): the kind's action for it."""
    again = turn.checkin.status == "answered" and turn.checkin.answer in (value, f"due:{value}")
    # 'claimed': its message went out (its button was pressed), the send not yet recorded.
    if turn.checkin.status not in ("sent", "claimed") and not again:
        return await turn.refuse()
    spec = SPECS.get(Kind(turn.checkin.kind))
    action = spec.answers.get(value) if spec is not None else None
    if action is None:
        return await turn.refuse_as_expired()
    return await action(turn, value)


async def on_typed_reply(update: Update, context: CoachContext) -> object:
    """A typed line while a check-in waits for its answer (conversations.checkin_typed): what
    its button would do, or the buttons again when the line is unclear."""
    turn = CheckinTurn(update, context)
    text = update.message.text if update.message is not None else None
    if text is None:
        raise Declined
    typed = await read_typed_reply(turn, text)
    if typed.value is None:
        await offer_buttons_again(turn)
        return None
    if typed.when is not None:
        return await later_on(turn, typed.goal, typed.when)
    if typed.goal is not None and typed.count is not None:
        return await record_count(turn, typed.goal, typed.count)
    return await on_answer(turn, typed.value)


_BUTTONS: dict[str, Action] = {
    Step.ANSWER: on_answer,
    Step.SNOOZE: on_snooze,
    Step.CHANGE: on_change,
    Step.SMALLER: on_smaller,
    Step.NEXT: on_next,
    Step.KIND: on_kind,
    Step.CLOSE: on_close,
    Step.DUE: on_due,
}


async def _step_button(update: Update, context: CoachContext, step: Action) -> object:
    """Run a state's own button step for the presser's check-in (else the general route)."""
    chat = Chat(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    checkin = await context.services.checkins.get(press.owner) if press else None
    if press is None or checkin is None or checkin.user_id != chat.user_id:
        return await on_button(update, context)
    turn = CheckinTurn(update, context)
    turn.checkin = checkin
    return await step(turn, press.value)


async def on_target_press(update: Update, context: CoachContext) -> object:
    """A suggested number while a goal's number is asked."""
    return await _step_button(update, context, on_target_button)


async def on_deadline_press(update: Update, context: CoachContext) -> object:
    """A deadline button while a goal's deadline is asked."""
    return await _step_button(update, context, on_deadline_button)


# --- Leaving, and everything else -----------------------------------------------------------


async def on_cancel(update: Update, context: CoachContext) -> object:
    """/cancel inside a check-in: leave the question; the check-in plan goes on."""
    chat = Chat(update, context)
    await context.services.checkins.clear_focus(chat.user_id)
    await chat.say("checkin/cancelled")
    return ConversationHandler.END


async def step_aside(update: Update, context: CoachContext) -> object:
    """A command or another flow's button while a check-in waits for words: close the check-in's
    question and hand the update back, so the rest of the bot answers it as usual."""
    chat = Chat(update, context)
    await context.services.checkins.clear_focus(chat.user_id)
    await hand_back(update, context)
    return ConversationHandler.END


async def on_not_text(update: Update, context: CoachContext) -> object:
    """A sticker or photo while words are expected: ask for words, stay in the step."""
    await Chat(update, context).say("checkin/words_please")
    return None


def build_handler() -> StoredConversation:
    """The check-in conversation, persisted under the name 'checkin'."""
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    buttons = CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:")
    typed_states: dict[State, Handler] = {
        State.COUNT: on_count,
        State.FEEDBACK: on_feedback_text,
        State.TAKEAWAY: on_takeaway,
        State.CUSTOM: on_custom,
        State.TARGET: on_target_text,
        State.DEADLINE: on_deadline_text,
        State.STEP: on_small_step,
        State.KIND: on_kind_text,
    }
    states: dict[object, list[BaseHandler[Update, CoachContext, object]]] = {}
    for state in State:
        handlers: list[BaseHandler[Update, CoachContext, object]] = []
        if state is State.TARGET:
            pattern = rf"^{PREFIX}:\d+:{Step.TARGET}:"
            handlers.append(CallbackQueryHandler(on_target_press, pattern=pattern))
        if state is State.DEADLINE:
            pattern = rf"^{PREFIX}:\d+:{Step.DEADLINE}:"
            handlers.append(CallbackQueryHandler(on_deadline_press, pattern=pattern))
        handlers.append(buttons)
        if state in typed_states:
            handlers.append(MessageHandler(text, typed_states[state]))
        states[state] = handlers
    return persisted_conversation(
        "checkin",
        allow_reentry=False,
        # A typed line answers the newest open check-in, if one waits (else it is declined).
        entry_points=[buttons, MessageHandler(text, on_typed_reply)],
        states=states,
        fallbacks=[
            CommandHandler("cancel", on_cancel, filters=private),
            MessageHandler(private & filters.COMMAND, step_aside),
            CallbackQueryHandler(step_aside),
            MessageHandler(
                private & ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_not_text
            ),
            # Words while only buttons are asked for (the next goal's kind): the user moved on.
            MessageHandler(text, step_aside),
        ],
    )
