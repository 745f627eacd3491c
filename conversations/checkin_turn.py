"""What every part of the check-in conversation shares: its states, its button steps, `CheckinTurn`
(one update about one check-in), typed-answer steps, and how goals and times read.

The conversation itself is conversations.checkin; see its docstring.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.keyboards import Button
from bot.scheduling.planner import Profile
from bot.services import CoachContext, Services
from bot.storage import GoalRecord
from bot.storage.checkins import CheckIn
from coaching.goals import RetryGoal, describe_goal, format_deadline
from coaching.model import GoalKind
from conversations.flow import Chat, Prefix, callback

PREFIX = Prefix.CHECKIN
TEXT_LIMIT = 2000


class State(StrEnum):
    """What a check-in is waiting for the user to type (or pick)."""

    COUNT = "count"
    FEEDBACK = "feedback"
    TAKEAWAY = "takeaway"
    KIND = "kind"
    CUSTOM = "custom"
    TARGET = "target"
    DEADLINE = "deadline"
    STEP = "step"


class Step(StrEnum):
    """Which set of buttons a press comes from (the third field of the callback data)."""

    ANSWER = "a"
    SNOOZE = "z"
    CHANGE = "g"
    SMALLER = "m"
    NEXT = "n"
    KIND = "k"
    TARGET = "t"
    DEADLINE = "d"
    CLOSE = "f"
    DUE = "u"


Next = State | int | None
"""A handler's result: the next state, END, or None to stay where the conversation is."""


class CheckinTurn(Chat):
    """One update about one check-in of the person talking."""

    checkin: CheckIn

    def button(self, step: Step, value: str, label_key: str, **values: object) -> Button:
        """A button of this check-in."""
        return self.label(label_key, **values), callback(PREFIX, self.checkin.id, step, value)

    async def goal(self) -> GoalRecord | None:
        """The goal this check-in is about."""
        if self.checkin.goal_id is None:
            return None
        return await self.services.debriefs.goal(self.checkin.goal_id)

    async def profile(self) -> Profile:
        """The user's check-in preferences."""
        user = await self.ensure_user()
        return self.services.planner.profile_of(user)

    async def refuse(self) -> Next:
        """Say kindly why this button no longer acts (answered, replaced, expired); act never."""
        notice = {"answered": "answered", "superseded": "superseded"}.get(
            self.checkin.status, "expired"
        )
        await self.acknowledge(self.label(f"checkin.{notice}"), keep_buttons=True)
        if not await self.is_double_tap():  # a double tap's first press already answered
            await self.say(f"checkin/{notice}")
        return None

    async def refuse_as_expired(self) -> Next:
        """Refuse a button whose moment has passed (or that was never offered) as expired."""
        self.checkin = replace(self.checkin, status="expired")
        return await self.refuse()

    async def take(self, answer: str) -> bool:
        """Record the answer if the check-in is still open; False (and a kind refusal) if not."""
        if await self.services.checkins.answer(self.checkin.id, answer, self.update.update_id):
            await self.acknowledge()
            return True
        await self.reload()
        await self.refuse()
        return False

    async def follow(self, expected: str, answer: str) -> bool:
        """Move a follow-up answer on; False (and a kind refusal) if it already moved."""
        if await self.services.checkins.follow_up(self.checkin.id, expected, answer):
            await self.acknowledge()
            return True
        await self.acknowledge(self.label("checkin.answered"), keep_buttons=True)
        await self.say("checkin/answered")
        return False

    async def reload(self) -> None:
        """Re-read the check-in."""
        found = await self.services.checkins.get(self.checkin.id)
        if found is not None:
            self.checkin = found


Action = Callable[[CheckinTurn, str], Awaitable[Next]]
"""What a button press does, given its value."""


def reply(answer: str, template: str) -> Action:
    """An answer recorded as `answer` and answered with `template`, and nothing more."""

    async def action(turn: CheckinTurn, value: str) -> Next:
        if not await turn.take(answer):
            return None
        await turn.say(template)
        return ConversationHandler.END

    action.__doc__ = f"Record {answer!r}, answer with {template}."
    return action


# --- Typed answers ----------------------------------------------------------------------------


Typed = Callable[[CheckinTurn, GoalRecord | None, str], Awaitable[Next]]
Handler = Callable[[Update, CoachContext], Coroutine[Any, Any, object]]


def typed(state: State) -> Callable[[Typed], Handler]:
    """A text step: find the check-in being answered, check the length (the words were
    screened before any flow saw them: conversations.crisis)."""

    def wrap(step: Typed) -> Handler:
        async def handler(update: Update, context: CoachContext) -> object:
            turn = CheckinTurn(update, context)
            focus = await context.services.checkins.focus(turn.user_id)
            checkin = await context.services.checkins.get(focus.checkin_id) if focus else None
            if focus is None or checkin is None:
                await turn.say("checkin/nothing_open")
                return ConversationHandler.END
            turn.checkin = checkin
            text = (turn.text or "").strip()
            if not text:
                await turn.say("common/need_text")
                return state
            if len(text) > TEXT_LIMIT:
                await turn.say("common/too_long", limit=TEXT_LIMIT, length=len(text))
                return state
            goal = await context.services.debriefs.goal(focus.goal_id) if focus.goal_id else None
            return await step(turn, goal, text)

        handler.__doc__ = step.__doc__
        handler.__name__ = step.__name__
        return handler

    return wrap


# --- How goals and times read -----------------------------------------------------------------


def goal_line(services: Services, goal: GoalRecord) -> str:
    """The goal in one plain line, e.g. "Do 3 mock interviews by Tue 15 Dec"."""
    try:
        kind = GoalKind(goal.kind)
        if goal.deadline is None:
            raise ValueError("no deadline")
        retry = RetryGoal(
            kind=kind,
            target=None if kind is GoalKind.CUSTOM else goal.target,
            custom_text=goal.custom_text,
            deadline=goal.deadline,
        )
    except ValueError:
        return goal.custom_text or services.prompts.label(f"goal.{goal.kind}")
    return describe_goal(retry, services.prompts)


def when_text(services: Services, profile: Profile, moment: datetime) -> str:
    """A due time as the user reads it: "Tue 1 Dec, 18:00" in their zone."""
    local = moment.astimezone(profile.tz)
    day = format_deadline(local.date())
    return f"{day}, {local:%H:%M}"
