"""Follow-up check-ins: answering the messages the dispatcher sends.

Every check-in message carries buttons whose callback data names the check-in ("c:<id>:..."),
so an answer days later still finds it; a press is checked against the check-in's owner and
status, and a superseded or already answered check-in says so and never acts. Typed answers
("how many of 3?", the hirer's reply, a takeaway, a new goal) are conversation states; which
check-in they answer is kept in the database (`checkin_focus`), so a restart loses nothing.
See docs/flows/checkin.mmd.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.keyboards import Button, keyboard
from bot.redelivery import hand_back
from bot.scheduling.dispatcher import Compose, Outgoing
from bot.scheduling.planner import Profile
from bot.services import CoachContext, Services
from bot.storage import GoalRecord
from bot.storage.checkins import CheckIn
from coaching.deadlines import DeadlineError, parse_deadline
from coaching.goals import (
    RetryGoal,
    TargetError,
    describe_goal,
    format_deadline,
    parse_target,
    smaller_goal,
)
from coaching.kinds import Kind
from coaching.model import GoalKind
from coaching.replies import feedback_actions
from conversations import crisis
from conversations.flow import Chat, callback, parse_callback, persisted_conversation

_LOGGER = logging.getLogger(__name__)

PREFIX = "c"
TEXT_LIMIT = 2000
NOT_YET_BEFORE_SMALLER = 2
SNOOZE_DAYS = ("1", "3")
DEADLINE_BUTTONS = {"7": "1 week", "14": "2 weeks", "30": "1 month"}
TARGET_SUGGESTIONS = {
    "apply": (3, 5, 10),
    "mock_interviews": (1, 2, 3),
    "practice_problems": (5, 10, 20),
    "course_module": (1, 2, 3),
}


class State(StrEnum):
    """What a check-in is waiting for the user to type (or pick)."""

    COUNT = "count"
    FEEDBACK = "feedback"
    TAKEAWAY = "takeaway"
    KIND = "kind"
    CUSTOM = "custom"
    TARGET = "target"
    DEADLINE = "deadline"


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


Next = State | int | None
"""A handler's result: the next state, END, or None to stay where the conversation is."""


class Turn(Chat):
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


# --- Composing the check-in messages (called by the dispatcher) -----------------------------


def composer(services: Services) -> Compose:
    """The dispatcher's renderer of check-in messages."""

    async def compose(checkin: CheckIn, folded: int) -> Outgoing | None:
        return await compose_checkin(services, checkin, folded)

    return compose


async def compose_checkin(services: Services, checkin: CheckIn, folded: int) -> Outgoing | None:
    """The message for a due check-in, or None when there is nothing left to ask."""
    kind = Kind(checkin.kind)
    prompts = services.prompts

    def button(step: Step, value: str, label_key: str) -> Button:
        return prompts.label(label_key), callback(PREFIX, checkin.id, step, value)

    if kind is Kind.WELLBEING:
        return Outgoing(*crisis.wellbeing_message(services, checkin.id))
    if kind.is_goal:
        goal = await services.debriefs.goal(checkin.goal_id or 0)
        if goal is None or goal.status != "active":
            return None
        text = prompts.render(
            "checkin/goal",
            kind=kind.value,
            goal_line=goal_line(services, goal),
            progress=goal.progress,
            target=goal.target,
            folded=folded,
        )
        return Outgoing(text, goal_keyboard(button))
    rejection = await services.debriefs.get(checkin.rejection_id or 0)
    if rejection is None:
        return None
    if kind in (Kind.FEEDBACK, Kind.FEEDBACK_AGAIN):
        feedback = await services.debriefs.feedback(rejection.id)
        if feedback is None or feedback.status != "sent":
            return None
        rows = [[button(Step.ANSWER, "yes", "checkin.replied")]]
        if kind is Kind.FEEDBACK:
            rows.append([button(Step.ANSWER, "notyet", "checkin.not_yet_reply")])
        rows.append([button(Step.ANSWER, "noreply", "checkin.no_reply")])
        text = prompts.render(
            "checkin/feedback",
            again=kind is Kind.FEEDBACK_AGAIN,
            company=rejection.company,
            recipient=feedback.recipient,
            folded=folded,
        )
        return Outgoing(text, keyboard(*rows))
    if kind is Kind.RESOURCE:
        pick = await services.debriefs.resource_pick(rejection.id)
        if pick is None or pick.takeaway is not None:
            return None
        text = prompts.render("checkin/resource", title=pick.title, folded=folded)
        return Outgoing(
            text,
            keyboard(
                [button(Step.ANSWER, "share", "checkin.share")],
                [button(Step.ANSWER, "skip", "checkin.skip_resource")],
            ),
        )
    text = prompts.render("checkin/mood", folded=folded)
    moods = [button(Step.ANSWER, str(n), f"mood.m{n}") for n in range(1, 6)]
    return Outgoing(text, keyboard(moods))


def goal_keyboard(button: Callable[[Step, str, str], Button]) -> InlineKeyboardMarkup:
    """Done / partly / not yet / snooze / change the goal."""
    return keyboard(
        [
            button(Step.ANSWER, "done", "checkin.done"),
            button(Step.ANSWER, "partly", "checkin.partly"),
        ],
        [
            button(Step.ANSWER, "notyet", "checkin.not_yet"),
            button(Step.ANSWER, "snooze", "checkin.snooze"),
        ],
        [button(Step.ANSWER, "change", "checkin.change")],
    )


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
    day = format_deadline(local.date(), services.prompts)
    return f"{day}, {local:%H:%M}"


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
    turn = Turn(update, context)
    turn.checkin = checkin
    handler = _BUTTONS.get(press.step)
    if handler is None:
        turn.checkin = _as_expired(checkin)
        return await turn.refuse()
    return await handler(turn, press.value)


def _as_expired(checkin: CheckIn) -> CheckIn:
    """A copy that reads as expired, for buttons whose moment has passed."""
    return replace(checkin, status="expired")


async def on_answer(turn: Turn, value: str) -> Next:
    """The first answer to a check-in message (or the same press handled again after a crash:
    it goes on to what the answer leads to, `take` recognises it)."""
    again = turn.checkin.status == "answered" and turn.checkin.answer == value
    # 'claimed': its message went out (its button was pressed), the send not yet recorded.
    if turn.checkin.status not in ("sent", "claimed") and not again:
        return await turn.refuse()
    kind = Kind(turn.checkin.kind)
    if kind.is_goal:
        goal_answers = {
            "done": _goal_done,
            "partly": _goal_partly,
            "notyet": _goal_not_yet,
            "snooze": _snooze_menu,
            "change": _change_menu,
        }
        action = goal_answers.get(value)
    elif kind in (Kind.FEEDBACK, Kind.FEEDBACK_AGAIN):
        action = {"yes": _feedback_yes, "notyet": _feedback_not_yet, "noreply": _feedback_none}.get(
            value
        )
    elif kind is Kind.RESOURCE:
        action = {"share": _takeaway_ask, "skip": _resource_skip}.get(value)
    else:
        action = _mood if value in {"1", "2", "3", "4", "5"} else None
    if action is None or (kind is Kind.FEEDBACK_AGAIN and value == "notyet"):
        turn.checkin = _as_expired(turn.checkin)
        return await turn.refuse()
    return await action(turn, value)


# Goal check-ins -----------------------------------------------------------------------------


async def _goal_done(turn: Turn, value: str) -> Next:
    """Done: mark the goal done, celebrate, offer the next one."""
    goal = await turn.goal()
    if goal is None:
        return await turn.refuse()
    if not await turn.take("done"):
        return None
    await _celebrate(turn, goal)
    return ConversationHandler.END


async def _celebrate(turn: Turn, goal: GoalRecord) -> None:
    """Mark the goal done and offer the next one."""
    await turn.services.checkins.finish_goal(goal.id, goal.target)
    await turn.services.checkins.clear_focus(turn.user_id)
    await turn.say(
        "checkin/done",
        goal_line=goal_line(turn.services, goal),
        markup=keyboard(
            [turn.button(Step.NEXT, "next", "checkin.next_goal")],
            [turn.button(Step.NEXT, "rest", "checkin.rest")],
        ),
    )


async def _goal_partly(turn: Turn, value: str) -> Next:
    """Partly: ask how many of N (a custom goal just gets encouragement)."""
    goal = await turn.goal()
    if goal is None:
        return await turn.refuse()
    if goal.target is None or goal.kind == GoalKind.CUSTOM:
        if not await turn.take("partly"):
            return None
        await turn.say("checkin/partly_custom")
        return ConversationHandler.END
    await turn.acknowledge()
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal.id)
    await turn.say("checkin/ask_count", target=goal.target, progress=goal.progress)
    return State.COUNT


async def _goal_not_yet(turn: Turn, value: str) -> Next:
    """Not yet: count it; from the second one on, suggest a smaller goal."""
    goal = await turn.goal()
    if goal is None:
        return await turn.refuse()
    if not await turn.take("not_yet"):
        return None
    count = await turn.services.checkins.count_not_yet(goal.id)
    smaller = _smaller(goal)
    if count >= NOT_YET_BEFORE_SMALLER and smaller is not None:
        await turn.services.checkins.follow_up(turn.checkin.id, "not_yet", "not_yet:suggested")
        await turn.say(
            "checkin/suggest_smaller",
            goal_line=goal_line(turn.services, goal),
            smaller_line=goal_line(turn.services, smaller),
            markup=keyboard(
                [turn.button(Step.SMALLER, "accept", "checkin.smaller_yes")],
                [turn.button(Step.SMALLER, "keep", "checkin.smaller_no")],
            ),
        )
    else:
        await turn.say("checkin/not_yet", count=count)
    return ConversationHandler.END


def _smaller(goal: GoalRecord) -> GoalRecord | None:
    """The goal with about half the target, or None when it cannot get smaller."""
    if goal.target is None or goal.deadline is None or goal.kind == GoalKind.CUSTOM:
        return None
    retry = smaller_goal(RetryGoal(GoalKind(goal.kind), goal.target, None, goal.deadline))
    if retry.target is None or retry.target >= goal.target:
        return None
    return replace(goal, target=retry.target)


async def on_smaller(turn: Turn, value: str) -> Next:
    """Accept the smaller goal, or keep the current one."""
    if value not in ("accept", "keep"):
        turn.checkin = _as_expired(turn.checkin)
        return await turn.refuse()
    goal = await turn.goal()
    if goal is None:
        return await turn.refuse()
    if not await turn.follow("not_yet:suggested", f"not_yet:{value}"):
        return None
    smaller = _smaller(goal)
    if value == "accept" and smaller is not None and goal.status == "active":
        await turn.services.debriefs.update_goal(goal.id, target=smaller.target, not_yet_count=0)
        await turn.say("checkin/smaller_accepted", goal_line=goal_line(turn.services, smaller))
    else:
        await turn.services.debriefs.update_goal(goal.id, not_yet_count=0)
        await turn.say("checkin/goal_kept", goal_line=goal_line(turn.services, goal))
    return ConversationHandler.END


async def _snooze_menu(turn: Turn, value: str) -> Next:
    """Snooze: swap the buttons for 1 day / 3 days / back."""
    await turn.acknowledge(keep_buttons=True)
    await turn.edit_buttons(
        keyboard(
            [
                turn.button(Step.SNOOZE, "1", "checkin.snooze_1"),
                turn.button(Step.SNOOZE, "3", "checkin.snooze_3"),
            ],
            [turn.button(Step.SNOOZE, "back", "checkin.back")],
        )
    )
    return None


async def on_snooze(turn: Turn, value: str) -> Next:
    """Snooze for one or three days, or go back to the answers."""
    if turn.checkin.status != "sent":
        return await turn.refuse()
    if value == "back":
        return await _back_to_answers(turn)
    if value not in SNOOZE_DAYS:
        turn.checkin = _as_expired(turn.checkin)
        return await turn.refuse()
    if not await turn.take(f"snoozed:{value}"):
        return None
    due = await turn.services.planner.snooze(turn.checkin, int(value))
    if due is not None:
        profile = await turn.profile()
        await turn.say("checkin/snoozed", when=when_text(turn.services, profile, due))
    return ConversationHandler.END


async def _back_to_answers(turn: Turn) -> Next:
    """Back: the check-in's own answer buttons again."""
    await turn.acknowledge(keep_buttons=True)
    await turn.edit_buttons(goal_keyboard(lambda s, v, k: turn.button(s, v, k)))
    return None


async def _change_menu(turn: Turn, value: str) -> Next:
    """Change the goal: swap the buttons for number / deadline / back."""
    goal = await turn.goal()
    if goal is None:
        return await turn.refuse()
    await turn.acknowledge(keep_buttons=True)
    options = [turn.button(Step.CHANGE, "deadline", "checkin.change_deadline")]
    if goal.kind != GoalKind.CUSTOM and goal.target is not None:
        options.insert(0, turn.button(Step.CHANGE, "target", "checkin.change_target"))
    await turn.edit_buttons(keyboard(options, [turn.button(Step.CHANGE, "back", "checkin.back")]))
    return None


async def on_change(turn: Turn, value: str) -> Next:
    """Change the number or the deadline of the goal, or go back to the answers."""
    if turn.checkin.status != "sent":
        return await turn.refuse()
    if value == "back":
        return await _back_to_answers(turn)
    goal = await turn.goal()
    if goal is None or value not in ("target", "deadline"):
        turn.checkin = _as_expired(turn.checkin)
        return await turn.refuse()
    await turn.acknowledge()
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal.id)
    if value == "target":
        return await _ask_target(turn, goal, new=False)
    return await _ask_deadline(turn, new=False)


# The next goal, after one is done ----------------------------------------------------------


async def on_next(turn: Turn, value: str) -> Next:
    """After a goal is done: set the next one, or rest."""
    if value not in ("next", "rest") or not await turn.follow("done", f"done:{value}"):
        return None
    if value == "rest":
        await turn.say("checkin/rest")
        return ConversationHandler.END
    buttons = [turn.button(Step.KIND, k.value, f"goal.{k.value}") for k in GoalKind]
    await turn.say("checkin/next_kind", markup=keyboard(*([b] for b in buttons)))
    return State.KIND


async def on_kind(turn: Turn, value: str) -> Next:
    """The kind of the next goal."""
    if turn.checkin.answer != "done:next" or value not in GoalKind.__members__.values():
        return await turn.refuse()
    await turn.acknowledge()
    goal_id = await turn.services.checkins.new_goal(turn.user_id, value)
    await turn.services.checkins.follow_up(turn.checkin.id, "done:next", "done:drafting")
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal_id)
    if value == GoalKind.CUSTOM:
        await turn.say("checkin/next_custom")
        return State.CUSTOM
    goal = await turn.services.debriefs.goal(goal_id)
    assert goal is not None
    return await _ask_target(turn, goal, new=True)


async def _ask_target(turn: Turn, goal: GoalRecord, new: bool) -> Next:
    """Ask for the goal's number (suggestions as buttons)."""
    suggestions = TARGET_SUGGESTIONS.get(goal.kind, (1, 3, 5))
    buttons = [turn.button(Step.TARGET, str(n), "checkin.number", number=n) for n in suggestions]
    await turn.say(
        "checkin/ask_target",
        new=new,
        kind=goal.kind,
        target=goal.target,
        markup=keyboard(buttons),
    )
    return State.TARGET


async def _ask_deadline(turn: Turn, new: bool) -> Next:
    """Ask for the goal's deadline (1 week, 2 weeks, a month, or typed)."""
    buttons = [
        turn.button(Step.DEADLINE, "7", "deadline.week"),
        turn.button(Step.DEADLINE, "14", "deadline.two_weeks"),
        turn.button(Step.DEADLINE, "30", "deadline.month"),
    ]
    await turn.say("checkin/ask_deadline", new=new, markup=keyboard(buttons))
    return State.DEADLINE


# --- Typed answers ----------------------------------------------------------------------------


Typed = Callable[[Turn, GoalRecord | None, str], Awaitable[Next]]
Handler = Callable[[Update, CoachContext], Coroutine[Any, Any, object]]


def typed(state: State) -> Callable[[Typed], Handler]:
    """A text step: find the check-in being answered, check the length (the words were
    screened before any flow saw them: conversations.crisis)."""

    def wrap(step: Typed) -> Handler:
        async def handler(update: Update, context: CoachContext) -> object:
            turn = Turn(update, context)
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


@typed(State.COUNT)
async def on_count(turn: Turn, goal: GoalRecord | None, text: str) -> Next:
    """How many of N are done so far."""
    if goal is None or goal.target is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    count = _parse_count(text)
    if count is None:
        await turn.say("checkin/count_error", target=goal.target)
        return State.COUNT
    await turn.services.checkins.clear_focus(turn.user_id)
    if count >= goal.target:
        await turn.services.checkins.answer(turn.checkin.id, "done")
        await _celebrate(turn, goal)
        return ConversationHandler.END
    await turn.services.checkins.answer(turn.checkin.id, f"partly:{count}")
    await turn.services.debriefs.update_goal(goal.id, progress=count)
    await turn.say("checkin/progress_saved", progress=count, target=goal.target)
    return ConversationHandler.END


def _parse_count(text: str) -> int | None:
    """A count of 0 or more from digits or a small number word; None if it is not one."""
    if text.strip().casefold() in ("0", "zero", "none", "nothing"):
        return 0
    try:
        return parse_target(text)
    except TargetError as exc:
        return 100 if exc.reason == "too_big" else None


@typed(State.TARGET)
async def on_target_text(turn: Turn, goal: GoalRecord | None, text: str) -> Next:
    """A typed number for a changed or a new goal."""
    return await _save_target(turn, goal, text)


async def on_target_button(turn: Turn, value: str) -> Next:
    """A suggested number for a changed or a new goal."""
    focus = await turn.services.checkins.focus(turn.user_id)
    if focus is None or focus.checkin_id != turn.checkin.id or focus.goal_id is None:
        return await turn.refuse()
    await turn.acknowledge()
    return await _save_target(turn, await turn.services.debriefs.goal(focus.goal_id), value)


async def _save_target(turn: Turn, goal: GoalRecord | None, raw: str) -> Next:
    """Save a number: a changed goal is done, a new one goes on to its deadline."""
    if goal is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    try:
        target = parse_target(raw)
    except TargetError as exc:
        await turn.say("checkin/target_error", reason=exc.reason)
        return State.TARGET
    await turn.services.debriefs.update_goal(goal.id, target=target)
    if goal.status == "draft":
        return await _ask_deadline(turn, new=True)
    await turn.services.checkins.answer(turn.checkin.id, "changed:target")
    await turn.services.checkins.clear_focus(turn.user_id)
    changed = await turn.services.debriefs.goal(goal.id)
    assert changed is not None
    await turn.say("checkin/goal_changed", goal_line=goal_line(turn.services, changed))
    return ConversationHandler.END


@typed(State.CUSTOM)
async def on_custom(turn: Turn, goal: GoalRecord | None, text: str) -> Next:
    """The words of a custom next goal."""
    if goal is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    await turn.services.debriefs.update_goal(goal.id, custom_text=text[:500])
    return await _ask_deadline(turn, new=True)


@typed(State.DEADLINE)
async def on_deadline_text(turn: Turn, goal: GoalRecord | None, text: str) -> Next:
    """A typed deadline for a changed or a new goal."""
    return await _save_deadline(turn, goal, text)


async def on_deadline_button(turn: Turn, value: str) -> Next:
    """1 week, 2 weeks or a month."""
    focus = await turn.services.checkins.focus(turn.user_id)
    if (
        focus is None
        or focus.checkin_id != turn.checkin.id
        or focus.goal_id is None
        or value not in DEADLINE_BUTTONS
    ):
        return await turn.refuse()
    await turn.acknowledge()
    goal = await turn.services.debriefs.goal(focus.goal_id)
    return await _save_deadline(turn, goal, DEADLINE_BUTTONS[value])


async def _save_deadline(turn: Turn, goal: GoalRecord | None, raw: str) -> Next:
    """Save a deadline: activate a new goal or update a changed one; plan its check-ins."""
    if goal is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    profile = await turn.profile()
    try:
        deadline = parse_deadline(raw, turn.services.clock.now(), profile.tz)
    except DeadlineError as exc:
        await turn.say("checkin/deadline_error", reason=exc.reason)
        return State.DEADLINE
    await turn.services.debriefs.update_goal(goal.id, deadline=deadline)
    if goal.status == "draft":
        previous = await turn.goal()
        await turn.services.checkins.activate_goal(
            goal.id, previous.rejection_id if previous else None
        )
        await turn.services.checkins.follow_up(turn.checkin.id, "done:drafting", "done:next_set")
        template = "checkin/next_set"
    else:
        await turn.services.checkins.answer(turn.checkin.id, "changed:deadline")
        template = "checkin/goal_changed"
    await turn.services.checkins.clear_focus(turn.user_id)
    saved = await turn.services.debriefs.goal(goal.id)
    assert saved is not None
    first = await turn.services.planner.schedule_goal(saved)
    await turn.say(
        template,
        goal_line=goal_line(turn.services, saved),
        first_day=format_deadline(first, turn.services.prompts) if first else None,
    )
    return ConversationHandler.END


# Feedback follow-up -------------------------------------------------------------------------


async def _feedback_yes(turn: Turn, value: str) -> Next:
    """They replied: ask for the reply, pasted."""
    await turn.acknowledge()
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id)
    await turn.say("checkin/feedback_paste")
    return State.FEEDBACK


@typed(State.FEEDBACK)
async def on_feedback_text(turn: Turn, goal: GoalRecord | None, text: str) -> Next:
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


async def _feedback_not_yet(turn: Turn, value: str) -> Next:
    """No reply yet: ask once more in three business days."""
    if not await turn.take("not_yet"):
        return None
    day = await turn.services.planner.feedback_again(turn.checkin)
    await turn.say(
        "checkin/feedback_again",
        day=format_deadline(day, turn.services.prompts) if day else None,
    )
    return ConversationHandler.END


async def _feedback_none(turn: Turn, value: str) -> Next:
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


async def on_close(turn: Turn, value: str) -> Next:
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


async def _takeaway_ask(turn: Turn, value: str) -> Next:
    """Ask for the takeaway from the resource."""
    pick = await turn.services.debriefs.resource_pick(turn.checkin.rejection_id or 0)
    if pick is None:
        return await turn.refuse()
    await turn.acknowledge()
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id)
    await turn.say("checkin/takeaway_ask", title=pick.title)
    return State.TAKEAWAY


@typed(State.TAKEAWAY)
async def on_takeaway(turn: Turn, goal: GoalRecord | None, text: str) -> Next:
    """What the user took away from their resource."""
    if turn.checkin.rejection_id is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    await turn.services.debriefs.set_resource_takeaway(turn.checkin.rejection_id, text)
    await turn.services.checkins.answer(turn.checkin.id, "takeaway")
    await turn.services.checkins.clear_focus(turn.user_id)
    await turn.say("checkin/takeaway_saved")
    return ConversationHandler.END


async def _resource_skip(turn: Turn, value: str) -> Next:
    """Didn't get to the resource: no pressure."""
    if not await turn.take("skipped"):
        return None
    await turn.say("checkin/resource_skipped")
    return ConversationHandler.END


async def _mood(turn: Turn, value: str) -> Next:
    """A mood score from the gentle mood check."""
    if not await turn.take(f"mood:{value}"):
        return None
    score = int(value)
    await turn.services.debriefs.record_mood(
        turn.user_id, score, "checkin", turn.checkin.rejection_id
    )
    await turn.say("checkin/mood_reply", score=score)
    return ConversationHandler.END


_BUTTONS: dict[str, Callable[[Turn, str], Awaitable[Next]]] = {
    Step.ANSWER: on_answer,
    Step.SNOOZE: on_snooze,
    Step.CHANGE: on_change,
    Step.SMALLER: on_smaller,
    Step.NEXT: on_next,
    Step.KIND: on_kind,
    Step.CLOSE: on_close,
}


async def _step_button(
    update: Update, context: CoachContext, step: Callable[[Turn, str], Awaitable[Next]]
) -> object:
    """Run a state's own button step for the presser's check-in (else the general route)."""
    chat = Chat(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    checkin = await context.services.checkins.get(press.owner) if press else None
    if press is None or checkin is None or checkin.user_id != chat.user_id:
        return await on_button(update, context)
    turn = Turn(update, context)
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


async def on_presence(update: Update, context: CoachContext) -> None:
    """Before anything else: a user who had blocked the bot and writes again gets their check-ins
    back; one who blocks it loses the pending ones."""
    member = update.my_chat_member
    user = update.effective_user
    if user is None or update.effective_chat is None or update.effective_chat.type != "private":
        return
    services = context.services
    if member is not None and member.new_chat_member.status == "kicked":
        await services.users.set_active(user.id, False)
        cancelled = await services.checkins.cancel_pending_for_user(user.id)
        _LOGGER.info("User %s blocked the bot; cancelled %d check-ins", user.id, cancelled)
        return
    known = await services.users.get(user.id)
    if known is None or known.active:
        return
    await services.users.set_active(user.id, True)
    restored = await services.planner.restore_user(user.id)
    _LOGGER.info("User %s is back; rescheduled %d goal check-ins", user.id, restored)


def build_handler() -> ConversationHandler[CoachContext]:
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
        entry_points=[buttons],
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


def presence_handler() -> BaseHandler[Update, CoachContext, None]:
    """The handler of `on_presence`, for a group that runs before the conversations."""
    return TypeHandler(Update, on_presence)
