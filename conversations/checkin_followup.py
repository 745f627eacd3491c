"""Answers to the feedback, resource and mood check-ins: did the hirer reply (the reply
pasted, turned into plan actions and, when it names one, a dated reminder to apply again; not
yet; no reply, and closing the request), the unsent draft the day after the debrief, the day
to apply again, the takeaway from a resource, a mood score. The typed answers among them are
states of the check-in conversation (conversations.checkin).
"""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.keyboards import keyboard
from bot.services import Services
from bot.storage import GoalRecord
from bot.storage.checkins import CheckIn, NewCheckIn
from coaching.goals import format_deadline
from coaching.kinds import Facts, Kind, days_due
from coaching.replies import Reapply, ReapplyReason, feedback_actions, reapply_date
from conversations.checkin_turn import CheckinTurn, Next, State, Step, reply, typed, when_text
from conversations.plan import drop_draft, is_unsent, long_day, mark_sent

REMIND_AGAIN_DAYS = 30
""""Not yet" to the day to apply again asks once more this many days later."""

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
    actions = feedback_actions(text, services.prompts)
    # A reply pasted again (after "not yet") replaces what the first one gave.
    await services.debriefs.replace_plan_actions(
        rejection_id, "feedback", [(None, a) for a in actions]
    )
    profile = await turn.profile()
    found = reapply_date(text, services.planner.today(profile))
    if found is not None:
        await services.debriefs.save_feedback(
            rejection_id, reapply_on=found.on, reapply_reason=found.reason.value
        )
        await _schedule_reapply(turn, rejection_id, found)
    await services.checkins.answer(turn.checkin.id, "replied")
    await services.checkins.clear_focus(turn.user_id)
    await turn.say(
        "checkin/feedback_saved",
        actions=actions,
        reapply_day=long_day(found.on) if found else None,
        kept_cv=found is not None and found.reason is ReapplyReason.CV_ON_FILE,
    )
    return ConversationHandler.END


async def _schedule_reapply(turn: CheckinTurn, rejection_id: int, found: Reapply) -> None:
    """The "apply again?" check-in on the day the reply named (it replaces one pending)."""
    services = turn.services
    profile = await turn.profile()
    await services.checkins.cancel_pending_of_kind(turn.user_id, Kind.REAPPLY.value)
    if not profile.enabled:
        return
    facts = Facts(services.planner.today(profile), reapply_on=found.on)
    await services.checkins.add(
        [
            NewCheckIn(
                turn.user_id,
                turn.user_id,
                Kind.REAPPLY.value,
                services.planner.due(profile, day),
                day,
                rejection_id=rejection_id,
            )
            for day in days_due(Kind.REAPPLY, facts)
        ]
    )


async def feedback_not_yet(turn: CheckinTurn, value: str) -> Next:
    """No reply yet: ask once more in three business days."""
    if not await turn.take("not_yet"):
        return None
    day = await turn.services.planner.feedback_again(turn.checkin)
    await turn.say(
        "checkin/feedback_again",
        day=format_deadline(day) if day else None,
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


# The unsent draft, the day after ----------------------------------------------------------------


async def draft_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """The draft, while it is drafted and not sent (sent from /plan meanwhile: nothing)."""
    rejection = await services.debriefs.get(checkin.rejection_id or 0)
    if rejection is None:
        return None
    feedback = await services.debriefs.feedback(rejection.id)
    if feedback is None or not is_unsent(feedback):
        return None
    return {
        "company": rejection.company,
        "subject": feedback.subject,
        "body": feedback.body or "",
    }


async def draft_sent(turn: CheckinTurn, value: str) -> Next:
    """Sent after all: record it and schedule the reply follow-up."""
    if not await turn.take("sent") or turn.checkin.rejection_id is None:
        return None
    if await mark_sent(turn.services, turn.checkin.rejection_id):
        await turn.say("plan/draft_sent")
    else:
        await turn.say("plan/draft_settled", status="sent")
    return ConversationHandler.END


async def draft_drop(turn: CheckinTurn, value: str) -> Next:
    """Not sending it: close the request, kindly."""
    if not await turn.take("dropped") or turn.checkin.rejection_id is None:
        return None
    await drop_draft(turn.services, turn.checkin.rejection_id)
    await turn.say("checkin/draft_dropped")
    return ConversationHandler.END


# The day to apply again ------------------------------------------------------------------------


async def reapply_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """The company and why now, while the reply's date is on the plan."""
    rejection = await services.debriefs.get(checkin.rejection_id or 0)
    if rejection is None:
        return None
    feedback = await services.debriefs.feedback(rejection.id)
    if feedback is None or feedback.reapply_on is None:
        return None
    return {
        "company": rejection.company,
        "kept_cv": feedback.reapply_reason == ReapplyReason.CV_ON_FILE.value,
    }


async def reapply_ready(turn: CheckinTurn, value: str) -> Next:
    """Ready to apply again: the first step."""
    if not await turn.take("ready"):
        return None
    rejection = await turn.services.debriefs.get(turn.checkin.rejection_id or 0)
    await turn.say("checkin/reapply_ready", company=rejection.company if rejection else None)
    return ConversationHandler.END


async def reapply_later(turn: CheckinTurn, value: str) -> Next:
    """Not yet: ask again a month later."""
    if not await turn.take("later"):
        return None
    moment = await turn.services.planner.snooze(turn.checkin, REMIND_AGAIN_DAYS)
    when = when_text(turn.services, await turn.profile(), moment) if moment else None
    await turn.say("checkin/reapply_later", when=when)
    return ConversationHandler.END


async def reapply_no(turn: CheckinTurn, value: str) -> Next:
    """Not applying there again: fair enough."""
    if not await turn.take("no"):
        return None
    await turn.say("checkin/reapply_no")
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


resource_skip = reply("skipped", "checkin/resource_skipped")
"""Didn't get to the resource: no pressure."""


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
