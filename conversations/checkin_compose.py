"""Composing check-in messages (for the dispatcher): a kind's template, the values it needs,
and its answer buttons.

A kind's message is described by its `CheckinKindSpec` in the registry
(conversations.checkin_kinds); its buttons by its rule in coaching.kinds. The functions here
read what a template needs from storage, and say None when there is nothing left to ask (the
goal is done, the reply arrived, the takeaway was given).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup

from bot.keyboards import Button, keyboard
from bot.scheduling.dispatcher import Later, Outgoing
from bot.services import Services
from bot.storage.checkins import CheckIn
from coaching.goals import format_deadline
from coaching.kinds import RULES, Buttons, Kind
from coaching.language import set_language
from conversations import crisis
from conversations.checkin_turn import PREFIX, Action, Step, goal_line
from conversations.flow import callback

Values = Callable[[Services, CheckIn], Awaitable[dict[str, object] | None]]
"""What a kind's template needs, read for one check-in; None when there is nothing to ask."""
Message = Callable[[Services, CheckIn], Outgoing]
"""A whole message made elsewhere."""


@dataclass(frozen=True)
class CheckinKindSpec:
    """How one kind of check-in talks to the person: its message and what its answers do.

    Its planning rule and its answer buttons are its `KindRule` (coaching.kinds.RULES).
    """

    template: str
    """The message's template, prompts/<template>.html; rendered with `values`, `folded` (how
    many older check-ins on the subject were folded into this one), `late_days` and `due_day`
    (how many local days after its planned day it goes out, and that day) and `days_since`
    (local days since what it follows up on began: bot.scheduling.planner.Timing)."""
    values: Values
    answers: Mapping[str, Action] = field(default_factory=dict)
    """What each answer button does, by its value (the same values as the rule's buttons)."""
    message: Message | None = None
    """Made elsewhere instead, buttons and all, and answered there (the wellbeing check:
    conversations.crisis)."""

    async def compose(
        self, services: Services, checkin: CheckIn, folded: int
    ) -> Outgoing | Later | None:
        """The message for a due check-in of this kind, None when there is nothing to ask, or
        Later while the person's quiet hours last (a busy hour held it back into them). Each
        row it needs is read once (SqlDebriefRepository.reading_once)."""
        with services.debriefs.reading_once():
            return await self._compose(services, checkin, folded)

    async def _compose(
        self, services: Services, checkin: CheckIn, folded: int
    ) -> Outgoing | Later | None:
        # How late it is and how long ago its subject began: the words must be true when late.
        timing = await services.planner.timing(checkin)
        set_language(timing.language)
        if timing.quiet_until is not None:
            return Later(timing.quiet_until, "held: quiet hours")
        if self.message is not None:
            return self.message(services, checkin)
        values = await self.values(services, checkin)
        if values is None:
            return None
        prompts = services.prompts

        def button(step: Step, value: str, label_key: str) -> Button:
            return prompts.label(label_key), callback(PREFIX, checkin.id, step, value)

        text = prompts.render(
            self.template,
            **values,
            folded=folded,
            late_days=timing.late_days,
            late_minutes=timing.late_minutes,
            due_day=format_deadline(timing.due_on) if timing.due_on else "",
            days_since=timing.days_since,
        )
        return Outgoing(text, answer_keyboard(RULES[Kind(checkin.kind)].buttons, button))


def answer_keyboard(
    buttons: Buttons, button: Callable[[Step, str, str], Button]
) -> InlineKeyboardMarkup:
    """A kind's answer buttons (`Step.ANSWER`), row by row."""
    return keyboard(*([button(Step.ANSWER, a.value, a.label) for a in row] for row in buttons))


# --- What each kind's template needs -----------------------------------------------------------


async def goal_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """The goal, while it is active."""
    goal = await services.debriefs.goal(checkin.goal_id or 0)
    if goal is None or goal.status != "active":
        return None
    return {
        "kind": checkin.kind,
        "goal_kind": goal.kind,
        "goal_line": goal_line(services, goal),
        "progress": goal.progress,
        "target": goal.target,
    }


async def feedback_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """The company and the recipient, while the request is sent and not answered."""
    rejection = await services.debriefs.get(checkin.rejection_id or 0)
    if rejection is None:
        return None
    feedback = await services.debriefs.feedback(rejection.id)
    if feedback is None or feedback.status != "sent":
        return None
    return {
        "again": checkin.kind == Kind.FEEDBACK_AGAIN,
        "company": rejection.company,
        "recipient": feedback.recipient,
    }


async def resource_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """The resource's title, while its takeaway is not given."""
    rejection = await services.debriefs.get(checkin.rejection_id or 0)
    if rejection is None:
        return None
    pick = await services.debriefs.resource_pick(rejection.id)
    if pick is None or pick.takeaway is not None:
        return None
    return {"title": pick.title}


async def mood_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """Nothing, while the debrief is there."""
    rejection = await services.debriefs.get(checkin.rejection_id or 0)
    return None if rejection is None else {}


async def no_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """Nothing at all."""
    return {}


def wellbeing_message(services: Services, checkin: CheckIn) -> Outgoing:
    """The gentle "How are you today?" of conversations.crisis, which answers its buttons."""
    return Outgoing(*crisis.wellbeing_message(services, checkin.id))
