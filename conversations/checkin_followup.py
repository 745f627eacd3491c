"""Answers to the feedback, resource and mood check-ins: did the hirer reply (the reply
pasted, turned into plan actions; not yet; no reply, and closing the request), the takeaway from
a resource, a mood score. The typed answers among them are states of the check-in conversation
(conversations.checkin).
"""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.keyboards import keyboard
from bot.storage import GoalRecord
from coaching.goals import format_deadline
from coaching.replies import feedback_actions
from conversations.checkin_turn import CheckinTurn, Next, State, Step, typed

# Feedback follow-up -------------------------------------------------------------------------


async def feedback_yes(turn: CheckinTurn, value: str) -> Next:
    """They replied: ask for the reply, pasted."""
    await turn.acknowledge()
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id)
    await turn.say("checkin/feedback_paste")
    return State.FEEDBACK


@typed(State.FEEDBACK)
async def on_feedback_text(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """The hirer's reply, pasted: save it and turn it into plan actions."""
    rejection_id = turn.checkin.rejection_id
    if rejection_id is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    services = turn.services
    await services.debriefs.save_feedback(
        rejection_id, reply_text=text, replied_at=services.clock.now(), status="replied"
    )
    fallback = services.prompts.render_plain("checkin/feedback_action")
    actions = feedback_actions(text, fallback)
    await services.debriefs.add_plan_actions(rejection_id, "feedback", [(None, a) for a in actions])
    await services.checkins.answer(turn.checkin.id, "replied")
    await services.checkins.clear_focus(turn.user_id)
    await turn.say("checkin/feedback_saved", actions=actions)
    return ConversationHandler.END


async def feedback_not_yet(turn: CheckinTurn, value: str) -> Next:
    """No reply yet: ask once more in three business days."""
    if not await turn.take("not_yet"):
        return None
    day = await turn.services.planner.feedback_again(turn.checkin)
    await turn.say(
        "checkin/feedback_again",
        day=format_deadline(day, turn.services.prompts) if day else None,
    )
    return ConversationHandler.END


async def feedback_none(turn: CheckinTurn, value: str) -> Next:
    """No reply: a kind word, and the offer to close the request."""
    if not await turn.take("no_reply") or turn.checkin.rejection_id is None:
        return None
    await turn.services.debriefs.save_feedback(turn.checkin.rejection_id, status="no_reply")
    await turn.say(
        "checkin/feedback_no_reply",
        markup=keyboard(
            [turn.button(Step.CLOSE, "close", "checkin.close")],
            [turn.button(Step.CLOSE, "open", "checkin.keep_open")],
        ),
    )
    return ConversationHandler.END


async def on_close(turn: CheckinTurn, value: str) -> Next:
    """Close the unanswered feedback request, or leave it open."""
    if value not in ("close", "open") or turn.checkin.rejection_id is None:
        return await turn.refuse()
    if not await turn.follow("no_reply", f"no_reply:{value}"):
        return None
    if value == "close":
        await turn.services.debriefs.save_feedback(turn.checkin.rejection_id, status="closed")
    await turn.say(f"checkin/feedback_{value}")
    return ConversationHandler.END


# Resource takeaway and mood -----------------------------------------------------------------


async def takeaway_ask(turn: CheckinTurn, value: str) -> Next:
    """Ask for the takeaway from the resource."""
    pick = await turn.services.debriefs.resource_pick(turn.checkin.rejection_id or 0)
    if pick is None:
        return await turn.refuse()
    await turn.acknowledge()
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id)
    await turn.say("checkin/takeaway_ask", title=pick.title)
    return State.TAKEAWAY


@typed(State.TAKEAWAY)
async def on_takeaway(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """What the user took away from their resource."""
    if turn.checkin.rejection_id is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    await turn.services.debriefs.set_resource_takeaway(turn.checkin.rejection_id, text)
    await turn.services.checkins.answer(turn.checkin.id, "takeaway")
    await turn.services.checkins.clear_focus(turn.user_id)
    await turn.say("checkin/takeaway_saved")
    return ConversationHandler.END


async def resource_skip(turn: CheckinTurn, value: str) -> Next:
    """Didn't get to the resource: no pressure."""
    if not await turn.take("skipped"):
        return None
    await turn.say("checkin/resource_skipped")
    return ConversationHandler.END


async def mood(turn: CheckinTurn, value: str) -> Next:
    """A mood score from the gentle mood check."""
    if not await turn.take(f"mood:{value}"):
        return None
    score = int(value)
    await turn.services.debriefs.record_mood(
        turn.user_id, score, "checkin", turn.checkin.rejection_id
    )
    await turn.say("checkin/mood_reply", score=score)
    return ConversationHandler.END
