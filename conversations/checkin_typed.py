"""Typed replies to a check-in message: "I applied to 4 so far", "didn't read it yet, sorry".

What a typed line most likely answers is the newest check-in sent to the person in the last
`TYPED_REPLY_DAYS` days and not answered, and only when nothing else waits for their words (no
debrief running, no other conversation in a step). `coaching.checkin_replies` reads the line; a
clear reading does exactly what the matching button does ("4 of 5" records the count at once);
an unclear one says so and offers the check-in's buttons again, so the person never gets the
"I'm here for the day after a rejection" answer in the middle of a check-in. Anything else is
declined and reaches the rest of the bot as before (conversations.routing.Declined).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.storage import GoalRecord
from coaching.checkin_replies import Intent, ReplyTo, read_reply
from coaching.deadlines import date_in
from coaching.kinds import RULES, Kind
from coaching.model import GoalKind
from conversations.checkin_compose import answer_keyboard
from conversations.checkin_turn import CheckinTurn
from conversations.flow import readable
from conversations.routing import Declined, StoredConversation

TYPED_REPLY_DAYS = 7

REPLY_TO: dict[Kind, ReplyTo] = {
    Kind.GOAL_MID: ReplyTo.GOAL,
    Kind.GOAL_WEEKLY: ReplyTo.GOAL,
    Kind.GOAL_DEADLINE: ReplyTo.GOAL,
    Kind.GOAL_OVERDUE: ReplyTo.GOAL,
    Kind.FEEDBACK: ReplyTo.FEEDBACK,
    Kind.FEEDBACK_AGAIN: ReplyTo.FEEDBACK,
    Kind.RESOURCE: ReplyTo.RESOURCE,
    Kind.MOOD: ReplyTo.MOOD,
    # Read as yes / not yet / later, with buttons of their own (ANSWERS_OF).
    Kind.FEEDBACK_DRAFT: ReplyTo.GOAL,
    Kind.REAPPLY: ReplyTo.GOAL,
    Kind.INTERVIEW_PREP: ReplyTo.GOAL,
}
# The answer button each reading stands for, per kind of question.
BUTTON_FOR: dict[ReplyTo, dict[Intent, str]] = {
    ReplyTo.GOAL: {
        Intent.DONE: "done",
        Intent.PARTLY: "partly",
        Intent.NOT_YET: "notyet",
        Intent.LATER: "snooze",
    },
    ReplyTo.FEEDBACK: {Intent.REPLIED: "yes", Intent.NOT_YET: "notyet", Intent.NO_REPLY: "noreply"},
    ReplyTo.RESOURCE: {Intent.TOOK_IT_IN: "share", Intent.SKIP: "skip"},
}


# Kinds whose buttons differ from their reading's usual ones.
ANSWERS_OF: dict[Kind, dict[Intent, str]] = {
    Kind.FEEDBACK_DRAFT: {Intent.DONE: "sent"},
    Kind.REAPPLY: {Intent.DONE: "ready", Intent.LATER: "later", Intent.NOT_YET: "later"},
    Kind.INTERVIEW_PREP: {Intent.DONE: "ready"},
}


_MAY_NAME_A_DAY = frozenset({Intent.LATER, Intent.NOT_YET, Intent.UNSURE})
"""Readings whose line may say when instead ("not yet, by Friday", "next week")."""


@dataclass(frozen=True)
class TypedReply:
    """What a typed line answers: the button `value` it stands for (None: unclear), and for a
    goal a `count` of the target done so far, when it said one."""

    value: str | None
    goal: GoalRecord | None = None
    count: int | None = None
    when: date | None = None
    """A day the line named for it ("next week", "by Friday"): ask again then, or, for a goal
    at or past its deadline (or named past it), its new deadline."""


async def read_typed_reply(turn: CheckinTurn, text: str) -> TypedReply:
    """Find the check-in a typed line answers (it becomes `turn.checkin`) and read the line.
    Raises Declined when there is none, or when something else waits for the person's words."""
    services = turn.services
    if StoredConversation.key(turn.update) is None or turn.context.conversation_states:
        raise Declined  # another conversation waits for these words
    if await services.debriefs.in_progress(turn.user_id) is not None:
        raise Declined
    if services.dispatcher is not None:
        await services.dispatcher.recorded_to(turn.chat_id)  # typed as it was being sent
    since = services.clock.now() - timedelta(days=TYPED_REPLY_DAYS)
    checkin = await services.checkins.latest_unanswered(turn.user_id, tuple(REPLY_TO), since)
    if checkin is None:
        raise Declined
    turn.checkin = checkin
    kind = Kind(checkin.kind)
    to = REPLY_TO[kind]
    goal = await turn.goal() if to is ReplyTo.GOAL else None
    target = goal.target if goal is not None and goal.kind != GoalKind.CUSTOM else None
    reading = read_reply(readable(text), to, target)
    if to is not ReplyTo.MOOD and reading.intent in _MAY_NAME_A_DAY:
        profile = await turn.profile()
        when = date_in(readable(text), services.clock.now(), profile.tz)
        if when is not None:
            return TypedReply("later", goal, when=when)
    if to is ReplyTo.MOOD:
        value = str(reading.mood) if reading.intent is Intent.MOOD else None
    else:
        value = ANSWERS_OF.get(kind, BUTTON_FOR[to]).get(reading.intent)
    if value is None or value not in RULES[kind].answers:
        return TypedReply(None)
    if reading.intent is Intent.PARTLY and target is not None and reading.count is not None:
        return TypedReply(value, goal, reading.count)
    return TypedReply(value)


async def offer_buttons_again(turn: CheckinTurn) -> None:
    """An unclear line: say so, and show the check-in's answer buttons again."""
    buttons = RULES[Kind(turn.checkin.kind)].buttons
    await turn.say("checkin/typed_unsure", markup=answer_keyboard(buttons, turn.button))
