"""/outcome: the person records what happened next (applied again, an interview, an offer).

Reached by the command, by "I have news" on a goal check-in and by the button on /plan. The
record moves their goals on (coaching.outcomes), is celebrated, and feeds /progress; an
interview with a date brings a preparation check-in the day before. See
docs/flows/outcome.mmd.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from enum import StrEnum

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.keyboards import Button, keyboard
from bot.redelivery import hand_back
from bot.scheduling.planner import Profile
from bot.services import CoachContext
from bot.storage import GoalRecord
from bot.storage.checkins import STOPPED
from coaching.deadlines import DeadlineError, parse_deadline
from coaching.goals import format_deadline
from coaching.outcomes import Outcome
from conversations.checkin_turn import goal_line
from conversations.flow import Chat, Prefix, callback, parse_callback, persisted_conversation
from conversations.routing import StoredConversation

_LOGGER = logging.getLogger(__name__)

PREFIX = Prefix.OUTCOME
TEXT_LIMIT = 80
GOALS_SHOWN = 3
"""The goals an outcome moved on, listed in its reply (the rest are counted)."""


class State(StrEnum):
    """What /outcome waits for."""

    DATE = "date"


class Step(StrEnum):
    """Which buttons a press comes from (the third field of the callback data)."""

    MENU = "m"
    KIND = "k"
    DATE = "d"
    AFTER_OFFER = "s"


Next = State | int | None


class OutcomeTurn(Chat):
    """One update of /outcome."""

    def button(self, step: Step, value: str, label_key: str) -> Button:
        """A button of /outcome, owned by the person talking."""
        return self.label(label_key), callback(PREFIX, self.user_id, step, value)

    def menu(self) -> InlineKeyboardMarkup:
        """The three outcomes, and "not now"."""
        return keyboard(
            [self.button(Step.KIND, Outcome.APPLIED, "outcome.applied")],
            [self.button(Step.KIND, Outcome.INTERVIEW, "outcome.interview")],
            [self.button(Step.KIND, Outcome.OFFER, "outcome.offer")],
            [self.button(Step.KIND, "none", "outcome.not_now")],
        )

    async def profile(self) -> Profile:
        """The person's check-in preferences (their time zone)."""
        return self.services.planner.profile_of(await self.ensure_user())


def news_markup(chat: Chat) -> InlineKeyboardMarkup:
    """The "Record news" button (on /plan), which opens the menu."""
    return keyboard(
        [OutcomeTurn(chat.update, chat.context).button(Step.MENU, "", "outcome.record")]
    )


async def show_menu(chat: Chat) -> State | int:
    """Ask what happened (from /outcome, a check-in or /plan)."""
    turn = OutcomeTurn(chat.update, chat.context)
    await turn.say("outcome/menu", markup=turn.menu())
    return ConversationHandler.END


async def on_command(update: Update, context: CoachContext) -> object:
    """/outcome."""
    return await show_menu(Chat(update, context))


async def on_button(update: Update, context: CoachContext) -> object:
    """Any /outcome button: check it is the presser's, then act."""
    turn = OutcomeTurn(update, context)
    query = update.callback_query
    press = parse_callback(query.data if query else None)
    if press is None or press.owner != turn.user_id:
        await turn.acknowledge(turn.label("outcome.not_yours"), keep_buttons=True)
        return None
    if await turn.is_double_tap():
        await turn.acknowledge(keep_buttons=True)
        return None
    if press.step == Step.MENU:
        await turn.acknowledge(keep_buttons=True)
        return await show_menu(turn)
    if press.step == Step.KIND:
        return await on_kind(turn, press.value)
    if press.step == Step.DATE:
        return await on_date_button(turn, press.value)
    if press.step == Step.AFTER_OFFER:
        return await on_after_offer(turn, press.value)
    await turn.acknowledge(keep_buttons=True)
    return None


async def on_kind(turn: OutcomeTurn, value: str) -> Next:
    """Applied and offer are recorded at once; an interview asks its date first."""
    await turn.acknowledge()
    if value == Outcome.INTERVIEW:
        await turn.say(
            "outcome/ask_date",
            markup=keyboard(
                [
                    turn.button(Step.DATE, "1", "outcome.tomorrow"),
                    turn.button(Step.DATE, "none", "outcome.no_date"),
                ]
            ),
        )
        return State.DATE
    if value == Outcome.APPLIED:
        return await _record(turn, Outcome.APPLIED, None)
    if value == Outcome.OFFER:
        return await _record(turn, Outcome.OFFER, None)
    await turn.say("outcome/not_now")
    return ConversationHandler.END


async def on_date_button(turn: OutcomeTurn, value: str) -> Next:
    """Tomorrow, or no date yet."""
    await turn.acknowledge()
    if value == "1":
        profile = await turn.profile()
        tomorrow = turn.services.clock.now().astimezone(profile.tz).date() + timedelta(days=1)
        return await _record(turn, Outcome.INTERVIEW, tomorrow)
    return await _record(turn, Outcome.INTERVIEW, None)


async def on_date_text(update: Update, context: CoachContext) -> object:
    """A typed interview date ("Friday", "14 Dec", "in 3 days")."""
    turn = OutcomeTurn(update, context)
    text = (turn.text or "").strip()
    if not text or len(text) > TEXT_LIMIT:
        await turn.say("outcome/date_error", reason="unreadable")
        return State.DATE
    profile = await turn.profile()
    try:
        day = parse_deadline(text, turn.services.clock.now(), profile.tz)
    except DeadlineError as exc:
        await turn.say("outcome/date_error", reason=exc.reason)
        return State.DATE
    return await _record(turn, Outcome.INTERVIEW, day)


async def _record(turn: OutcomeTurn, kind: Outcome, day: date | None) -> Next:
    """Store it, move the goals on, celebrate; an interview's prep check-in is planned."""
    await turn.ensure_user()
    recorded = await turn.services.outcomes.record(turn.user_id, kind, day, turn.update.update_id)
    prep_day = None
    if kind is Outcome.INTERVIEW and day is not None:
        prep_day = await turn.services.planner.schedule_interview_prep(turn.user_id, day)
    markup = None
    if kind is Outcome.OFFER:
        markup = keyboard(
            [turn.button(Step.AFTER_OFFER, "stop", "outcome.stop_checkins")],
            [turn.button(Step.AFTER_OFFER, "keep", "outcome.keep_checkins")],
        )
    await turn.say(
        f"outcome/{kind.value}",
        moved_goals=[_goal_view(turn, goal) for goal in recorded.goals[:GOALS_SHOWN]],
        more_goals=max(0, len(recorded.goals) - GOALS_SHOWN),
        day=format_deadline(day) if day else None,
        prep_day=format_deadline(prep_day) if prep_day else None,
        markup=markup,
    )
    _LOGGER.info("User %s recorded an outcome: %s", turn.user_id, kind.value)
    return ConversationHandler.END


def _goal_view(turn: OutcomeTurn, goal: GoalRecord) -> dict[str, object]:
    return {
        "line": goal_line(turn.services, goal),
        "done": goal.status == "done",
        "progress": goal.progress,
        "target": goal.target,
    }


async def on_after_offer(turn: OutcomeTurn, value: str) -> Next:
    """After an offer: stop the check-ins, or keep them."""
    await turn.acknowledge()
    if value == "stop":
        await turn.services.users.update(turn.user_id, checkins_enabled=0)
        cancelled = await turn.services.checkins.cancel_pending_for_user(turn.user_id, STOPPED)
        _LOGGER.info(
            "User %s stopped check-ins after an offer; %d cancelled", turn.user_id, cancelled
        )
        await turn.say("outcome/stopped")
    else:
        await turn.say("outcome/kept")
    return ConversationHandler.END


async def on_cancel(update: Update, context: CoachContext) -> object:
    """/cancel while the date is asked: nothing is recorded."""
    await Chat(update, context).say("outcome/cancelled")
    return ConversationHandler.END


async def step_aside(update: Update, context: CoachContext) -> object:
    """A command or another flow's button while the date is asked: the person moved on."""
    await hand_back(update, context)
    return ConversationHandler.END


async def on_not_text(update: Update, context: CoachContext) -> object:
    """A sticker or photo while the date is asked."""
    await Chat(update, context).say("outcome/date_error", reason="unreadable")
    return None


def build_handler() -> StoredConversation:
    """The /outcome conversation, persisted under the name 'outcome'."""
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    buttons = CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:")
    states: dict[object, list[BaseHandler[Update, CoachContext, object]]] = {
        State.DATE: [buttons, MessageHandler(text, on_date_text)],
    }
    return persisted_conversation(
        "outcome",
        allow_reentry=True,
        entry_points=[CommandHandler("outcome", on_command, filters=private), buttons],
        states=states,
        fallbacks=[
            CommandHandler("cancel", on_cancel, filters=private),
            MessageHandler(private & filters.COMMAND, step_aside),
            CallbackQueryHandler(step_aside),
            MessageHandler(
                private & ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_not_text
            ),
        ],
    )
