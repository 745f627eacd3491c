"""The plan card: everything one debrief produced, in one message; and the feedback request
drafted but not sent yet, shown after it with "I've sent it" and "Other tone".

The draft's buttons carry `fd:<rejection>:<step>:<value>` (Prefix.DRAFT). "I've sent it"
records the day and schedules the reply follow-up exactly as the debrief's button does
(`Services.on_feedback_sent`); "Other tone" offers the three tones and shows the draft again in
the one picked. The day-after reminder of an unsent draft (kind `feedback_draft`) answers
through `mark_sent` and `drop_draft` here too (conversations.checkin_followup).
"""

from __future__ import annotations

import logging
from datetime import date
from enum import StrEnum

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.keyboards import Button, keyboard
from bot.messages import send_long_html
from bot.services import CoachContext, Services
from bot.storage import Rejection
from bot.storage.debriefs import FeedbackRecord
from coaching.dates import full_day
from coaching.feedback import FeedbackDraft, FeedbackRequest, draft_feedback_request
from coaching.goals import format_deadline
from coaching.kinds import Kind
from coaching.model import Channel, HowHeard, Stage, Tone
from conversations import outcome
from conversations.checkin_turn import goal_line, when_text
from conversations.flow import Chat, Prefix, callback, parse_callback

_LOGGER = logging.getLogger(__name__)

PREFIX = Prefix.DRAFT
DRAFTED = "drafted"
"""The feedback request's status while it is drafted and not sent."""


class Step(StrEnum):
    """Which button of the draft was pressed (the third field of the callback data)."""

    SENT = "s"
    TONES = "t"
    TONE = "p"
    BACK = "b"


def long_day(day: date) -> str:
    """A day as the plan writes it, in the person's language: "5 June 2027"."""
    return full_day(day)


async def next_check_in(services: Services, user_id: int) -> str | None:
    """When the person's next pending check-in comes, as /settings shows it ("Monday 30
    November, 18:00", in their zone); None if none is pending."""
    upcoming = await services.checkins.next_pending(user_id)
    profile = await services.planner.profile(user_id) if upcoming is not None else None
    if upcoming is None or profile is None:
        return None
    return when_text(services, profile, upcoming.due_at)


async def render_plan(services: Services, rejection: Rejection) -> str:
    """Render the plan of a debrief (what happened, lesson, feedback, gaps, actions, what the
    hirer's reply asked for and when to apply again, resource, goal)."""
    debriefs = services.debriefs
    prompts = services.prompts
    feedback = await debriefs.feedback(rejection.id)
    goal = await debriefs.goal_for(rejection.id)
    actions = await debriefs.plan_actions(rejection.id)
    pick = await debriefs.resource_pick(rejection.id)
    return prompts.render(
        "plan/card",
        rejection=rejection,
        stage_name=prompts.label(f"stage.{rejection.stage}") if rejection.stage else None,
        feedback=feedback,
        gap_names=[prompts.label(f"gap.{g}") for g in rejection.gaps],
        strength_name=prompts.label(f"strength.{rejection.strength}")
        if rejection.strength
        else None,
        actions=[a for a in actions if a.source != "feedback"],
        reply_actions=[a for a in actions if a.source == "feedback"],
        reapply_day=long_day(feedback.reapply_on) if feedback and feedback.reapply_on else None,
        kept_cv=feedback is not None and feedback.reapply_reason == "cv_on_file",
        resource=pick,
        goal=goal,
        goal_line=goal_line(services, goal) if goal else None,
        rejected_day=format_deadline(rejection.rejected_on),
        sent_day=format_deadline(feedback.sent_at.date())
        if feedback and feedback.sent_at
        else None,
        planned_day=format_deadline(pick.planned_for) if pick and pick.planned_for else None,
    )


async def show_plan(chat: Chat, rejection: Rejection) -> None:
    """The plan card with "Record news" (/outcome), then the unsent draft with its buttons (a
    message of its own: the card may take all of Telegram's 4,096 characters)."""
    card = await render_plan(chat.services, rejection)
    await send_long_html(chat.context.bot, chat.chat_id, card, outcome.news_markup(chat))
    feedback = await chat.services.debriefs.feedback(rejection.id)
    if is_unsent(feedback):
        assert feedback is not None
        await send_draft(chat, rejection, feedback)


def is_unsent(feedback: FeedbackRecord | None) -> bool:
    """A request drafted in full and not sent yet."""
    return feedback is not None and feedback.status == DRAFTED and bool(feedback.body)


async def send_draft(chat: Chat, rejection: Rejection, feedback: FeedbackRecord) -> None:
    """The draft, ready to copy, with "I've sent it" and "Other tone"."""
    await chat.say(
        "plan/draft",
        markup=draft_markup(chat, rejection.id),
        subject=feedback.subject,
        body=feedback.body or "",
    )


def _button(chat: Chat, rejection_id: int, step: Step, label: str, value: str = "") -> Button:
    return chat.label(label), callback(PREFIX, rejection_id, step, value)


def draft_markup(chat: Chat, rejection_id: int) -> InlineKeyboardMarkup:
    """The draft's buttons."""
    return keyboard(
        [_button(chat, rejection_id, Step.SENT, "feedback.sent")],
        [_button(chat, rejection_id, Step.TONES, "feedback.other_tone")],
    )


def tone_markup(chat: Chat, rejection_id: int) -> InlineKeyboardMarkup:
    """The three tones, and back to the draft's own buttons."""
    return keyboard(
        [_button(chat, rejection_id, Step.TONE, f"tone.{t.value}", t.value) for t in Tone],
        [_button(chat, rejection_id, Step.BACK, "checkin.back")],
    )


async def mark_sent(services: Services, rejection_id: int) -> bool:
    """Record the drafted request as sent today and schedule the reply follow-up (as the
    debrief's "I've sent it" does); False when it is not an unsent draft any more."""
    feedback = await services.debriefs.feedback(rejection_id)
    if feedback is None or feedback.status != DRAFTED:
        return False
    await services.debriefs.save_feedback(rejection_id, status="sent", sent_at=services.clock.now())
    for listener in services.on_feedback_sent:
        await listener(rejection_id)
    return True


async def drop_draft(services: Services, rejection_id: int) -> bool:
    """Close a drafted request the person will not send; False when it is not a draft."""
    feedback = await services.debriefs.feedback(rejection_id)
    if feedback is None or feedback.status != DRAFTED:
        return False
    await services.debriefs.save_feedback(rejection_id, status="closed")
    return True


async def redraft(
    services: Services, rejection: Rejection, feedback: FeedbackRecord, tone: Tone
) -> FeedbackDraft:
    """The same request in another tone, saved as the draft."""
    user = await services.users.get(rejection.user_id)
    draft = draft_feedback_request(
        FeedbackRequest(
            company=rejection.company,
            role=rejection.role,
            stage=Stage(rejection.stage or Stage.APPLICATION),
            recipient=feedback.recipient,
            channel=Channel(feedback.channel or Channel.EMAIL),
            tone=tone,
            personal_line=feedback.personal_line,
            sender_name=user.signoff_name if user else None,
            ghosted=rejection.how_heard == HowHeard.GHOSTED,
        ),
        services.prompts,
    )
    await services.debriefs.save_feedback(
        rejection.id, tone=tone.value, subject=draft.subject, body=draft.body
    )
    return draft


# --- The draft's buttons ------------------------------------------------------------------------


async def on_draft_button(update: Update, context: CoachContext) -> None:
    """A button of the draft shown by /plan: only for the person whose draft it is, and only
    while it is not sent."""
    chat = Chat(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    rejection = await chat.services.debriefs.get(press.owner) if press is not None else None
    if press is None or rejection is None or rejection.user_id != chat.user_id:
        _LOGGER.info("Refused a draft button of user %s: stale or not theirs", chat.user_id)
        await chat.acknowledge(chat.label("common.stale"), keep_buttons=True)
        return
    feedback = await chat.services.debriefs.feedback(rejection.id)
    if feedback is None or not is_unsent(feedback):
        await chat.acknowledge()
        await chat.say("plan/draft_settled", status=feedback.status if feedback else "none")
        return
    if press.step == Step.SENT:
        await chat.acknowledge()
        await mark_sent(chat.services, rejection.id)
        await chat.services.checkins.cancel_pending_of_kind(chat.user_id, Kind.FEEDBACK_DRAFT.value)
        await chat.say("plan/draft_sent")
    elif press.step == Step.TONES:
        await chat.acknowledge(keep_buttons=True)
        await chat.edit_buttons(tone_markup(chat, rejection.id))
    elif press.step == Step.BACK:
        await chat.acknowledge(keep_buttons=True)
        await chat.edit_buttons(draft_markup(chat, rejection.id))
    elif press.step == Step.TONE and press.value in Tone.__members__.values():
        await chat.acknowledge()
        await redraft(chat.services, rejection, feedback, Tone(press.value))
        updated = await chat.services.debriefs.feedback(rejection.id)
        assert updated is not None
        await send_draft(chat, rejection, updated)
    else:
        await chat.acknowledge(chat.label("common.stale"), keep_buttons=True)


def handlers() -> list[BaseHandler[Update, CoachContext, object]]:
    """The draft's buttons (the /plan command itself is conversations.common's)."""
    return [CallbackQueryHandler(on_draft_button, pattern=rf"^{PREFIX}:")]
