"""The steps of the rejection debrief: one record each in `STEPS`, and what each asks and does.

A record (`Step`) holds everything about one step: its state, the code on its buttons, its
question, what it accepts (text within a limit, this step's buttons, or both), whether it may
be skipped, and where it leads (`next`: a step, a `Branch` on the answers so far, or None to
finish). `CODE`, `SKIPPABLE`, `BUTTON_ONLY`, `ASK` and the order of the steps are read from
the table; so are the handlers of the conversation (conversations/debrief.py) and the checks
of docs/flows/debrief.mmd (tests/test_flow_diagrams.py). A step's answer handler saves the
answer and continues with `go_next`; the table says where that is.

Adding a step: one record here (with its ask function, unless a template and a Skip button
are all it asks, and its answer handler), its template in prompts/debrief/, the previous
step's `next` pointed at it, its edges in docs/flows/debrief.mmd (the test says which), and a
migration when the answer needs a new column.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.keyboards import Button, column, keyboard
from bot.messages import send_html, send_long_html
from bot.services import CoachContext
from bot.storage import GoalRecord, Rejection, User
from coaching.deadlines import (
    COMMON_ZONES,
    DeadlineError,
    TimezoneError,
    parse_deadline,
    parse_timezone,
    zone,
)
from coaching.feedback import FeedbackRequest, clean_field, draft_feedback_request
from coaching.goals import TargetError, format_deadline, kinder_goal, parse_target, read_goal
from coaching.model import Channel, Gap, GoalKind, HowHeard, Stage, Strength, Tone
from coaching.resources import (
    choose_resources,
    get_resource,
    load_catalog,
    time_needed,
    why_it_fits,
)
from coaching.swot import swot_card
from conversations.checkin_turn import goal_line
from conversations.flow import Chat, Prefix, callback, parse_callback
from conversations.plan import next_check_in, render_plan

_LOGGER = logging.getLogger(__name__)

NAME_LIMIT = 500
STORY_LIMIT = 2000
SIGNOFF_LIMIT = 60  # the draft shows at most 60 characters of a name (coaching.feedback)
PREFIX = Prefix.DEBRIEF
LOW_MOOD = 2
DEFAULT_TARGETS = {
    GoalKind.APPLY: 5,
    GoalKind.MOCK_INTERVIEWS: 2,
    GoalKind.PRACTICE_PROBLEMS: 10,
    GoalKind.COURSE_MODULE: 1,
    GoalKind.INTERVIEW: 1,
}
"""The number a goal's button suggests (a different one can be typed: "apply to 8 roles")."""
"""A mood this low or lower is offered the grounding exercise."""
GROUNDING_EXERCISE = "grounding_5_4_3_2_1"
"""The catalog entry of the exercise a low mood is offered (debrief/grounding_exercise)."""
ASKED_FOR_FEEDBACK = frozenset({"drafted", "sent", "already_asked"})
"""Feedback statuses of someone who asked (or is about to ask) the hirer for feedback."""


class State(StrEnum):
    """The steps of a debrief; the value is also what `rejections.step` stores."""

    COMPANY = "company"
    ROLE = "role"
    STAGE = "stage"
    HOW_HEARD = "how_heard"
    MOOD = "mood"
    GROUNDING = "grounding"
    WENT_WELL = "went_well"
    LESSON = "lesson"
    FEEDBACK_OFFER = "feedback_offer"
    FEEDBACK_RECIPIENT = "feedback_recipient"
    FEEDBACK_SIGNOFF = "feedback_signoff"
    FEEDBACK_CHANNEL = "feedback_channel"
    FEEDBACK_TONE = "feedback_tone"
    FEEDBACK_REVIEW = "feedback_review"
    FEEDBACK_PERSONAL_LINE = "feedback_personal_line"
    FEEDBACK_SENT = "feedback_sent"
    GAPS = "gaps"
    STRENGTH = "strength"
    RESOURCE = "resource"
    RESOURCE_WHEN = "resource_when"
    GOAL_KIND = "goal_kind"
    GOAL_CUSTOM = "goal_custom"
    GOAL_TARGET = "goal_target"
    TIMEZONE = "timezone"
    GOAL_DEADLINE = "goal_deadline"
    GOAL_CHECK = "goal_check"


class DebriefTurn(Chat):
    """An update inside a running debrief, with the rejection it is about."""

    rejection: Rejection

    @classmethod
    async def load(cls, update: Update, context: CoachContext) -> DebriefTurn | None:
        """The user's running debrief, or None if there is none (e.g. it was deleted)."""
        turn = cls(update, context)
        found = await turn.services.debriefs.in_progress(turn.user_id)
        if found is None:
            return None
        turn.rejection = found
        return turn

    # Words said at the start of the next message (one message, not two): see `lead`.
    _leads: tuple[str, ...] = ()

    @property
    def rid(self) -> int:
        """The rejection id (owner of this debrief's buttons)."""
        return self.rejection.id

    def lead(self, template: str, /, **values: object) -> None:
        """Say `template` at the start of the next message this turn sends (an answer's kind
        reply and the next question arrive as one message)."""
        self._leads = (*self._leads, self.render(template, **values))

    def take_leads(self) -> str:
        """The words waiting for the next message (and none wait after)."""
        leads, self._leads = self._leads, ()
        return "".join(f"{lead}\n\n" for lead in leads)

    async def say(
        self, template: str, /, markup: InlineKeyboardMarkup | None = None, **values: object
    ) -> Message:
        """Send a rendered template, after the words waiting to lead it."""
        text = self.take_leads() + self.render(template, **values)
        return await send_html(self.context.bot, self.chat_id, text, markup)

    def button(self, state: State, label_key: str, value: str, **values: object) -> Button:
        """A button of this debrief for `state`."""
        return self.label(label_key, **values), callback(PREFIX, self.rid, CODE[state], value)

    def skip_markup(self, state: State) -> InlineKeyboardMarkup:
        """Just a Skip button."""
        return keyboard([self.button(state, "common.skip", "skip")])

    def applied_already(self) -> bool:
        """Whether this very update already moved the debrief (it is handled again after a
        crash, from the inbox)."""
        return self.rejection.last_update_id == self.update.update_id

    def superseded(self) -> bool:
        """Whether a later update already moved the debrief: this one is older, handled again
        from the inbox (its row outlived its handling), and would answer a question it was
        never meant for."""
        last = self.rejection.last_update_id
        return last is not None and self.update.update_id < last

    async def refresh(self) -> None:
        """Re-read the rejection after writes."""
        found = await self.services.debriefs.get(self.rid)
        assert found is not None
        self.rejection = found

    def today(self, tz_name: str | None) -> date:
        """Today's date where the user is."""
        tz = zone(tz_name or self.services.settings.default_timezone)
        return self.services.clock.now().astimezone(tz).date()


# --- The step record ------------------------------------------------------------------------

Ask = Callable[[DebriefTurn], Awaitable[None]]
# An answer handler: the debrief and the typed text or the pressed button's value; returns the
# conversation state (the step it moved to, the same step, or the end).
Answer = Callable[[DebriefTurn, str], Awaitable[State | int]]


@dataclass(frozen=True)
class Branch:
    """A transition that depends on the answers so far: `choose` picks one of `targets`."""

    targets: tuple[State, ...]
    choose: Callable[[DebriefTurn], Awaitable[State]]

    async def resolve(self, turn: DebriefTurn) -> State:
        """The target for this debrief (one of `targets`, or an error)."""
        chosen = await self.choose(turn)
        if chosen not in self.targets:
            raise ValueError(f"branch chose {chosen}, not one of {self.targets}")
        return chosen


def branch(*targets: State) -> Callable[[Callable[[DebriefTurn], Awaitable[State]]], Branch]:
    """Make a `Branch` of the decorated function, which returns one of `targets`."""

    def wrap(choose: Callable[[DebriefTurn], Awaitable[State]]) -> Branch:
        return Branch(targets, choose)

    return wrap


@dataclass(frozen=True)
class Text:
    """A step answered by typing, at most `limit` characters (empty or longer text is asked
    again before `answer` sees it)."""

    limit: int
    answer: Answer


@dataclass(frozen=True)
class Buttons:
    """A step answered with its own buttons; values outside `choices` (when given) are stale.
    The Skip button of a skippable step never reaches `answer`."""

    answer: Answer
    choices: frozenset[str] | None = None


@dataclass(frozen=True)
class Step:
    """One step of the debrief.

    question: a template, sent with a Skip button when the step is skippable, or a function
        that asks (with buttons, or values worked out from the answers so far).
    next: where the step leads once answered or skipped; None finishes the debrief.
    text, buttons: what the step accepts (a skippable step always takes its Skip button).
    back: where /back leads; None means the record before it in `STEPS` (none for the first).
    jumps: other steps an answer handler may go to with `go_to` (e.g. "change the tone").
    retired: asked by an earlier release only; nothing leads here any more, and a debrief
        stored at this step (from before an upgrade) still answers it and goes on.
    """

    state: State
    code: str
    question: str | Ask
    next: State | Branch | None
    text: Text | None = None
    buttons: Buttons | None = None
    skippable: bool = False
    back: State | Branch | None = None
    jumps: tuple[State, ...] = ()
    retired: bool = False

    async def ask(self, turn: DebriefTurn) -> None:
        """Ask this step's question."""
        if isinstance(self.question, str):
            markup = turn.skip_markup(self.state) if self.skippable else None
            await turn.say(self.question, markup=markup)
        else:
            await self.question(turn)

    def targets(self) -> tuple[State | None, ...]:
        """Every step an answer here (or a skip) may lead to; None is the end."""
        forward = self.next.targets if isinstance(self.next, Branch) else (self.next,)
        return (*forward, *self.jumps)


# --- Moving between steps ---------------------------------------------------------------------


async def go(turn: DebriefTurn, state: State, **answers: str) -> State:
    """Record `answers` and `state` as where the debrief stands (one statement), ask its
    question, and return it."""
    updated = await turn.services.debriefs.update(
        turn.rid, **answers, step=state.value, last_update_id=turn.update.update_id
    )
    assert updated is not None
    turn.rejection = updated  # the row as written: no second read
    await STEP[state].ask(turn)
    return state


async def go_next(turn: DebriefTurn, after: State, **answers: str) -> State | int:
    """Continue with the step after `after` (or finish), saving `answers` (text columns of
    the rejection) with the move: the next step is chosen as if they were already saved."""
    if answers:
        columns: dict[str, Any] = dict(answers)
        turn.rejection = replace(turn.rejection, **columns)
    nxt = await next_step(turn, after)
    if nxt is None:
        if answers:
            await turn.services.debriefs.update(turn.rid, **answers)
        return await finish(turn)
    return await go(turn, nxt, **answers)


async def go_to(turn: DebriefTurn, source: State, target: State) -> State:
    """Leave `source` for `target`, one of the jumps its record declares."""
    if target not in STEP[source].jumps:
        raise ValueError(f"{source} declares no jump to {target}")
    return await go(turn, target)


async def next_step(turn: DebriefTurn, after: State) -> State | None:
    """The step that follows `after`, given the answers so far; None when the plan is done."""
    following = STEP[after].next
    return await following.resolve(turn) if isinstance(following, Branch) else following


async def previous_step(turn: DebriefTurn, state: State) -> State | None:
    """Where /back leads from `state`; None on the first step."""
    back = STEP[state].back
    if isinstance(back, Branch):
        return await back.resolve(turn)
    if back is not None:
        return back
    index = ORDER.index(state)
    return ORDER[index - 1] if index else None


async def replayed(turn: DebriefTurn) -> State | None:
    """For an update handled again from the inbox after a crash: the state to stay in, having
    applied nothing; None for an update seen for the first time. The update that last moved
    the debrief asks the current question again (the reply the crash may have swallowed); an
    older one was answered long ago and stays silent."""
    if turn.applied_already():
        return await ask_again(turn)
    if turn.superseded():
        _LOGGER.info("Ignored update %s: older than the debrief's last step", turn.update.update_id)
        await turn.acknowledge()
        return State(turn.rejection.step)
    return None


async def ask_again(turn: DebriefTurn) -> State:
    """An update handled again after a crash that had already moved the debrief: ask the
    current question (the reply the crash may have swallowed), apply nothing twice."""
    await turn.acknowledge()
    state = State(turn.rejection.step)
    await ASK[state](turn)
    return state


async def stale_button(update: Update, context: CoachContext) -> State | int:
    """A button from an earlier step, another debrief, or forged: say where things stand."""
    turn = await DebriefTurn.load(update, context)
    if turn is not None and (state := await replayed(turn)) is not None:
        return state
    # A double tap: the first tap already moved on and asked the next question.
    double = await Chat(update, context).is_double_tap()
    if update.callback_query is not None:
        notice = "common.already" if double else "common.stale"
        try:
            await update.callback_query.answer(context.services.prompts.label(notice))
        except TelegramError as exc:  # too old to answer (handled again after a restart)
            _LOGGER.info("Could not answer a stale button press: %s", exc)
    if turn is None:
        return ConversationHandler.END
    current = State(turn.rejection.step)
    if double:
        return current
    # One message: the question asked again (the notice on the button says why).
    if update.callback_query is None:
        await turn.say("debrief/where_we_are")
    await ASK[current](turn)
    return current


async def finish(turn: DebriefTurn) -> int:
    """Finish the debrief and show the whole plan.

    The goal becomes active, the debrief completed and its check-ins scheduled in one
    transaction (`CheckinPlanner.complete_plan`): a storage fault leaves none of it, the step
    stays where it was, and answering again finishes the debrief once. Other listeners come
    after.
    """
    await turn.services.planner.complete_plan(turn.rid, turn.update.update_id)
    for listener in turn.services.on_plan_completed:
        await listener(turn.rid)
    await turn.refresh()
    await show_plan(turn)
    return ConversationHandler.END


async def show_plan(turn: DebriefTurn) -> None:
    """The plan card of this debrief, with the closing words under it: when the first check-in
    comes, in the person's time (so nobody waits for one held for their quiet hours)."""
    card = await render_plan(turn.services, turn.rejection)
    closing = turn.render(
        "debrief/finished", first=await next_check_in(turn.services, turn.user_id)
    )
    await send_long_html(turn.context.bot, turn.chat_id, f"{turn.take_leads()}{card}\n\n{closing}")


# --- Branches: where a step leads, from the answers so far ------------------------------------


@branch(State.GROUNDING, State.WENT_WELL)
async def after_mood(turn: DebriefTurn) -> State:
    """A low mood (1 or 2) is offered a grounding exercise first."""
    return State.GROUNDING if (turn.rejection.mood or 5) <= LOW_MOOD else State.WENT_WELL


@branch(State.FEEDBACK_RECIPIENT, State.GAPS)
async def after_feedback_offer(turn: DebriefTurn) -> State:
    """A "yes" starts drafting the request; "already did" and Skip go on to the gaps."""
    feedback = await turn.services.debriefs.feedback(turn.rid)
    drafting = feedback is not None and feedback.status == "drafting"
    return State.FEEDBACK_RECIPIENT if drafting else State.GAPS


@branch(State.FEEDBACK_SIGNOFF, State.FEEDBACK_REVIEW)
async def after_recipient(turn: DebriefTurn) -> State:
    """The sign-off name is asked with the first draft, and not again once they gave one; then
    the draft (an email in a warm tone; the other channel and tones are buttons on it)."""
    user = await turn.services.users.get(turn.user_id)
    given = user is not None and user.signoff_name is not None
    return State.FEEDBACK_REVIEW if given else State.FEEDBACK_SIGNOFF


@branch(State.FEEDBACK_REVIEW, State.FEEDBACK_OFFER)
async def before_gaps(turn: DebriefTurn) -> State:
    """/back from the gaps: to the draft if one was made, else to the offer."""
    feedback = await turn.services.debriefs.feedback(turn.rid)
    asked = feedback is not None and feedback.status in ("drafted", "sent")
    return State.FEEDBACK_REVIEW if asked else State.FEEDBACK_OFFER


@branch(State.RESOURCE_WHEN, State.GOAL_KIND)
async def after_resource(turn: DebriefTurn) -> State:
    """A picked resource gets a day to use it; Skip goes straight to the goal."""
    picked = await turn.services.debriefs.resource_pick(turn.rid)
    return State.RESOURCE_WHEN if picked else State.GOAL_KIND


@branch(State.GOAL_CUSTOM, State.TIMEZONE, State.GOAL_DEADLINE)
async def goal_detail(turn: DebriefTurn) -> State:
    """A custom goal's words; a goal with its number goes on to the deadline (the time zone
    first, once)."""
    goal = await turn.services.debriefs.goal_for(turn.rid)
    if goal and goal.kind == GoalKind.CUSTOM:
        return State.GOAL_CUSTOM
    return await after_goal.resolve(turn)


@branch(State.GOAL_CUSTOM, State.GOAL_KIND)
async def before_deadline(turn: DebriefTurn) -> State:
    """/back from the time zone or the deadline: a custom goal's words, else the goal."""
    goal = await turn.services.debriefs.goal_for(turn.rid)
    return State.GOAL_CUSTOM if goal and goal.kind == GoalKind.CUSTOM else State.GOAL_KIND


@branch(State.TIMEZONE, State.GOAL_DEADLINE)
async def after_goal(turn: DebriefTurn) -> State:
    """The time zone is asked once, before the first deadline that needs it."""
    user = await turn.services.users.get(turn.user_id)
    return State.TIMEZONE if user is None or user.timezone is None else State.GOAL_DEADLINE


# --- Questions --------------------------------------------------------------------------------
# Steps that ask a template (and a Skip button) name it in their record instead.


async def ask_stage(turn: DebriefTurn) -> None:
    """How far did they get?"""
    buttons = [turn.button(State.STAGE, f"stage.{s.value}", s.value) for s in Stage]
    await turn.say("debrief/ask_stage", markup=column(buttons), company=turn.rejection.company)


async def ask_how_heard(turn: DebriefTurn) -> None:
    """How did the news come?"""
    buttons = [turn.button(State.HOW_HEARD, f"how_heard.{h.value}", h.value) for h in HowHeard]
    await turn.say("debrief/ask_how_heard", markup=keyboard(buttons[:2], buttons[2:]))


async def ask_mood(turn: DebriefTurn) -> None:
    """How are they feeling, 1-5?"""
    buttons = [turn.button(State.MOOD, f"mood.m{n}", str(n)) for n in range(1, 6)]
    await turn.say("debrief/ask_mood", markup=keyboard(buttons))


async def ask_grounding(turn: DebriefTurn) -> None:
    """Offer a short grounding exercise before going on."""
    await turn.say(
        "debrief/ask_grounding",
        markup=keyboard(
            [turn.button(State.GROUNDING, "debrief.grounding_yes", "yes")],
            [turn.button(State.GROUNDING, "debrief.grounding_no", "skip")],
        ),
    )


async def ask_feedback_offer(turn: DebriefTurn) -> None:
    """Would they like to ask the hirer for feedback (or, ghosted, where things stand)?"""
    await turn.say(
        "debrief/ask_feedback_offer",
        ghosted=turn.rejection.how_heard == HowHeard.GHOSTED,
        markup=column(
            [
                turn.button(State.FEEDBACK_OFFER, "feedback.yes", "yes"),
                turn.button(State.FEEDBACK_OFFER, "feedback.already", "already"),
                turn.button(State.FEEDBACK_OFFER, "common.skip", "skip"),
            ]
        ),
    )


def _signoff_offer(user: User | None) -> str | None:
    """The name the "Use …" button offers: the one they gave, else their Telegram first name."""
    if user is None:
        return None
    return user.signoff_name or user.first_name or None


async def ask_signoff(turn: DebriefTurn) -> None:
    """The name that signs the draft (asked once), with their Telegram first name as a button."""
    user = await turn.services.users.get(turn.user_id)
    name = _signoff_offer(user)
    buttons = [turn.button(State.FEEDBACK_SIGNOFF, "feedback.use_name", "name", name=name)]
    skip = turn.button(State.FEEDBACK_SIGNOFF, "common.skip", "skip")
    markup = keyboard(buttons, [skip]) if name else keyboard([skip])
    given = user is not None and user.signoff_name is not None
    await turn.say("debrief/ask_signoff", name=name, given=given, markup=markup)


async def ask_channel(turn: DebriefTurn) -> None:
    """Email or LinkedIn."""
    buttons = [turn.button(State.FEEDBACK_CHANNEL, f"channel.{c.value}", c.value) for c in Channel]
    await turn.say("debrief/ask_channel", markup=keyboard(buttons))


async def ask_tone(turn: DebriefTurn) -> None:
    """Warm, formal or brief."""
    buttons = [turn.button(State.FEEDBACK_TONE, f"tone.{t.value}", t.value) for t in Tone]
    await turn.say("debrief/ask_tone", markup=keyboard(buttons))


async def ask_review(turn: DebriefTurn) -> None:
    """Show the draft with its review buttons."""
    feedback = await turn.services.debriefs.feedback(turn.rid)
    assert feedback is not None
    user = await turn.services.users.get(turn.user_id)
    draft = draft_feedback_request(
        FeedbackRequest(
            company=turn.rejection.company,
            role=turn.rejection.role,
            stage=Stage(turn.rejection.stage or Stage.APPLICATION),
            recipient=feedback.recipient,
            channel=Channel(feedback.channel or Channel.EMAIL),
            tone=Tone(feedback.tone or Tone.WARM),
            personal_line=feedback.personal_line,
            sender_name=user.signoff_name if user else None,
            ghosted=turn.rejection.how_heard == HowHeard.GHOSTED,
        ),
        turn.services.prompts,
    )
    await turn.services.debriefs.save_feedback(
        turn.rid, subject=draft.subject, body=draft.body, status="drafting"
    )
    channel = Channel(feedback.channel or Channel.EMAIL)
    other_channel = Channel.LINKEDIN if channel is Channel.EMAIL else Channel.EMAIL
    await turn.say(
        "debrief/feedback_draft",
        subject=draft.subject,
        body=draft.body,
        markup=keyboard(
            [
                turn.button(State.FEEDBACK_REVIEW, "feedback.sent", "sent"),
                turn.button(State.FEEDBACK_REVIEW, "feedback.later", "later"),
            ],
            [
                turn.button(State.FEEDBACK_REVIEW, "feedback.other_tone", "tone"),
                turn.button(State.FEEDBACK_REVIEW, "feedback.personal_line", "line"),
            ],
            [
                turn.button(
                    State.FEEDBACK_REVIEW,
                    f"feedback.as_{other_channel.value}",
                    f"channel:{other_channel.value}",
                ),
                turn.button(State.FEEDBACK_REVIEW, "common.skip", "skip"),
            ],
        ),
    )


async def ask_sent(turn: DebriefTurn) -> None:
    """Tell us when it is sent."""
    await turn.say(
        "debrief/ask_sent",
        markup=column(
            [
                turn.button(State.FEEDBACK_SENT, "feedback.sent", "sent"),
                turn.button(State.FEEDBACK_SENT, "feedback.later", "later"),
            ]
        ),
    )


def _gap_markup(turn: DebriefTurn) -> InlineKeyboardMarkup:
    chosen = set(turn.rejection.gaps)
    buttons = [
        turn.button(State.GAPS, "gap.checked" if g.value in chosen else "gap.unchecked", g.value,
                    name=turn.label(f"gap.{g.value}"))
        for g in Gap
    ]  # fmt: skip
    done = turn.button(State.GAPS, "gap.done", "done")
    return keyboard(buttons[0:2], buttons[2:4], buttons[4:6], [done])


async def ask_gaps(turn: DebriefTurn) -> None:
    """Multi-select the gaps."""
    await turn.say("debrief/ask_gaps", markup=_gap_markup(turn))


async def ask_strength(turn: DebriefTurn) -> None:
    """Pick one strength."""
    buttons = [turn.button(State.STRENGTH, f"strength.{s.value}", s.value) for s in Strength]
    await turn.say(
        "debrief/ask_strength",
        markup=keyboard(buttons[0:2], buttons[2:4], buttons[4:6], buttons[6:]),
    )


async def ask_resource(turn: DebriefTurn, exclude: tuple[str, ...] = ()) -> None:
    """Offer three resources that fit the mood and the gaps."""
    mood = turn.rejection.mood or 3
    gaps = [Gap(g) for g in turn.rejection.gaps]
    done = await turn.services.debriefs.picked_before(turn.user_id, turn.rid)
    if mood <= LOW_MOOD:  # the grounding exercise was just offered
        done.add(GROUNDING_EXERCISE)
    chosen = choose_resources(
        load_catalog(), mood=mood, gaps=gaps, rng=turn.services.rng, exclude=exclude, done=done
    )
    picks = []
    for resource in chosen:
        why, gap = why_it_fits(resource, mood, gaps)
        unit, minutes = time_needed(resource)
        picks.append(
            {
                "resource": resource,
                "kind": resource.kind.value,
                "why": why.value,
                "gap": turn.label(f"gap.{gap.value}") if gap else None,
                "time": unit,
                "minutes": minutes,
            }
        )
    buttons = [
        turn.button(State.RESOURCE, "resource.pick", r.id, number=i)
        for i, r in enumerate(chosen, 1)
    ]
    others = turn.label("resource.others"), callback(PREFIX, turn.rid, CODE[State.RESOURCE], "more")
    await turn.services.debriefs.update(turn.rid, step=State.RESOURCE.value)
    await turn.say(
        "debrief/ask_resource",
        picks=picks,
        markup=keyboard(buttons, [others], [turn.button(State.RESOURCE, "common.skip", "skip")]),
    )


async def ask_resource_when(turn: DebriefTurn) -> None:
    """When will they use it?"""
    await turn.say(
        "debrief/ask_resource_when",
        markup=keyboard(
            [
                turn.button(State.RESOURCE_WHEN, "when.today", "0"),
                turn.button(State.RESOURCE_WHEN, "when.tomorrow", "1"),
            ],
            [
                turn.button(State.RESOURCE_WHEN, "when.weekend", "weekend"),
                turn.button(State.RESOURCE_WHEN, "when.next_week", "7"),
            ],
        ),
    )


async def ask_goal_kind(turn: DebriefTurn) -> None:
    """Pick a goal, its number suggested (typed: "apply to 8 roles")."""
    buttons = [
        turn.button(State.GOAL_KIND, f"goal.pick_{k.value}", k.value, number=DEFAULT_TARGETS[k])
        for k in GoalKind
        if k in DEFAULT_TARGETS
    ]
    custom = turn.button(State.GOAL_KIND, f"goal.{GoalKind.CUSTOM.value}", GoalKind.CUSTOM.value)
    await turn.say("debrief/ask_goal_kind", markup=column([*buttons, custom]))


async def ask_goal_target(turn: DebriefTurn) -> None:
    """How many?"""
    goal = await turn.services.debriefs.goal_for(turn.rid)
    kind = goal.kind if goal else GoalKind.APPLY.value
    suggestions = {
        "apply": (3, 5, 10),
        "mock_interviews": (1, 2, 3),
        "practice_problems": (5, 10, 20),
        "course_module": (1, 2, 3),
        "interview": (1, 2, 3),
    }.get(kind, (1, 3, 5))
    buttons = [turn.button(State.GOAL_TARGET, "goal.number", str(n), number=n) for n in suggestions]
    await turn.say("debrief/ask_goal_target", kind=kind, markup=keyboard(buttons))


async def ask_timezone(turn: DebriefTurn) -> None:
    """Where in the world are they (asked once)?"""
    buttons = [turn.button(State.TIMEZONE, "timezone.zone", z, zone=z) for z in COMMON_ZONES]
    await turn.say(
        "debrief/ask_timezone",
        markup=keyboard(*[buttons[i : i + 2] for i in range(0, len(buttons), 2)]),
    )


async def ask_deadline(turn: DebriefTurn) -> None:
    """By when? (A day said with the goal, "land an interview by friday", is offered first.)"""
    rows = []
    said = await _said_deadline(turn)
    if said is not None:
        day = format_deadline(said)
        rows.append([turn.button(State.GOAL_DEADLINE, "goal.by_day", SAID_DAY, day=day)])
    rows.append(
        [
            turn.button(State.GOAL_DEADLINE, "deadline.week", "7"),
            turn.button(State.GOAL_DEADLINE, "deadline.two_weeks", "14"),
            turn.button(State.GOAL_DEADLINE, "deadline.month", "30"),
        ]
    )
    await turn.say("debrief/ask_deadline", markup=keyboard(*rows))


SAID_DAY = "said"
"""The deadline button's value for the day said with a typed goal."""


async def _said_deadline(turn: DebriefTurn) -> date | None:
    """The deadline the goal already has (said with it, or chosen before a /back), while it is
    still ahead."""
    goal = await turn.services.debriefs.goal_for(turn.rid)
    if goal is None or goal.deadline is None:
        return None
    user = await turn.services.users.get(turn.user_id)
    return goal.deadline if goal.deadline > turn.today(user.timezone if user else None) else None


# --- Answers: intake --------------------------------------------------------------------------


async def on_company(turn: DebriefTurn, text: str) -> State | int:
    """Save the company."""
    return await go_next(turn, State.COMPANY, company=text)


async def on_role(turn: DebriefTurn, text: str) -> State | int:
    """Save the role."""
    return await go_next(turn, State.ROLE, role=text)


async def on_stage(turn: DebriefTurn, value: str) -> State | int:
    """Save the stage reached."""
    await turn.acknowledge()
    return await go_next(turn, State.STAGE, stage=value)


async def on_how_heard(turn: DebriefTurn, value: str) -> State | int:
    """Save how the news came."""
    await turn.acknowledge()
    return await go_next(turn, State.HOW_HEARD, how_heard=value)


# --- Answers: accept the outcome --------------------------------------------------------------


async def on_mood(turn: DebriefTurn, value: str) -> State | int:
    """Save the mood, answer it kindly with the reframe."""
    await turn.acknowledge()
    score = int(value)
    await turn.services.debriefs.record_mood(turn.user_id, score, "debrief", turn.rid)
    await turn.refresh()
    turn.lead(
        "debrief/mood_reply",
        mood=score,
        how_heard=turn.rejection.how_heard,
        stage=turn.rejection.stage,
    )
    return await go_next(turn, State.MOOD)


async def on_grounding(turn: DebriefTurn, value: str) -> State | int:
    """Show the grounding exercise, then go on."""
    await turn.acknowledge()
    if value == "yes":
        turn.lead("debrief/grounding_exercise")
    return await go_next(turn, State.GROUNDING)


async def on_went_well(turn: DebriefTurn, text: str) -> State | int:
    """Save one thing that went well."""
    return await go_next(turn, State.WENT_WELL, went_well=text)


async def on_lesson(turn: DebriefTurn, text: str) -> State | int:
    """Save the lesson."""
    turn.lead("debrief/lesson_saved")
    return await go_next(turn, State.LESSON, lesson=text)


# --- Answers: feedback request ----------------------------------------------------------------


async def on_feedback_offer(turn: DebriefTurn, value: str) -> State | int:
    """Yes starts the draft; 'already did' is recorded (Skip never reaches here)."""
    await turn.acknowledge()
    status = {"yes": "drafting", "already": "already_asked"}.get(value)
    if status is None:
        return await stale_button(turn.update, turn.context)
    await turn.services.debriefs.save_feedback(turn.rid, status=status)
    if value == "already":
        await turn.say("debrief/feedback_already")
    return await go_next(turn, State.FEEDBACK_OFFER)


async def on_recipient(turn: DebriefTurn, text: str) -> State | int:
    """Save who the request is for."""
    await turn.services.debriefs.save_feedback(turn.rid, recipient=text)
    return await go_next(turn, State.FEEDBACK_RECIPIENT)


async def on_signoff_text(turn: DebriefTurn, text: str) -> State | int:
    """Save the typed sign-off name (kept for every later draft)."""
    name = clean_field(text)
    if name is None:
        return await go(turn, State.FEEDBACK_SIGNOFF)
    await turn.services.users.update(turn.user_id, signoff_name=name)
    return await go_next(turn, State.FEEDBACK_SIGNOFF)


async def on_signoff_button(turn: DebriefTurn, value: str) -> State | int:
    """The "Use <name>" button: the name it showed (Skip never reaches here)."""
    name = _signoff_offer(await turn.services.users.get(turn.user_id))
    if value != "name" or name is None:
        return await stale_button(turn.update, turn.context)
    await turn.acknowledge()
    await turn.services.users.update(turn.user_id, signoff_name=name)
    return await go_next(turn, State.FEEDBACK_SIGNOFF)


async def on_channel(turn: DebriefTurn, value: str) -> State | int:
    """Save email or LinkedIn."""
    await turn.acknowledge()
    await turn.services.debriefs.save_feedback(turn.rid, channel=value)
    return await go_next(turn, State.FEEDBACK_CHANNEL)


async def on_tone(turn: DebriefTurn, value: str) -> State | int:
    """Save the tone (the next step shows the draft)."""
    await turn.acknowledge()
    await turn.services.debriefs.save_feedback(turn.rid, tone=value)
    return await go_next(turn, State.FEEDBACK_TONE)


async def on_review(turn: DebriefTurn, value: str) -> State | int:
    """Sent (or later) goes on to the gaps; or change the tone, add a personal line, or make
    it the other channel (the draft is shown again)."""
    await turn.acknowledge()
    if value in ("sent", "later", "ok"):  # "ok": a review message sent by an earlier release
        return await _record_sent(turn, value, State.FEEDBACK_REVIEW)
    if value.removeprefix("channel:") in {c.value for c in Channel}:
        await turn.services.debriefs.save_feedback(turn.rid, channel=value.removeprefix("channel:"))
        return await go(turn, State.FEEDBACK_REVIEW)
    if value == "tone":
        return await go_to(turn, State.FEEDBACK_REVIEW, State.FEEDBACK_TONE)
    if value == "line":
        return await go_to(turn, State.FEEDBACK_REVIEW, State.FEEDBACK_PERSONAL_LINE)
    return await stale_button(turn.update, turn.context)


async def on_personal_line(turn: DebriefTurn, text: str) -> State | int:
    """Add the personal line (the draft is shown again)."""
    await turn.services.debriefs.save_feedback(turn.rid, personal_line=text)
    return await go_next(turn, State.FEEDBACK_PERSONAL_LINE)


async def on_sent(turn: DebriefTurn, value: str) -> State | int:
    """Sent or later, asked on its own by an earlier release."""
    await turn.acknowledge()
    if value not in ("sent", "later"):
        return await stale_button(turn.update, turn.context)
    return await _record_sent(turn, value, State.FEEDBACK_SENT)


async def _record_sent(turn: DebriefTurn, value: str, state: State) -> State | int:
    """Record the date it was sent (the follow-up check-in counts from it), or keep the draft
    for later (/plan shows it); a short word leads the next question."""
    if value == "sent":
        await turn.services.debriefs.save_feedback(
            turn.rid, status="sent", sent_at=turn.services.clock.now()
        )
        for listener in turn.services.on_feedback_sent:
            await listener(turn.rid)
        turn.lead("debrief/feedback_sent")
    else:
        await turn.services.debriefs.save_feedback(turn.rid, status="drafted")
        turn.lead("debrief/feedback_later")
    return await go_next(turn, state)


# --- Answers: gaps (SWOT) ---------------------------------------------------------------------


async def on_gap(turn: DebriefTurn, value: str) -> State | int:
    """Toggle a gap (the keyboard shows check marks), or finish choosing."""
    if value == "done":
        if not turn.rejection.gaps:
            await turn.acknowledge(turn.label("gap.pick_one"), keep_buttons=True)
            return State.GAPS
        await turn.acknowledge()
        await send_swot_card(turn, None)
        return await go_next(turn, State.GAPS)
    if value not in Gap.__members__.values():
        return await stale_button(turn.update, turn.context)
    gaps = list(turn.rejection.gaps)
    if value in gaps:
        gaps.remove(value)
    else:
        gaps.append(value)
    await turn.services.debriefs.update(
        turn.rid,
        gaps=[g.value for g in Gap if g.value in gaps],
        last_update_id=turn.update.update_id,
    )
    await turn.refresh()
    await turn.acknowledge(keep_buttons=True)
    await turn.edit_buttons(_gap_markup(turn))
    return State.GAPS


async def on_strength(turn: DebriefTurn, value: str) -> State | int:
    """Save the strength and answer with the SWOT card and practice actions (a debrief stored
    at this step by an earlier release; the gaps now lead straight to the card)."""
    await turn.acknowledge()
    await turn.services.debriefs.update(turn.rid, strength=value)
    await turn.refresh()
    await send_swot_card(turn, Strength(value))
    return await go_next(turn, State.STRENGTH)


async def send_swot_card(turn: DebriefTurn, strength: Strength | None) -> None:
    """The SWOT card of the gaps and the person's own words; its actions go on the plan."""
    feedback = await turn.services.debriefs.feedback(turn.rid)
    card = swot_card(
        [Gap(g) for g in turn.rejection.gaps],
        strength,
        Stage(turn.rejection.stage or Stage.APPLICATION),
        turn.services.prompts,
        went_well=turn.rejection.went_well,
        lesson=turn.rejection.lesson,
        asked_for_feedback=feedback is not None and feedback.status in ASKED_FOR_FEEDBACK,
    )
    await turn.services.debriefs.replace_plan_actions(
        turn.rid,
        "gap",
        [(gap.value, a.text) for gap, actions in card.actions.items() for a in actions],
    )
    await turn.say(
        "debrief/swot_card",
        card=card,
        gap_names={g.value: turn.label(f"gap.{g.value}") for g in Gap},
    )


# --- Answers: refuel --------------------------------------------------------------------------


async def on_resource(turn: DebriefTurn, value: str) -> State | int:
    """Save the picked resource, or show three others."""
    await turn.acknowledge()
    if value == "more":
        await ask_resource(turn, exclude=_offered_resources(turn))
        return State.RESOURCE
    resource = get_resource(value)
    if resource is None:
        return await stale_button(turn.update, turn.context)
    await turn.services.debriefs.pick_resource(turn.rid, resource.id, resource.title)
    return await go_next(turn, State.RESOURCE)


def _offered_resources(turn: DebriefTurn) -> tuple[str, ...]:
    """The resource ids on the message whose "show others" was pressed."""
    query = turn.update.callback_query
    message = query.message if query else None
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return ()
    offered = []
    for row in markup.inline_keyboard:
        for button in row:
            press = parse_callback(
                button.callback_data if isinstance(button.callback_data, str) else None
            )
            if press and press.step == CODE[State.RESOURCE] and press.value not in ("more", "skip"):
                offered.append(press.value)
    return tuple(offered)


async def on_resource_when(turn: DebriefTurn, value: str) -> State | int:
    """Save when they plan to use the resource."""
    user = await turn.services.users.get(turn.user_id)
    today = turn.today(user.timezone if user else None)
    if value == "weekend":
        planned = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    elif value in {"0", "1", "7"}:
        planned = today + timedelta(days=int(value))
    else:
        return await stale_button(turn.update, turn.context)
    await turn.acknowledge()
    await turn.services.debriefs.set_resource_plan(turn.rid, planned)
    return await go_next(turn, State.RESOURCE_WHEN)


# --- Answers: try again -----------------------------------------------------------------------


async def on_goal_kind(turn: DebriefTurn, value: str) -> State | int:
    """Save the goal with its suggested number (or a custom goal, whose words come next)."""
    await turn.acknowledge()
    target = DEFAULT_TARGETS.get(GoalKind(value))
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, kind=value, target=target)
    return await go_next(turn, State.GOAL_KIND)


async def on_goal_kind_text(turn: DebriefTurn, text: str) -> State | int:
    """A goal typed in words (coaching.goals.read_goal): "apply to 8 roles", "3 mock
    interviews", "land an interview by friday". A day said with it is kept as the deadline and
    offered first when the deadline is asked (a number such as "-1" or "1e3" is refused by
    `parse_target` with its reason)."""
    typed = read_goal(text, turn.goal_words())
    if typed is None:
        await turn.say("debrief/goal_kind_unclear")
        return State.GOAL_KIND
    target = DEFAULT_TARGETS[typed.kind]
    if typed.number is not None:
        try:
            target = parse_target(typed.number)
        except TargetError as exc:
            await turn.say("debrief/target_error", reason=exc.reason)
            return State.GOAL_KIND
    fields: dict[str, object] = {"kind": typed.kind.value, "target": target}
    if typed.when is not None:
        user = await turn.services.users.get(turn.user_id)
        tz = zone((user.timezone if user else None) or turn.services.settings.default_timezone)
        with contextlib.suppress(DeadlineError):  # not a day after all: asked as usual
            fields["deadline"] = parse_deadline(typed.when, turn.services.clock.now(), tz)
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, **fields)
    return await go_next(turn, State.GOAL_KIND)


async def on_goal_custom(turn: DebriefTurn, text: str) -> State | int:
    """Save the custom goal's words."""
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, custom_text=text)
    return await go_next(turn, State.GOAL_CUSTOM)


async def _save_target(turn: DebriefTurn, raw: str) -> State | int:
    try:
        target = parse_target(raw)
    except TargetError as exc:
        await turn.say("debrief/target_error", reason=exc.reason)
        return State.GOAL_TARGET
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, target=target)
    return await go_next(turn, State.GOAL_TARGET)


async def on_goal_target_text(turn: DebriefTurn, text: str) -> State | int:
    """A typed number for the goal."""
    return await _save_target(turn, text)


async def on_goal_target_button(turn: DebriefTurn, value: str) -> State | int:
    """A suggested number for the goal."""
    await turn.acknowledge()
    return await _save_target(turn, value)


async def _save_timezone(turn: DebriefTurn, raw: str) -> State | int:
    try:
        name = parse_timezone(raw)
    except TimezoneError:
        await turn.say("debrief/timezone_error")
        return State.TIMEZONE
    await turn.services.users.update(turn.user_id, timezone=name)
    turn.lead("debrief/timezone_saved", zone=name)
    return await go_next(turn, State.TIMEZONE)


async def on_timezone_text(turn: DebriefTurn, text: str) -> State | int:
    """A typed city, zone or UTC offset."""
    return await _save_timezone(turn, text)


async def on_timezone_button(turn: DebriefTurn, value: str) -> State | int:
    """One of the common zones."""
    await turn.acknowledge()
    return await _save_timezone(turn, value)


async def _save_deadline(turn: DebriefTurn, raw: str) -> State | int:
    user = await turn.services.users.get(turn.user_id)
    tz_name = user.timezone if user and user.timezone else turn.services.settings.default_timezone
    try:
        deadline = parse_deadline(raw, turn.services.clock.now(), zone(tz_name))
    except DeadlineError as exc:
        await turn.say("debrief/deadline_error", reason=exc.reason)
        return State.GOAL_DEADLINE
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, deadline=deadline)
    return await _deadline_set(turn)


async def _deadline_set(turn: DebriefTurn) -> State | int:
    """With the goal's deadline saved: the size check when it is too big, else the plan."""
    if await _too_much(turn) is not None:
        return await go_to(turn, State.GOAL_DEADLINE, State.GOAL_CHECK)
    return await go_next(turn, State.GOAL_DEADLINE)


async def _too_much(turn: DebriefTurn) -> tuple[GoalRecord, int, int] | None:
    """The goal, if it is too big for its time, with a number that fits and the days it needs."""
    goal = await turn.services.debriefs.goal_for(turn.rid)
    if goal is None or goal.target is None or goal.deadline is None:
        return None
    user = await turn.services.users.get(turn.user_id)
    days = (goal.deadline - turn.today(user.timezone if user else None)).days
    kinder = kinder_goal(GoalKind(goal.kind), goal.target, days)
    return (goal, *kinder) if kinder is not None else None


async def ask_goal_check(turn: DebriefTurn) -> None:
    """A goal too big for its time: a smaller number, more days, or keep it."""
    found = await _too_much(turn)
    if found is None:  # changed meanwhile (/back): nothing to check any more
        keep = turn.button(State.GOAL_CHECK, "goal.keep_it", "keep")
        await turn.say("debrief/goal_check_fine", markup=keyboard([keep]))
        return
    goal, fits, needs = found
    user = await turn.services.users.get(turn.user_id)
    later = turn.today(user.timezone if user else None) + timedelta(days=needs)
    await turn.say(
        "debrief/goal_check",
        goal_line=goal_line(turn.services, goal),
        markup=column(
            [
                turn.button(State.GOAL_CHECK, "goal.make_it", "smaller", number=fits),
                turn.button(
                    State.GOAL_CHECK,
                    "goal.more_days",
                    "later",
                    day=format_deadline(later),
                ),
                turn.button(State.GOAL_CHECK, "goal.keep_it", "keep"),
            ]
        ),
    )


async def on_goal_check(turn: DebriefTurn, value: str) -> State | int:
    """A smaller number, the days the number needs, or the goal as it is; then the plan."""
    found = await _too_much(turn)
    await turn.acknowledge()
    if found is not None and value in ("smaller", "later"):
        _, fits, needs = found
        if value == "smaller":
            await turn.services.debriefs.save_goal(turn.user_id, turn.rid, target=fits)
        else:
            user = await turn.services.users.get(turn.user_id)
            later = turn.today(user.timezone if user else None) + timedelta(days=needs)
            await turn.services.debriefs.save_goal(turn.user_id, turn.rid, deadline=later)
    return await go_next(turn, State.GOAL_CHECK)


async def on_deadline_text(turn: DebriefTurn, text: str) -> State | int:
    """A typed deadline such as 'next Friday' or '2026-12-15'."""
    return await _save_deadline(turn, text)


async def on_deadline_button(turn: DebriefTurn, value: str) -> State | int:
    """1 week, 2 weeks or a month, or the day said with the goal."""
    if value == SAID_DAY and await _said_deadline(turn) is not None:
        await turn.acknowledge()
        return await _deadline_set(turn)
    if value not in {"7", "14", "30"}:
        return await stale_button(turn.update, turn.context)
    await turn.acknowledge()
    return await _save_deadline(turn, {"7": "1 week", "14": "2 weeks", "30": "1 month"}[value])


# --- The table --------------------------------------------------------------------------------
# In the order the steps are asked. The two-letter codes are on buttons already sent (callback
# data "d:<rejection id>:<code>:<value>", well under Telegram's 64 bytes), and the State values
# are stored: neither may change.

STEPS: tuple[Step, ...] = (
    # Intake
    Step(
        State.COMPANY, "co", "debrief/ask_company", next=State.ROLE,
        text=Text(NAME_LIMIT, on_company), skippable=True,
    ),
    Step(
        State.ROLE, "ro", "debrief/ask_role", next=State.STAGE,
        text=Text(NAME_LIMIT, on_role), skippable=True,
    ),
    Step(
        State.STAGE, "st", ask_stage, next=State.HOW_HEARD,
        buttons=Buttons(on_stage, frozenset(Stage)),
    ),
    Step(
        State.HOW_HEARD, "hh", ask_how_heard, next=State.MOOD,
        buttons=Buttons(on_how_heard, frozenset(HowHeard)),
    ),
    # Accept the outcome
    Step(
        State.MOOD, "mo", ask_mood, next=after_mood,
        buttons=Buttons(on_mood, frozenset({"1", "2", "3", "4", "5"})),
    ),
    Step(
        State.GROUNDING, "gr", ask_grounding, next=State.WENT_WELL,
        buttons=Buttons(on_grounding), skippable=True,
    ),
    Step(
        State.WENT_WELL, "ww", "debrief/ask_went_well", next=State.LESSON,
        text=Text(STORY_LIMIT, on_went_well), skippable=True, back=State.MOOD,
    ),
    Step(
        State.LESSON, "le", "debrief/ask_lesson", next=State.FEEDBACK_OFFER,
        text=Text(STORY_LIMIT, on_lesson), skippable=True,
    ),
    # A feedback request to the hirer
    Step(
        State.FEEDBACK_OFFER, "fo", ask_feedback_offer, next=after_feedback_offer,
        buttons=Buttons(on_feedback_offer), skippable=True,
    ),
    Step(
        State.FEEDBACK_RECIPIENT, "fr", "debrief/ask_recipient", next=after_recipient,
        text=Text(NAME_LIMIT, on_recipient), skippable=True,
    ),
    Step(
        State.FEEDBACK_SIGNOFF, "fn", ask_signoff, next=State.FEEDBACK_REVIEW,
        text=Text(SIGNOFF_LIMIT, on_signoff_text),
        buttons=Buttons(on_signoff_button, frozenset({"name"})), skippable=True,
    ),
    Step(
        State.FEEDBACK_CHANNEL, "fc", ask_channel, next=State.FEEDBACK_TONE,
        buttons=Buttons(on_channel, frozenset(Channel)), retired=True,
    ),
    Step(
        State.FEEDBACK_TONE, "ft", ask_tone, next=State.FEEDBACK_REVIEW,
        buttons=Buttons(on_tone, frozenset(Tone)), back=State.FEEDBACK_REVIEW,
    ),
    Step(
        State.FEEDBACK_REVIEW, "fv", ask_review, next=State.GAPS,
        buttons=Buttons(on_review), skippable=True, back=State.FEEDBACK_SIGNOFF,
        jumps=(State.FEEDBACK_TONE, State.FEEDBACK_PERSONAL_LINE),
    ),
    Step(
        State.FEEDBACK_PERSONAL_LINE, "fp", "debrief/ask_personal_line",
        next=State.FEEDBACK_REVIEW, text=Text(NAME_LIMIT, on_personal_line), skippable=True,
    ),
    Step(
        State.FEEDBACK_SENT, "fs", ask_sent, next=State.GAPS,
        buttons=Buttons(on_sent), skippable=True, back=State.FEEDBACK_REVIEW, retired=True,
    ),
    # The gaps (SWOT)
    Step(
        State.GAPS, "ga", ask_gaps, next=State.RESOURCE,
        buttons=Buttons(on_gap), back=before_gaps,
    ),
    Step(
        State.STRENGTH, "sg", ask_strength, next=State.RESOURCE,
        buttons=Buttons(on_strength, frozenset(Strength)), back=State.GAPS, retired=True,
    ),
    # A motivating resource
    Step(
        State.RESOURCE, "rs", ask_resource, next=after_resource,
        buttons=Buttons(on_resource), skippable=True, back=State.GAPS,
    ),
    Step(
        State.RESOURCE_WHEN, "rw", ask_resource_when, next=State.GOAL_KIND,
        buttons=Buttons(on_resource_when), skippable=True,
    ),
    # A retry goal with a deadline
    Step(
        State.GOAL_KIND, "gk", ask_goal_kind, next=goal_detail,
        text=Text(NAME_LIMIT, on_goal_kind_text),
        buttons=Buttons(on_goal_kind, frozenset(GoalKind)),
    ),
    Step(
        State.GOAL_CUSTOM, "gc", "debrief/ask_goal_custom", next=after_goal,
        text=Text(NAME_LIMIT, on_goal_custom),
    ),
    Step(
        State.GOAL_TARGET, "gt", ask_goal_target, next=after_goal,
        text=Text(NAME_LIMIT, on_goal_target_text), buttons=Buttons(on_goal_target_button),
        back=State.GOAL_KIND, retired=True,
    ),
    Step(
        State.TIMEZONE, "tz", ask_timezone, next=State.GOAL_DEADLINE,
        text=Text(NAME_LIMIT, on_timezone_text), buttons=Buttons(on_timezone_button),
        back=before_deadline,
    ),
    Step(
        State.GOAL_DEADLINE, "gd", ask_deadline, next=None,
        text=Text(NAME_LIMIT, on_deadline_text), buttons=Buttons(on_deadline_button),
        back=before_deadline, jumps=(State.GOAL_CHECK,),
    ),
    Step(
        State.GOAL_CHECK, "gx", ask_goal_check, next=None,
        buttons=Buttons(on_goal_check, frozenset({"smaller", "later", "keep"})),
        back=State.GOAL_DEADLINE,
    ),
)  # fmt: skip

STEP: dict[State, Step] = {step.state: step for step in STEPS}
ORDER: tuple[State, ...] = tuple(step.state for step in STEPS)
FIRST = ORDER[0]
CODE: dict[State, str] = {step.state: step.code for step in STEPS}
ASK: dict[State, Ask] = {step.state: step.ask for step in STEPS}
# Steps /skip (or the Skip button) may pass over; skipping leads where answering does.
SKIPPABLE = frozenset(step.state for step in STEPS if step.skippable)
# Steps nothing leads to any more (a debrief stored there by an earlier release goes on).
RETIRED = frozenset(step.state for step in STEPS if step.retired)
# Steps answered only with buttons: typed text there gets "use the buttons".
BUTTON_ONLY = frozenset(step.state for step in STEPS if step.text is None)
