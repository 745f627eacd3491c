"""The rejection debrief: from "I didn't get the job" to a plan with a retry goal.

Steps, in order (see docs/flows/debrief.mmd): intake (company, role, stage, how they heard),
accept the outcome (mood, optional grounding, what went well, one lesson), a feedback request
to the hirer, the gaps (SWOT), a motivating resource, and a retry goal with a deadline. Each
answer is written to the database the moment it is given; the conversation state itself is
persisted too, so a restarted bot resumes everyone at the step they were on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from datetime import date, timedelta
from enum import StrEnum
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.keyboards import Button, column, keyboard
from bot.messages import send_long_html
from bot.services import CoachContext
from bot.storage import Rejection
from coaching.deadlines import (
    COMMON_ZONES,
    DeadlineError,
    TimezoneError,
    parse_deadline,
    parse_timezone,
    zone,
)
from coaching.feedback import FeedbackRequest, draft_feedback_request
from coaching.goals import TargetError, parse_target
from coaching.links import parse_start_payload
from coaching.model import Channel, Gap, GoalKind, HowHeard, Stage, Strength, Tone
from coaching.resources import choose_resources, get_resource, load_catalog
from coaching.swot import swot_card
from conversations.flow import Chat, callback, parse_callback, persisted_conversation
from conversations.plan import render_plan

_LOGGER = logging.getLogger(__name__)
P = ParamSpec("P")

NAME_LIMIT = 500
STORY_LIMIT = 2000
PREFIX = "d"


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


# Two-letter codes keep callback data well under Telegram's 64 bytes.
CODE = {
    State.COMPANY: "co", State.ROLE: "ro", State.STAGE: "st", State.HOW_HEARD: "hh",
    State.MOOD: "mo", State.GROUNDING: "gr", State.WENT_WELL: "ww", State.LESSON: "le",
    State.FEEDBACK_OFFER: "fo", State.FEEDBACK_RECIPIENT: "fr", State.FEEDBACK_CHANNEL: "fc",
    State.FEEDBACK_TONE: "ft", State.FEEDBACK_REVIEW: "fv", State.FEEDBACK_PERSONAL_LINE: "fp",
    State.FEEDBACK_SENT: "fs", State.GAPS: "ga", State.STRENGTH: "sg", State.RESOURCE: "rs",
    State.RESOURCE_WHEN: "rw", State.GOAL_KIND: "gk", State.GOAL_CUSTOM: "gc",
    State.GOAL_TARGET: "gt", State.TIMEZONE: "tz", State.GOAL_DEADLINE: "gd",
}  # fmt: skip

# Steps /skip (or the Skip button) may pass over, and where skipping leads.
SKIPPABLE = frozenset(
    {
        State.COMPANY, State.ROLE, State.GROUNDING, State.WENT_WELL, State.LESSON,
        State.FEEDBACK_OFFER, State.FEEDBACK_RECIPIENT, State.FEEDBACK_REVIEW,
        State.FEEDBACK_PERSONAL_LINE, State.FEEDBACK_SENT, State.RESOURCE, State.RESOURCE_WHEN,
    }
)  # fmt: skip


class Debrief(Chat):
    """An update inside a running debrief, with the rejection it is about."""

    rejection: Rejection

    @classmethod
    async def load(cls, update: Update, context: CoachContext) -> Debrief | None:
        """The user's running debrief, or None if there is none (e.g. it was deleted)."""
        turn = cls(update, context)
        found = await turn.services.debriefs.in_progress(turn.user_id)
        if found is None:
            return None
        turn.rejection = found
        return turn

    @property
    def rid(self) -> int:
        """The rejection id (owner of this debrief's buttons)."""
        return self.rejection.id

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

    async def refresh(self) -> None:
        """Re-read the rejection after writes."""
        found = await self.services.debriefs.get(self.rid)
        assert found is not None
        self.rejection = found

    def today(self, tz_name: str | None) -> date:
        """Today's date where the user is."""
        tz = zone(tz_name or self.services.settings.default_timezone)
        return self.services.clock.now().astimezone(tz).date()


Step = Callable[[Debrief], Awaitable[State]]


# --- Moving between steps ---------------------------------------------------------------------


async def go(turn: Debrief, state: State) -> State:
    """Record `state` as where the debrief stands, ask its question, and return it."""
    updated = await turn.services.debriefs.update(
        turn.rid, step=state.value, last_update_id=turn.update.update_id
    )
    assert updated is not None
    turn.rejection = updated  # the row as written: no second read
    await ASK[state](turn)
    return state


async def go_next(turn: Debrief, after: State) -> State | int:
    """Continue with the step after `after` (or finish)."""
    nxt = await next_step(turn, after)
    if nxt is None:
        return await finish(turn)
    return await go(turn, nxt)


async def next_step(turn: Debrief, after: State) -> State | None:
    """The step that follows `after`, given the answers so far; None when the plan is done."""
    rejection = turn.rejection
    if after is State.MOOD:
        return State.GROUNDING if (rejection.mood or 5) <= 2 else State.WENT_WELL
    if after in (State.FEEDBACK_OFFER, State.FEEDBACK_SENT):
        feedback = await turn.services.debriefs.feedback(turn.rid)
        wants = after is State.FEEDBACK_OFFER and feedback is not None
        drafting = feedback is not None and feedback.status == "drafting"
        return State.FEEDBACK_RECIPIENT if wants and drafting else State.GAPS
    if after is State.FEEDBACK_REVIEW:
        return State.FEEDBACK_SENT
    if after is State.RESOURCE:
        picked = await turn.services.debriefs.resource_pick(turn.rid)
        return State.RESOURCE_WHEN if picked else State.GOAL_KIND
    if after is State.GOAL_KIND:
        goal = await turn.services.debriefs.goal_for(turn.rid)
        return State.GOAL_CUSTOM if goal and goal.kind == GoalKind.CUSTOM else State.GOAL_TARGET
    if after in (State.GOAL_CUSTOM, State.GOAL_TARGET):
        user = await turn.services.users.get(turn.user_id)
        return State.TIMEZONE if user is None or user.timezone is None else State.GOAL_DEADLINE
    if after is State.GOAL_DEADLINE:
        return None
    return _LINEAR[_LINEAR.index(after) + 1]


_LINEAR = [
    State.COMPANY, State.ROLE, State.STAGE, State.HOW_HEARD, State.MOOD, State.GROUNDING,
    State.WENT_WELL, State.LESSON, State.FEEDBACK_OFFER, State.FEEDBACK_RECIPIENT,
    State.FEEDBACK_CHANNEL, State.FEEDBACK_TONE, State.FEEDBACK_REVIEW, State.FEEDBACK_SENT,
    State.GAPS, State.STRENGTH, State.RESOURCE, State.RESOURCE_WHEN, State.GOAL_KIND,
    State.GOAL_TARGET, State.TIMEZONE, State.GOAL_DEADLINE,
]  # fmt: skip


async def previous_step(turn: Debrief, state: State) -> State | None:
    """Where /back leads from `state`; None on the first step."""
    if state is State.COMPANY:
        return None
    if state is State.WENT_WELL:
        return State.MOOD
    if state is State.GAPS:
        feedback = await turn.services.debriefs.feedback(turn.rid)
        asked = feedback is not None and feedback.status in ("drafted", "sent")
        return State.FEEDBACK_SENT if asked else State.FEEDBACK_OFFER
    if state in (State.FEEDBACK_SENT, State.FEEDBACK_PERSONAL_LINE):
        return State.FEEDBACK_REVIEW
    if state in (State.GOAL_TARGET, State.GOAL_CUSTOM):
        return State.GOAL_KIND
    if state in (State.TIMEZONE, State.GOAL_DEADLINE):
        goal = await turn.services.debriefs.goal_for(turn.rid)
        return State.GOAL_CUSTOM if goal and goal.kind == GoalKind.CUSTOM else State.GOAL_TARGET
    return _LINEAR[_LINEAR.index(state) - 1]


# --- Asking each step's question ------------------------------------------------------------


async def ask_company(turn: Debrief) -> None:
    """Which company?"""
    await turn.say("debrief/ask_company", markup=turn.skip_markup(State.COMPANY))


async def ask_role(turn: Debrief) -> None:
    """Which role?"""
    await turn.say("debrief/ask_role", markup=turn.skip_markup(State.ROLE))


async def ask_stage(turn: Debrief) -> None:
    """How far did they get?"""
    buttons = [turn.button(State.STAGE, f"stage.{s.value}", s.value) for s in Stage]
    await turn.say("debrief/ask_stage", markup=column(buttons), company=turn.rejection.company)


async def ask_how_heard(turn: Debrief) -> None:
    """How did the news come?"""
    buttons = [turn.button(State.HOW_HEARD, f"how_heard.{h.value}", h.value) for h in HowHeard]
    await turn.say("debrief/ask_how_heard", markup=keyboard(buttons[:2], buttons[2:]))


async def ask_mood(turn: Debrief) -> None:
    """How are they feeling, 1-5?"""
    buttons = [turn.button(State.MOOD, f"mood.m{n}", str(n)) for n in range(1, 6)]
    await turn.say("debrief/ask_mood", markup=keyboard(buttons))


async def ask_grounding(turn: Debrief) -> None:
    """Offer a short grounding exercise before going on."""
    await turn.say(
        "debrief/ask_grounding",
        markup=keyboard(
            [turn.button(State.GROUNDING, "debrief.grounding_yes", "yes")],
            [turn.button(State.GROUNDING, "debrief.grounding_no", "skip")],
        ),
    )


async def ask_went_well(turn: Debrief) -> None:
    """One thing that went well."""
    await turn.say("debrief/ask_went_well", markup=turn.skip_markup(State.WENT_WELL))


async def ask_lesson(turn: Debrief) -> None:
    """One lesson."""
    await turn.say("debrief/ask_lesson", markup=turn.skip_markup(State.LESSON))


async def ask_feedback_offer(turn: Debrief) -> None:
    """Would they like to ask the hirer for feedback?"""
    await turn.say(
        "debrief/ask_feedback_offer",
        markup=column(
            [
                turn.button(State.FEEDBACK_OFFER, "feedback.yes", "yes"),
                turn.button(State.FEEDBACK_OFFER, "feedback.already", "already"),
                turn.button(State.FEEDBACK_OFFER, "common.skip", "skip"),
            ]
        ),
    )


async def ask_recipient(turn: Debrief) -> None:
    """Who to address."""
    await turn.say("debrief/ask_recipient", markup=turn.skip_markup(State.FEEDBACK_RECIPIENT))


async def ask_channel(turn: Debrief) -> None:
    """Email or LinkedIn."""
    buttons = [turn.button(State.FEEDBACK_CHANNEL, f"channel.{c.value}", c.value) for c in Channel]
    await turn.say("debrief/ask_channel", markup=keyboard(buttons))


async def ask_tone(turn: Debrief) -> None:
    """Warm, formal or brief."""
    buttons = [turn.button(State.FEEDBACK_TONE, f"tone.{t.value}", t.value) for t in Tone]
    await turn.say("debrief/ask_tone", markup=keyboard(buttons))


async def ask_review(turn: Debrief) -> None:
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
            sender_name=user.first_name if user and user.first_name else None,
        ),
        turn.services.prompts,
    )
    await turn.services.debriefs.save_feedback(
        turn.rid, subject=draft.subject, body=draft.body, status="drafting"
    )
    await turn.say(
        "debrief/feedback_draft",
        subject=draft.subject,
        body=draft.body,
        markup=keyboard(
            [turn.button(State.FEEDBACK_REVIEW, "feedback.looks_good", "ok")],
            [
                turn.button(State.FEEDBACK_REVIEW, "feedback.other_tone", "tone"),
                turn.button(State.FEEDBACK_REVIEW, "feedback.personal_line", "line"),
            ],
            [turn.button(State.FEEDBACK_REVIEW, "common.skip", "skip")],
        ),
    )


async def ask_personal_line(turn: Debrief) -> None:
    """A personal line to add."""
    await turn.say(
        "debrief/ask_personal_line", markup=turn.skip_markup(State.FEEDBACK_PERSONAL_LINE)
    )


async def ask_sent(turn: Debrief) -> None:
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


def _gap_markup(turn: Debrief) -> InlineKeyboardMarkup:
    chosen = set(turn.rejection.gaps)
    buttons = [
        turn.button(State.GAPS, "gap.checked" if g.value in chosen else "gap.unchecked", g.value,
                    name=turn.label(f"gap.{g.value}"))
        for g in Gap
    ]  # fmt: skip
    done = turn.button(State.GAPS, "gap.done", "done")
    return keyboard(buttons[0:2], buttons[2:4], buttons[4:6], [done])


async def ask_gaps(turn: Debrief) -> None:
    """Multi-select the gaps."""
    await turn.say("debrief/ask_gaps", markup=_gap_markup(turn))


async def ask_strength(turn: Debrief) -> None:
    """Pick one strength."""
    buttons = [turn.button(State.STRENGTH, f"strength.{s.value}", s.value) for s in Strength]
    await turn.say(
        "debrief/ask_strength",
        markup=keyboard(buttons[0:2], buttons[2:4], buttons[4:6], buttons[6:]),
    )


async def ask_resource(turn: Debrief, exclude: tuple[str, ...] = ()) -> None:
    """Offer three resources that fit the mood and the gaps."""
    chosen = choose_resources(
        load_catalog(),
        mood=turn.rejection.mood or 3,
        gaps=[Gap(g) for g in turn.rejection.gaps],
        rng=turn.services.rng,
        exclude=exclude,
    )
    buttons = [
        turn.button(State.RESOURCE, "resource.pick", r.id, number=i)
        for i, r in enumerate(chosen, 1)
    ]
    others = turn.label("resource.others"), callback(PREFIX, turn.rid, CODE[State.RESOURCE], "more")
    await turn.services.debriefs.update(turn.rid, step=State.RESOURCE.value)
    await turn.say(
        "debrief/ask_resource",
        resources=chosen,
        markup=keyboard(buttons, [others], [turn.button(State.RESOURCE, "common.skip", "skip")]),
    )


async def ask_resource_when(turn: Debrief) -> None:
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


async def ask_goal_kind(turn: Debrief) -> None:
    """Pick a goal template."""
    buttons = [turn.button(State.GOAL_KIND, f"goal.{k.value}", k.value) for k in GoalKind]
    await turn.say("debrief/ask_goal_kind", markup=column(buttons))


async def ask_goal_custom(turn: Debrief) -> None:
    """Describe the custom goal."""
    await turn.say("debrief/ask_goal_custom")


async def ask_goal_target(turn: Debrief) -> None:
    """How many?"""
    goal = await turn.services.debriefs.goal_for(turn.rid)
    kind = goal.kind if goal else GoalKind.APPLY.value
    suggestions = {
        "apply": (3, 5, 10),
        "mock_interviews": (1, 2, 3),
        "practice_problems": (5, 10, 20),
        "course_module": (1, 2, 3),
    }.get(kind, (1, 3, 5))
    buttons = [turn.button(State.GOAL_TARGET, "goal.number", str(n), number=n) for n in suggestions]
    await turn.say("debrief/ask_goal_target", kind=kind, markup=keyboard(buttons))


async def ask_timezone(turn: Debrief) -> None:
    """Where in the world are they (asked once)?"""
    buttons = [turn.button(State.TIMEZONE, "timezone.zone", z, zone=z) for z in COMMON_ZONES]
    await turn.say(
        "debrief/ask_timezone",
        markup=keyboard(*[buttons[i : i + 2] for i in range(0, len(buttons), 2)]),
    )


async def ask_deadline(turn: Debrief) -> None:
    """By when?"""
    await turn.say(
        "debrief/ask_deadline",
        markup=keyboard(
            [
                turn.button(State.GOAL_DEADLINE, "deadline.week", "7"),
                turn.button(State.GOAL_DEADLINE, "deadline.two_weeks", "14"),
                turn.button(State.GOAL_DEADLINE, "deadline.month", "30"),
            ]
        ),
    )


async def _ask_resource_default(turn: Debrief) -> None:
    await ask_resource(turn)


ASK: dict[State, Callable[[Debrief], Awaitable[None]]] = {
    State.COMPANY: ask_company, State.ROLE: ask_role, State.STAGE: ask_stage,
    State.HOW_HEARD: ask_how_heard, State.MOOD: ask_mood, State.GROUNDING: ask_grounding,
    State.WENT_WELL: ask_went_well, State.LESSON: ask_lesson,
    State.FEEDBACK_OFFER: ask_feedback_offer, State.FEEDBACK_RECIPIENT: ask_recipient,
    State.FEEDBACK_CHANNEL: ask_channel, State.FEEDBACK_TONE: ask_tone,
    State.FEEDBACK_REVIEW: ask_review, State.FEEDBACK_PERSONAL_LINE: ask_personal_line,
    State.FEEDBACK_SENT: ask_sent, State.GAPS: ask_gaps, State.STRENGTH: ask_strength,
    State.RESOURCE: _ask_resource_default, State.RESOURCE_WHEN: ask_resource_when,
    State.GOAL_KIND: ask_goal_kind, State.GOAL_CUSTOM: ask_goal_custom,
    State.GOAL_TARGET: ask_goal_target, State.TIMEZONE: ask_timezone,
    State.GOAL_DEADLINE: ask_deadline,
}  # fmt: skip


# --- Handler wrappers: load the debrief, screen text, refuse stale buttons --------------------


Handler = Callable[[Update, CoachContext], Coroutine[Any, Any, object]]


def in_debrief(step: Callable[Concatenate[Debrief, P], Awaitable[State | int]]) -> Handler:
    """Load the running debrief; end the conversation kindly if it no longer exists."""

    @wraps(step)
    async def handler(update: Update, context: CoachContext) -> object:
        turn = await Debrief.load(update, context)
        if turn is None:
            if await _finished_by_this_update(update, context):
                return ConversationHandler.END
            chat = Chat(update, context)
            await chat.acknowledge()
            await chat.say("debrief/nothing_running", markup=_start_markup(chat))
            return ConversationHandler.END
        return await step(turn)  # type: ignore[call-arg]

    return handler


async def _finished_by_this_update(update: Update, context: CoachContext) -> bool:
    """Whether `update` is the answer that finished the person's latest debrief, handled again
    after a crash: then the plan is shown again (the crash may have swallowed it), nothing is
    applied twice, and True is returned."""
    user = update.effective_user
    if user is None:
        return False
    latest = await context.services.debriefs.latest_completed(user.id)
    if latest is None or latest.last_update_id != update.update_id:
        return False
    turn = Debrief(update, context)
    turn.rejection = latest
    await turn.acknowledge()
    await _show_plan(turn)
    return True


async def _show_plan(turn: Debrief) -> None:
    await send_long_html(
        turn.context.bot, turn.chat_id, await render_plan(turn.services, turn.rejection)
    )
    await turn.say("debrief/finished")


def text_step(
    state: State, limit: int
) -> Callable[[Callable[[Debrief, str], Awaitable[State | int]]], Handler]:
    """A step that takes free text, within a length limit (the safety screen runs before every
    flow: conversations.crisis)."""

    def wrap(step: Callable[[Debrief, str], Awaitable[State | int]]) -> Handler:
        @wraps(step)
        async def handler(update: Update, context: CoachContext) -> object:
            turn = await Debrief.load(update, context)
            if turn is None:
                return await in_debrief(_noop)(update, context)
            if turn.applied_already():
                return await ask_again(turn)
            if not _at(turn, state):
                return await follow_stored_step(update, context)
            text = (turn.text or "").strip()
            if not text:
                await turn.say("common/need_text")
                return await go(turn, state)
            if len(text) > limit:
                await turn.say("common/too_long", limit=limit, length=len(text))
                return state
            return await step(turn, text)

        return handler

    return wrap


def button_step(
    state: State, choices: Iterable[str] | None = None
) -> Callable[[Callable[[Debrief, str], Awaitable[State | int]]], Handler]:
    """A step answered with this debrief's buttons; other debriefs' buttons, and values outside
    `choices` (when given), are stale."""
    allowed = None if choices is None else frozenset(choices)

    def wrap(step: Callable[[Debrief, str], Awaitable[State | int]]) -> Handler:
        @wraps(step)
        async def handler(update: Update, context: CoachContext) -> object:
            turn = await Debrief.load(update, context)
            press = parse_callback(update.callback_query.data if update.callback_query else None)
            if turn is None:
                return await in_debrief(_noop)(update, context)
            if turn.applied_already():
                return await ask_again(turn)
            if not _at(turn, state):
                return await follow_stored_step(update, context)
            if press is None or press.owner != turn.rid or press.step != CODE[state]:
                return await stale_button(update, context)
            skip = press.value == "skip" and state in SKIPPABLE
            if not skip and allowed is not None and press.value not in allowed:
                return await stale_button(update, context)
            if skip:
                await turn.acknowledge()
                return await go_next(turn, state)
            return await step(turn, press.value)

        return handler

    return wrap


async def ask_again(turn: Debrief) -> State:
    """An update handled again after a crash that had already moved the debrief: ask the
    current question (the reply the crash may have swallowed), apply nothing twice."""
    await turn.acknowledge()
    state = State(turn.rejection.step)
    await ASK[state](turn)
    return state


def _at(turn: Debrief, state: State) -> bool:
    """Whether the stored step agrees with the conversation state handling this update."""
    return turn.rejection.step == state.value


async def follow_stored_step(update: Update, context: CoachContext) -> object:
    """Handle an update by the step stored in the database.

    The stored step is written before each question is sent, so it is the truth; the
    conversation state is saved after the update, and a bot killed between the two would
    otherwise take the next answer for the previous question.
    """
    turn = await Debrief.load(update, context)
    if turn is None:
        return await in_debrief(_noop)(update, context)
    if turn.applied_already():
        return await ask_again(turn)
    actual = State(turn.rejection.step)
    if update.callback_query is not None:
        press = parse_callback(update.callback_query.data)
        if press is not None and press.owner == turn.rid and press.step == CODE[actual]:
            return await _BUTTON_STEPS[actual](update, context)
        return await stale_button(update, context)
    if turn.text is not None and actual in _TEXT_STEPS:
        return await _TEXT_STEPS[actual](update, context)
    return await wrong_input(update, context)


async def _noop(turn: Debrief) -> int:
    return ConversationHandler.END


def _start_markup(chat: Chat) -> InlineKeyboardMarkup:
    return keyboard([(chat.label("debrief.start"), "start:new")])


# --- Intake ----------------------------------------------------------------------------------


@text_step(State.COMPANY, NAME_LIMIT)
async def on_company(turn: Debrief, text: str) -> State | int:
    """Save the company; ask for the role."""
    await turn.services.debriefs.update(turn.rid, company=text)
    return await go(turn, State.ROLE)


@text_step(State.ROLE, NAME_LIMIT)
async def on_role(turn: Debrief, text: str) -> State | int:
    """Save the role; ask how far they got."""
    await turn.services.debriefs.update(turn.rid, role=text)
    return await go(turn, State.STAGE)


@button_step(State.STAGE, Stage)
async def on_stage(turn: Debrief, value: str) -> State | int:
    """Save the stage reached."""
    await turn.acknowledge()
    await turn.services.debriefs.update(turn.rid, stage=value)
    return await go(turn, State.HOW_HEARD)


@button_step(State.HOW_HEARD, HowHeard)
async def on_how_heard(turn: Debrief, value: str) -> State | int:
    """Save how the news came; move to accepting the outcome."""
    await turn.acknowledge()
    await turn.services.debriefs.update(turn.rid, how_heard=value)
    return await go(turn, State.MOOD)


# --- Accept the outcome ---------------------------------------------------------------------


@button_step(State.MOOD, ("1", "2", "3", "4", "5"))
async def on_mood(turn: Debrief, value: str) -> State | int:
    """Save the mood, answer it kindly with the reframe."""
    await turn.acknowledge()
    score = int(value)
    await turn.services.debriefs.record_mood(turn.user_id, score, "debrief", turn.rid)
    await turn.refresh()
    await turn.say("debrief/mood_reply", mood=score, how_heard=turn.rejection.how_heard)
    return await go_next(turn, State.MOOD)


@button_step(State.GROUNDING)
async def on_grounding(turn: Debrief, value: str) -> State | int:
    """Show the grounding exercise, then go on."""
    await turn.acknowledge()
    if value == "yes":
        await turn.say("debrief/grounding_exercise")
    return await go(turn, State.WENT_WELL)


@text_step(State.WENT_WELL, STORY_LIMIT)
async def on_went_well(turn: Debrief, text: str) -> State | int:
    """Save one thing that went well."""
    await turn.services.debriefs.update(turn.rid, went_well=text)
    return await go(turn, State.LESSON)


@text_step(State.LESSON, STORY_LIMIT)
async def on_lesson(turn: Debrief, text: str) -> State | int:
    """Save the lesson."""
    await turn.services.debriefs.update(turn.rid, lesson=text)
    await turn.say("debrief/lesson_saved")
    return await go(turn, State.FEEDBACK_OFFER)


# --- Feedback request -----------------------------------------------------------------------


@button_step(State.FEEDBACK_OFFER)
async def on_feedback_offer(turn: Debrief, value: str) -> State | int:
    """Yes starts the draft; 'already did' is recorded; anything else moves on."""
    await turn.acknowledge()
    status = {"yes": "drafting", "already": "already_asked"}.get(value)
    if status is None:
        return await stale_button(turn.update, turn.context)
    await turn.services.debriefs.save_feedback(turn.rid, status=status)
    if value == "already":
        await turn.say("debrief/feedback_already")
    return await go_next(turn, State.FEEDBACK_OFFER)


@text_step(State.FEEDBACK_RECIPIENT, NAME_LIMIT)
async def on_recipient(turn: Debrief, text: str) -> State | int:
    """Save who the request is for."""
    await turn.services.debriefs.save_feedback(turn.rid, recipient=text)
    return await go(turn, State.FEEDBACK_CHANNEL)


@button_step(State.FEEDBACK_CHANNEL, Channel)
async def on_channel(turn: Debrief, value: str) -> State | int:
    """Save email or LinkedIn."""
    await turn.acknowledge()
    await turn.services.debriefs.save_feedback(turn.rid, channel=value)
    return await go(turn, State.FEEDBACK_TONE)


@button_step(State.FEEDBACK_TONE, Tone)
async def on_tone(turn: Debrief, value: str) -> State | int:
    """Save the tone and show the draft."""
    await turn.acknowledge()
    await turn.services.debriefs.save_feedback(turn.rid, tone=value)
    return await go(turn, State.FEEDBACK_REVIEW)


@button_step(State.FEEDBACK_REVIEW)
async def on_review(turn: Debrief, value: str) -> State | int:
    """Accept the draft, change its tone, or add a personal line."""
    await turn.acknowledge()
    if value == "ok":
        await turn.services.debriefs.save_feedback(turn.rid, status="drafted")
        return await go(turn, State.FEEDBACK_SENT)
    if value == "tone":
        return await go(turn, State.FEEDBACK_TONE)
    if value == "line":
        return await go(turn, State.FEEDBACK_PERSONAL_LINE)
    return await stale_button(turn.update, turn.context)


@text_step(State.FEEDBACK_PERSONAL_LINE, NAME_LIMIT)
async def on_personal_line(turn: Debrief, text: str) -> State | int:
    """Add the personal line and show the draft again."""
    await turn.services.debriefs.save_feedback(turn.rid, personal_line=text)
    return await go(turn, State.FEEDBACK_REVIEW)


@button_step(State.FEEDBACK_SENT)
async def on_sent(turn: Debrief, value: str) -> State | int:
    """Record the date it was sent (the follow-up check-in counts from it)."""
    await turn.acknowledge()
    if value == "sent":
        await turn.services.debriefs.save_feedback(
            turn.rid, status="sent", sent_at=turn.services.clock.now()
        )
        for listener in turn.services.on_feedback_sent:
            await listener(turn.rid)
        await turn.say("debrief/feedback_sent")
    elif value == "later":
        await turn.say("debrief/feedback_later")
    else:
        return await stale_button(turn.update, turn.context)
    return await go(turn, State.GAPS)


# --- Gaps (SWOT) ----------------------------------------------------------------------------


@button_step(State.GAPS)
async def on_gap(turn: Debrief, value: str) -> State | int:
    """Toggle a gap (the keyboard shows check marks), or finish choosing."""
    if value == "done":
        if not turn.rejection.gaps:
            await turn.acknowledge(turn.label("gap.pick_one"), keep_buttons=True)
            return State.GAPS
        await turn.acknowledge()
        return await go(turn, State.STRENGTH)
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


@button_step(State.STRENGTH, Strength)
async def on_strength(turn: Debrief, value: str) -> State | int:
    """Save the strength and answer with the SWOT card and practice actions."""
    await turn.acknowledge()
    await turn.services.debriefs.update(turn.rid, strength=value)
    await turn.refresh()
    card = swot_card(
        [Gap(g) for g in turn.rejection.gaps],
        Strength(value),
        Stage(turn.rejection.stage or Stage.APPLICATION),
        turn.services.prompts,
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
    return await go(turn, State.RESOURCE)


# --- Refuel ---------------------------------------------------------------------------------


@button_step(State.RESOURCE)
async def on_resource(turn: Debrief, value: str) -> State | int:
    """Save the picked resource, or show three others."""
    await turn.acknowledge()
    if value == "more":
        await ask_resource(turn, exclude=_offered_resources(turn))
        return State.RESOURCE
    resource = get_resource(value)
    if resource is None:
        return await stale_button(turn.update, turn.context)
    await turn.services.debriefs.pick_resource(turn.rid, resource.id, resource.title)
    return await go(turn, State.RESOURCE_WHEN)


def _offered_resources(turn: Debrief) -> tuple[str, ...]:
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


@button_step(State.RESOURCE_WHEN)
async def on_resource_when(turn: Debrief, value: str) -> State | int:
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
    return await go(turn, State.GOAL_KIND)


# --- Try again ------------------------------------------------------------------------------


@button_step(State.GOAL_KIND, GoalKind)
async def on_goal_kind(turn: Debrief, value: str) -> State | int:
    """Save the goal template."""
    await turn.acknowledge()
    target = None if value == GoalKind.CUSTOM else 1
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, kind=value, target=target)
    return await go_next(turn, State.GOAL_KIND)


@text_step(State.GOAL_CUSTOM, NAME_LIMIT)
async def on_goal_custom(turn: Debrief, text: str) -> State | int:
    """Save the custom goal's words."""
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, custom_text=text)
    return await go_next(turn, State.GOAL_CUSTOM)


async def _save_target(turn: Debrief, raw: str) -> State | int:
    try:
        target = parse_target(raw)
    except TargetError as exc:
        await turn.say("debrief/target_error", reason=exc.reason)
        return State.GOAL_TARGET
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, target=target)
    return await go_next(turn, State.GOAL_TARGET)


@text_step(State.GOAL_TARGET, NAME_LIMIT)
async def on_goal_target_text(turn: Debrief, text: str) -> State | int:
    """A typed number for the goal."""
    return await _save_target(turn, text)


@button_step(State.GOAL_TARGET)
async def on_goal_target_button(turn: Debrief, value: str) -> State | int:
    """A suggested number for the goal."""
    await turn.acknowledge()
    return await _save_target(turn, value)


async def _save_timezone(turn: Debrief, raw: str) -> State | int:
    try:
        name = parse_timezone(raw)
    except TimezoneError:
        await turn.say("debrief/timezone_error")
        return State.TIMEZONE
    await turn.services.users.update(turn.user_id, timezone=name)
    await turn.say("debrief/timezone_saved", zone=name)
    return await go(turn, State.GOAL_DEADLINE)


@text_step(State.TIMEZONE, NAME_LIMIT)
async def on_timezone_text(turn: Debrief, text: str) -> State | int:
    """A typed city, zone or UTC offset."""
    return await _save_timezone(turn, text)


@button_step(State.TIMEZONE)
async def on_timezone_button(turn: Debrief, value: str) -> State | int:
    """One of the common zones."""
    await turn.acknowledge()
    return await _save_timezone(turn, value)


async def _save_deadline(turn: Debrief, raw: str) -> State | int:
    user = await turn.services.users.get(turn.user_id)
    tz_name = user.timezone if user and user.timezone else turn.services.settings.default_timezone
    try:
        deadline = parse_deadline(raw, turn.services.clock.now(), zone(tz_name))
    except DeadlineError as exc:
        await turn.say("debrief/deadline_error", reason=exc.reason)
        return State.GOAL_DEADLINE
    await turn.services.debriefs.save_goal(turn.user_id, turn.rid, deadline=deadline)
    return await go_next(turn, State.GOAL_DEADLINE)


@text_step(State.GOAL_DEADLINE, NAME_LIMIT)
async def on_deadline_text(turn: Debrief, text: str) -> State | int:
    """A typed deadline such as 'next Friday' or '2026-12-15'."""
    return await _save_deadline(turn, text)


@button_step(State.GOAL_DEADLINE)
async def on_deadline_button(turn: Debrief, value: str) -> State | int:
    """1 week, 2 weeks or a month."""
    if value not in {"7", "14", "30"}:
        return await stale_button(turn.update, turn.context)
    await turn.acknowledge()
    return await _save_deadline(turn, {"7": "1 week", "14": "2 weeks", "30": "1 month"}[value])


async def finish(turn: Debrief) -> int:
    """Finish the debrief and show the whole plan.

    The goal becomes active, the debrief completed and its check-ins scheduled in one
    transaction (`CheckinPlanner.complete_plan`): a storage fault leaves none of it, the step
    stays where it was, and answering again finishes the debrief once. The listeners come after
    (the planner's own finds nothing left to schedule).
    """
    await turn.services.planner.complete_plan(turn.rid, turn.update.update_id)
    for listener in turn.services.on_plan_completed:
        await listener(turn.rid)
    await turn.refresh()
    await _show_plan(turn)
    return ConversationHandler.END


# --- Entry points and controls --------------------------------------------------------------


async def start_new(chat: Chat, source_chat_id: int | None = None) -> State:
    """Open a new debrief (a new rejection record) and ask the first question."""
    user = await chat.services.users.get(chat.user_id)
    today = (
        chat.services.clock.now()
        .astimezone(
            zone((user.timezone if user else None) or chat.services.settings.default_timezone)
        )
        .date()
    )
    previous = await chat.services.debriefs.count(chat.user_id)
    rejection = await chat.services.debriefs.start(
        chat.user_id, State.COMPANY.value, today, source_chat_id
    )
    if previous:
        await chat.say("debrief/count_note", number=previous + 1)
    turn = Debrief(chat.update, chat.context)
    turn.rejection = rejection
    return await go(turn, State.COMPANY)


async def on_start(update: Update, context: CoachContext) -> object:
    """/start: introduce ourselves (first time), then start or resume a debrief."""
    chat = Chat(update, context)
    existing = await chat.services.users.get(chat.user_id)
    await chat.ensure_user()
    source = parse_start_payload(context.args).group_chat_id
    if existing is None:
        await chat.say(
            "start/intro", name=update.effective_user.first_name if update.effective_user else ""
        )
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        return await _resume(chat, running)
    if existing is not None:
        await chat.say("start/welcome_back")
    return await start_new(chat, source)


async def on_rejected(update: Update, context: CoachContext) -> object:
    """/rejected: log a new rejection (or finish the one in progress first)."""
    chat = Chat(update, context)
    await chat.ensure_user()
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        return await _resume(chat, running)
    return await start_new(chat)


async def on_start_button(update: Update, context: CoachContext) -> object:
    """The 'Start a debrief' button under a free-text message."""
    chat = Chat(update, context)
    await chat.acknowledge()
    await chat.ensure_user()
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        return await _resume(chat, running)
    return await start_new(chat)


async def on_free_text(update: Update, context: CoachContext) -> object:
    """Text outside the conversation: continue a stored debrief, or offer one."""
    chat = Chat(update, context)
    await chat.ensure_user()
    if await chat.services.debriefs.in_progress(chat.user_id) is not None:
        return await follow_stored_step(update, context)
    await chat.say("debrief/offer", markup=_start_markup(chat))
    return None


async def on_resume(update: Update, context: CoachContext) -> object:
    """/resume: continue the latest unfinished debrief where it stopped."""
    chat = Chat(update, context)
    await chat.ensure_user()
    found = await chat.services.debriefs.resumable(chat.user_id)
    if found is None:
        await chat.say("debrief/nothing_to_resume", markup=_start_markup(chat))
        return ConversationHandler.END
    if found.status != "in_progress":
        await chat.services.debriefs.set_status(found.id, "in_progress")
    return await _resume(chat, found)


async def ask_current_step(chat: Chat) -> bool:
    """Ask the running debrief's current question again; False if none is running."""
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is None:
        return False
    turn = Debrief(chat.update, chat.context)
    turn.rejection = running
    await ASK[State(running.step)](turn)
    return True


async def _resume(chat: Chat, rejection: Rejection) -> State:
    await chat.say("debrief/resuming", company=rejection.company)
    turn = Debrief(chat.update, chat.context)
    turn.rejection = rejection
    state = State(rejection.step)
    await ASK[state](turn)
    return state


@in_debrief
async def on_cancel(turn: Debrief) -> State | int:
    """/cancel: leave the debrief; everything said so far stays saved."""
    await turn.acknowledge()
    await turn.services.debriefs.set_status(turn.rid, "cancelled")
    await turn.say("debrief/cancelled")
    return ConversationHandler.END


@in_debrief
async def on_back(turn: Debrief) -> State | int:
    """/back: return one step."""
    current = State(turn.rejection.step)
    previous = await previous_step(turn, current)
    if previous is None:
        await turn.say("debrief/at_first_step")
        return await go(turn, current)
    return await go(turn, previous)


@in_debrief
async def on_skip(turn: Debrief) -> State | int:
    """/skip: skip an optional step."""
    current = State(turn.rejection.step)
    if current not in SKIPPABLE:
        await turn.say("debrief/cannot_skip")
        return await go(turn, current)
    return await go_next(turn, current)


@in_debrief
async def on_where_are_we(turn: Debrief) -> State | int:
    """/start, /rejected or /resume mid-debrief: say where we are and ask again."""
    return await _resume(turn, turn.rejection)


async def stale_button(update: Update, context: CoachContext) -> State | int:
    """A button from an earlier step, another debrief, or forged: say where things stand."""
    turn = await Debrief.load(update, context)
    if turn is not None and turn.applied_already():
        return await ask_again(turn)
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
    await turn.say("debrief/where_we_are")
    await ASK[current](turn)
    return current


async def wrong_input(update: Update, context: CoachContext) -> State | int:
    """Anything that does not fit the current step: a short re-prompt in the same step."""
    turn = await Debrief.load(update, context)
    if turn is None:
        return ConversationHandler.END
    current = State(turn.rejection.step)
    template = "common/use_buttons" if current in BUTTON_ONLY else "common/need_text"
    await turn.say(template)
    await ASK[current](turn)
    return current


def _skip_only(state: State) -> Handler:
    """The handler of a text step's lone Skip button (skipping happens in `button_step`)."""

    async def not_skip(turn: Debrief, value: str) -> State | int:
        return await stale_button(turn.update, turn.context)

    return button_step(state)(not_skip)


# Steps answered only with buttons: typed text there gets "use the buttons".
BUTTON_ONLY = frozenset(
    {
        State.STAGE, State.HOW_HEARD, State.MOOD, State.GROUNDING, State.FEEDBACK_OFFER,
        State.FEEDBACK_CHANNEL, State.FEEDBACK_TONE, State.FEEDBACK_REVIEW, State.FEEDBACK_SENT,
        State.GAPS, State.STRENGTH, State.RESOURCE, State.RESOURCE_WHEN, State.GOAL_KIND,
    }
)  # fmt: skip

_TEXT_STEPS: dict[State, Handler] = {
    State.COMPANY: on_company, State.ROLE: on_role, State.WENT_WELL: on_went_well,
    State.LESSON: on_lesson, State.FEEDBACK_RECIPIENT: on_recipient,
    State.FEEDBACK_PERSONAL_LINE: on_personal_line, State.GOAL_CUSTOM: on_goal_custom,
    State.GOAL_TARGET: on_goal_target_text, State.TIMEZONE: on_timezone_text,
    State.GOAL_DEADLINE: on_deadline_text,
}  # fmt: skip

_BUTTON_STEPS: dict[State, Handler] = {
    State.COMPANY: _skip_only(State.COMPANY), State.ROLE: _skip_only(State.ROLE),
    State.STAGE: on_stage, State.HOW_HEARD: on_how_heard, State.MOOD: on_mood,
    State.GROUNDING: on_grounding, State.WENT_WELL: _skip_only(State.WENT_WELL),
    State.LESSON: _skip_only(State.LESSON),
    State.FEEDBACK_OFFER: on_feedback_offer,
    State.FEEDBACK_RECIPIENT: _skip_only(State.FEEDBACK_RECIPIENT),
    State.FEEDBACK_CHANNEL: on_channel, State.FEEDBACK_TONE: on_tone,
    State.FEEDBACK_REVIEW: on_review,
    State.FEEDBACK_PERSONAL_LINE: _skip_only(State.FEEDBACK_PERSONAL_LINE),
    State.FEEDBACK_SENT: on_sent, State.GAPS: on_gap, State.STRENGTH: on_strength,
    State.RESOURCE: on_resource, State.RESOURCE_WHEN: on_resource_when,
    State.GOAL_KIND: on_goal_kind, State.GOAL_TARGET: on_goal_target_button,
    State.TIMEZONE: on_timezone_button, State.GOAL_DEADLINE: on_deadline_button,
}  # fmt: skip


def build_handler() -> ConversationHandler[CoachContext]:
    """The debrief conversation, persisted under the name 'debrief'."""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[BaseHandler[Update, CoachContext, object]]] = {}
    for state in State:
        handlers: list[BaseHandler[Update, CoachContext, object]] = []
        if state in _BUTTON_STEPS:
            pattern = rf"^{PREFIX}:\d+:{CODE[state]}:"
            handlers.append(CallbackQueryHandler(_BUTTON_STEPS[state], pattern=pattern))
        if state in _TEXT_STEPS:
            handlers.append(MessageHandler(private & text, _TEXT_STEPS[state]))
        handlers.append(MessageHandler(private & ~filters.COMMAND, wrong_input))
        states[state] = handlers
    return _conversation(states)


def _conversation(
    states: dict[object, list[BaseHandler[Update, CoachContext, object]]],
) -> ConversationHandler[CoachContext]:
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND
    return persisted_conversation(
        "debrief",
        allow_reentry=False,
        entry_points=[
            CommandHandler("start", on_start, filters=private),
            CommandHandler("rejected", on_rejected, filters=private),
            CommandHandler("resume", on_resume, filters=private),
            CallbackQueryHandler(on_start_button, pattern=r"^start:new$"),
            CallbackQueryHandler(follow_stored_step, pattern=rf"^{PREFIX}:"),
            MessageHandler(private & text, on_free_text),
            # With no conversation state: a stored debrief still obeys; otherwise a short answer.
            CommandHandler("cancel", on_cancel, filters=private),
            CommandHandler("back", on_back, filters=private),
            CommandHandler("skip", on_skip, filters=private),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", on_cancel, filters=private),
            CommandHandler("back", on_back, filters=private),
            CommandHandler("skip", on_skip, filters=private),
            CommandHandler(["start", "rejected", "resume"], on_where_are_we, filters=private),
            CallbackQueryHandler(stale_button, pattern=rf"^{PREFIX}:"),
        ],
    )
