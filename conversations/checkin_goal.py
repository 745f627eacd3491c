"""Answers to goal check-ins: done, partly ("how many of 3?"), not yet (a smaller goal from
the second one on), snooze, change the number or the deadline; and the next goal after one is
done (its kind, number and deadline). The typed answers among them are states of the check-in
conversation (conversations.checkin).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from telegram.ext import ConversationHandler

from bot.keyboards import keyboard
from bot.storage import GoalRecord
from coaching.deadlines import DeadlineError, parse_deadline
from coaching.goals import (
    RetryGoal,
    TargetError,
    format_deadline,
    parse_target,
    read_goal,
    smaller_goal,
)
from coaching.kinds import RULES, Kind
from coaching.model import GoalKind
from conversations import outcome
from conversations.checkin_compose import answer_keyboard
from conversations.checkin_turn import CheckinTurn, Next, State, Step, goal_line, typed, when_text

NOT_YET_BEFORE_SMALLER = 2
SNOOZE_DAYS = ("1", "3")
DEADLINE_BUTTONS = {"7": "1 week", "14": "2 weeks", "30": "1 month"}
TARGET_SUGGESTIONS = {
    "apply": (3, 5, 10),
    "mock_interviews": (1, 2, 3),
    "practice_problems": (5, 10, 20),
    "course_module": (1, 2, 3),
    "interview": (1, 2, 3),
}

# Goal check-ins -----------------------------------------------------------------------------


async def goal_done(turn: CheckinTurn, value: str) -> Next:
    """Done: mark the goal done, celebrate, offer the next one."""
    goal = await turn.goal()
    if goal is None:
        return await turn.refuse()
    if not await turn.take("done"):
        return None
    await _celebrate(turn, goal)
    return ConversationHandler.END


async def _celebrate(turn: CheckinTurn, goal: GoalRecord) -> None:
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


async def goal_news(turn: CheckinTurn, value: str) -> Next:
    """Good news to record: the /outcome menu; the check-in stays open."""
    await turn.acknowledge(keep_buttons=True)
    await outcome.show_menu(turn)
    return None


async def goal_partly(turn: CheckinTurn, value: str) -> Next:
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


async def goal_not_yet(turn: CheckinTurn, value: str) -> Next:
    """Not yet: count it; from the second one on, suggest a smaller goal."""
    goal = await turn.goal()
    if goal is None:
        return await turn.refuse()
    if not await turn.take("not_yet"):
        return None
    count = await turn.services.checkins.count_not_yet(goal.id)
    if await _deadline_reached(turn, goal):
        await _offer_deadline_choices(turn, goal, "checkin/deadline_choices")
        return ConversationHandler.END
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
        return ConversationHandler.END
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal.id)
    await turn.say("checkin/not_yet", count=count)
    return State.STEP


async def _deadline_reached(turn: CheckinTurn, goal: GoalRecord) -> bool:
    """Whether the goal's deadline is today or past, where the person is."""
    if goal.deadline is None:
        return False
    return goal.deadline <= turn.services.planner.today(await turn.profile())


async def _offer_deadline_choices(
    turn: CheckinTurn, goal: GoalRecord, template: str, count: int | None = None
) -> None:
    """At or past the deadline, not done: a new date, a smaller goal, or close it (and, after
    a count, counting the goal as partly done)."""
    rows = []
    if count is not None:
        rows.append(
            [turn.button(Step.DUE, "count", "checkin.count_it", progress=count, target=goal.target)]
        )
    choices = [turn.button(Step.DUE, "date", "checkin.new_date")]
    if _smaller(goal) is not None:
        choices.append(turn.button(Step.DUE, "smaller", "checkin.smaller_goal"))
    rows += [choices, [turn.button(Step.DUE, "close", "checkin.close_goal")]]
    await turn.say(
        template,
        goal_line=goal_line(turn.services, goal),
        progress=count if count is not None else goal.progress,
        target=goal.target,
        markup=keyboard(*rows),
    )


# A goal at or past its deadline: what the person chose ---------------------------------------

DUE_AFTER = ("not_yet", "partly:")
"""The answers a deadline choice follows (the choice buttons come after them)."""
NEXT_AFTER = frozenset({"done", "due:close"})
"""The answers after which "Set my next goal" works."""


async def _settle(turn: CheckinTurn, choice: str) -> bool:
    """Record a deadline choice: the first answer to an overdue reminder, or the follow-up of
    "not yet" / a count at the deadline; False (and a kind refusal) when it was settled."""
    if turn.checkin.status in ("sent", "claimed") or (
        turn.checkin.status == "answered" and turn.checkin.answer == f"due:{choice}"
    ):
        return await turn.take(f"due:{choice}")
    current = turn.checkin.answer or ""
    if current.startswith(DUE_AFTER):
        return await turn.follow(current, f"due:{choice}")
    await turn.refuse()
    return False


async def on_due(turn: CheckinTurn, value: str) -> Next:
    """A deadline choice from the buttons after "not yet" or a count."""
    action = DUE_CHOICES.get(value)
    if action is None:
        return await turn.refuse_as_expired()
    return await action(turn, value)


async def due_new_date(turn: CheckinTurn, value: str) -> Next:
    """A new date for the same goal."""
    goal = await turn.goal()
    if goal is None or goal.status != "active":
        return await turn.refuse()
    if not await _settle(turn, "date"):
        return None
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal.id)
    return await _ask_deadline(turn, new=False)


async def due_smaller(turn: CheckinTurn, value: str) -> Next:
    """About half the number, and a new date for it."""
    goal = await turn.goal()
    smaller = _smaller(goal) if goal is not None and goal.status == "active" else None
    if goal is None or smaller is None:
        return await turn.refuse()
    if not await _settle(turn, "smaller"):
        return None
    await turn.services.debriefs.update_goal(goal.id, target=smaller.target, not_yet_count=0)
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal.id)
    await turn.say("checkin/due_smaller", target=smaller.target, before=goal.target)
    return await _ask_deadline(turn, new=False)


async def due_close(turn: CheckinTurn, value: str) -> Next:
    """Close the goal: the person decided; offer the next one."""
    goal = await turn.goal()
    if goal is None or goal.status != "active":
        return await turn.refuse()
    if not await _settle(turn, "close"):
        return None
    await turn.services.checkins.finish_goal(goal.id, None, status="abandoned")
    await turn.services.checkins.clear_focus(turn.user_id)
    await turn.say(
        "checkin/goal_closed",
        goal_line=goal_line(turn.services, goal),
        markup=keyboard(
            [turn.button(Step.NEXT, "next", "checkin.next_goal")],
            [turn.button(Step.NEXT, "rest", "checkin.rest")],
        ),
    )
    return ConversationHandler.END


async def due_count(turn: CheckinTurn, value: str) -> Next:
    """Count the goal as partly done, with the number reached."""
    goal = await turn.goal()
    if goal is None or goal.status != "active":
        return await turn.refuse()
    if not await _settle(turn, "count"):
        return None
    await turn.services.checkins.finish_goal(goal.id, None)
    await turn.services.checkins.clear_focus(turn.user_id)
    await turn.say(
        "checkin/partly_done",
        goal_line=goal_line(turn.services, goal),
        progress=goal.progress,
        target=goal.target,
        markup=keyboard(
            [turn.button(Step.NEXT, "next", "checkin.next_goal")],
            [turn.button(Step.NEXT, "rest", "checkin.rest")],
        ),
    )
    return ConversationHandler.END


DUE_CHOICES = {
    "date": due_new_date,
    "smaller": due_smaller,
    "close": due_close,
    "count": due_count,
}


def _smaller(goal: GoalRecord) -> GoalRecord | None:
    """The goal with about half the target, or None when it cannot get smaller."""
    if goal.target is None or goal.deadline is None or goal.kind == GoalKind.CUSTOM:
        return None
    retry = smaller_goal(RetryGoal(GoalKind(goal.kind), goal.target, None, goal.deadline))
    if retry.target is None or retry.target >= goal.target:
        return None
    return replace(goal, target=retry.target)


async def on_smaller(turn: CheckinTurn, value: str) -> Next:
    """Accept the smaller goal, or keep the current one."""
    if value not in ("accept", "keep"):
        return await turn.refuse_as_expired()
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


async def snooze_menu(turn: CheckinTurn, value: str) -> Next:
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


async def on_snooze(turn: CheckinTurn, value: str) -> Next:
    """Snooze for one or three days, or go back to the answers."""
    if turn.checkin.status != "sent":
        return await turn.refuse()
    if value == "back":
        return await _back_to_answers(turn)
    if value not in SNOOZE_DAYS:
        return await turn.refuse_as_expired()
    if not await turn.take(f"snoozed:{value}"):
        return None
    due = await turn.services.planner.snooze(turn.checkin, int(value))
    if due is not None:
        profile = await turn.profile()
        await turn.say("checkin/snoozed", when=when_text(turn.services, profile, due))
    return ConversationHandler.END


async def later_on(turn: CheckinTurn, goal: GoalRecord | None, day: date) -> Next:
    """A day typed in answer ("next week", "by Friday"): the same question comes again that
    day; for a goal at or past its deadline, or named past it, the day is its new deadline."""
    if goal is not None and goal.status == "active" and goal.deadline is not None:
        reached = await _deadline_reached(turn, goal)
        if reached or day >= goal.deadline:
            return await _move_deadline(
                turn, goal, day, "due:date" if reached else "changed:deadline"
            )
    days = (day - turn.services.planner.today(await turn.profile())).days
    if not await turn.take(f"snoozed:{days}"):
        return None
    due = await turn.services.planner.snooze(turn.checkin, days)
    if due is not None:
        profile = await turn.profile()
        await turn.say("checkin/snoozed", when=when_text(turn.services, profile, due))
    return ConversationHandler.END


async def _move_deadline(turn: CheckinTurn, goal: GoalRecord, day: date, answer: str) -> Next:
    """The goal's new deadline, said in answer to its check-in; its check-ins planned again."""
    if not await turn.take(answer):
        return None
    await turn.services.debriefs.update_goal(goal.id, deadline=day)
    moved = replace(goal, deadline=day)
    first = await turn.services.planner.schedule_goal(moved)
    await turn.say(
        "checkin/goal_changed",
        goal_line=goal_line(turn.services, moved),
        first_day=format_deadline(first) if first else None,
    )
    return ConversationHandler.END


async def _back_to_answers(turn: CheckinTurn) -> Next:
    """Back: the check-in's own answer buttons again."""
    await turn.acknowledge(keep_buttons=True)
    await turn.edit_buttons(answer_keyboard(RULES[Kind(turn.checkin.kind)].buttons, turn.button))
    return None


async def change_menu(turn: CheckinTurn, value: str) -> Next:
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


async def on_change(turn: CheckinTurn, value: str) -> Next:
    """Change the number or the deadline of the goal, or go back to the answers."""
    if turn.checkin.status != "sent":
        return await turn.refuse()
    if value == "back":
        return await _back_to_answers(turn)
    goal = await turn.goal()
    if goal is None or value not in ("target", "deadline"):
        return await turn.refuse_as_expired()
    await turn.acknowledge()
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal.id)
    if value == "target":
        return await _ask_target(turn, goal, new=False)
    return await _ask_deadline(turn, new=False)


# The next goal, after one is done ----------------------------------------------------------


async def on_next(turn: CheckinTurn, value: str) -> Next:
    """After a goal is done: set the next one, or rest."""
    answer = turn.checkin.answer or ""
    if value not in ("next", "rest") or answer not in NEXT_AFTER:
        return await turn.refuse()
    if not await turn.follow(answer, f"done:{value}"):
        return None
    if value == "rest":
        await turn.say("checkin/rest")
        return ConversationHandler.END
    # The kind may be typed too ("get an interview"): the words answer this check-in.
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id)
    buttons = [turn.button(Step.KIND, k.value, f"goal.{k.value}") for k in GoalKind]
    await turn.say("checkin/next_kind", markup=keyboard(*([b] for b in buttons)))
    return State.KIND


async def on_kind(turn: CheckinTurn, value: str) -> Next:
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


@typed(State.KIND)
async def on_kind_text(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """The next goal typed in words ("get an interview", "apply to 8 roles"): its kind, and
    its number when one is said (else the number is asked as after a button)."""
    if turn.checkin.answer != "done:next":
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    found = read_goal(text, turn.goal_words())
    if found is None:
        await turn.say("checkin/kind_unclear")
        return State.KIND
    goal_id = await turn.services.checkins.new_goal(turn.user_id, found.kind.value)
    await turn.services.checkins.follow_up(turn.checkin.id, "done:next", "done:drafting")
    await turn.services.checkins.set_focus(turn.user_id, turn.checkin.id, goal_id)
    drafted = await turn.services.debriefs.goal(goal_id)
    assert drafted is not None
    if found.number is None:
        return await _ask_target(turn, drafted, new=True)
    return await _save_target(turn, drafted, found.number)


async def _ask_target(turn: CheckinTurn, goal: GoalRecord, new: bool) -> Next:
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


async def _ask_deadline(turn: CheckinTurn, new: bool) -> Next:
    """Ask for the goal's deadline (1 week, 2 weeks, a month, or typed)."""
    buttons = [
        turn.button(Step.DEADLINE, "7", "deadline.week"),
        turn.button(Step.DEADLINE, "14", "deadline.two_weeks"),
        turn.button(Step.DEADLINE, "30", "deadline.month"),
    ]
    await turn.say("checkin/ask_deadline", new=new, markup=keyboard(buttons))
    return State.DEADLINE


# Typed answers -------------------------------------------------------------------------------


@typed(State.COUNT)
async def on_count(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """How many of N are done so far."""
    if goal is None or goal.target is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    count = _parse_count(text)
    if count is None:
        await turn.say("checkin/count_error", target=goal.target)
        return State.COUNT
    await turn.services.checkins.clear_focus(turn.user_id)
    return await record_count(turn, goal, count)


async def record_count(turn: CheckinTurn, goal: GoalRecord, count: int) -> Next:
    """How many of the goal's target are done: all of them is the goal done, celebrated."""
    assert goal.target is not None
    if count >= goal.target:
        await turn.services.checkins.answer(turn.checkin.id, "done")
        await _celebrate(turn, goal)
        return ConversationHandler.END
    await turn.services.checkins.answer(turn.checkin.id, f"partly:{count}")
    await turn.services.debriefs.update_goal(goal.id, progress=count)
    if await _deadline_reached(turn, goal):
        await turn.reload()
        await _offer_deadline_choices(
            turn, replace(goal, progress=count), "checkin/deadline_count", count
        )
        return ConversationHandler.END
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


_NO_STEP = frozenset(
    {"no", "nope", "nah", "not now", "not today", "ok", "okay", "thanks", "thank you", "later"}
)
"""Lines that answer "one small step?" with no step; nothing is saved for them."""


@typed(State.STEP)
async def on_small_step(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """The one small step after "not yet": kept on the plan under the goal."""
    await turn.services.checkins.clear_focus(turn.user_id)
    rejection_id = goal.rejection_id if goal is not None else turn.checkin.rejection_id
    if text.casefold().strip(" .!") in _NO_STEP or rejection_id is None:
        await turn.say("checkin/step_none")
        return ConversationHandler.END
    await turn.services.debriefs.add_plan_actions(rejection_id, "step", [(None, text[:300])])
    await turn.say("checkin/step_saved", step=text[:300])
    return ConversationHandler.END


@typed(State.TARGET)
async def on_target_text(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """A typed number for a changed or a new goal."""
    return await _save_target(turn, goal, text)


async def on_target_button(turn: CheckinTurn, value: str) -> Next:
    """A suggested number for a changed or a new goal."""
    focus = await turn.services.checkins.focus(turn.user_id)
    if focus is None or focus.checkin_id != turn.checkin.id or focus.goal_id is None:
        return await turn.refuse()
    await turn.acknowledge()
    return await _save_target(turn, await turn.services.debriefs.goal(focus.goal_id), value)


async def _save_target(turn: CheckinTurn, goal: GoalRecord | None, raw: str) -> Next:
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
async def on_custom(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """The words of a custom next goal."""
    if goal is None:
        await turn.say("checkin/nothing_open")
        return ConversationHandler.END
    await turn.services.debriefs.update_goal(goal.id, custom_text=text[:500])
    return await _ask_deadline(turn, new=True)


@typed(State.DEADLINE)
async def on_deadline_text(turn: CheckinTurn, goal: GoalRecord | None, text: str) -> Next:
    """A typed deadline for a changed or a new goal."""
    return await _save_deadline(turn, goal, text)


async def on_deadline_button(turn: CheckinTurn, value: str) -> Next:
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


async def _save_deadline(turn: CheckinTurn, goal: GoalRecord | None, raw: str) -> Next:
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
        first_day=format_deadline(first) if first else None,
    )
    return ConversationHandler.END
