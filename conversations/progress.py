"""/progress (a chart of the journey, the goals by state, the patterns) and /history.

/progress leads with momentum (applications, interviews, offers, goals done, mood) over the
last `MOMENTUM_DAYS` days, says a kind word only for what happened, and shows every goal as it
stands: done, partly done (with its number), in progress, past its deadline, or closed.

Plain commands, no conversation: they work at any time, mid-debrief included, and leave
whatever conversation is running where it was.
"""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import date, tzinfo

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.charts import ChartText, GoalBar, draw_progress
from bot.keyboards import Button, keyboard, url_button
from bot.messages import send_html, send_long_html, send_photo_html
from bot.rendering import Prompts
from bot.services import CoachContext
from coaching.deadlines import TimezoneError, zone
from coaching.goals import RetryGoal, describe_goal
from coaching.model import Gap, GoalKind, Stage
from coaching.patterns import (
    MIN_DEBRIEFS,
    MOMENTUM_DAYS,
    GoalFact,
    Journey,
    Pattern,
    find_patterns,
    momentum,
    tally_goals,
)
from coaching.resources import Resource, get_resource
from conversations.flow import Chat, Prefix, callback, parse_callback
from conversations.plan import render_plan

_LOGGER = logging.getLogger(__name__)

HISTORY_PREFIX = Prefix.HISTORY
HISTORY_STEP = "open"
HISTORY_LIMIT = 20
CAPTION_LIMIT = 1024
CHART_FILENAME = "comeback-progress.png"
# The goals message lists the latest ones and says how many came before.
GOALS_SHOWN = 10
PERSONAL_COMMANDS = ("progress", "history", "export", "delete")


async def _user_zone(chat: Chat) -> tzinfo:
    user = await chat.services.users.get(chat.user_id)
    name = (user.timezone if user else None) or chat.services.settings.default_timezone
    try:
        return zone(name)
    except TimezoneError:
        return zone("UTC")


def chart_text(prompts: Prompts, momentum_facts: dict[str, object]) -> ChartText:
    """The chart's words: labels from prompts/labels.toml [progress], and its headline."""
    stages: dict[Stage | None, str] = {s: prompts.label(f"progress.stage_{s.value}") for s in Stage}
    stages[None] = prompts.label("progress.stage_none")

    def goal_words(bar: GoalBar) -> str:
        return prompts.label(
            f"progress.goal_{bar.state.value}", progress=bar.progress, target=bar.target
        )

    return ChartText(
        # Our words and numbers only, no tags: the HTML rendering, unescaped, is the plain text.
        headline=html.unescape(prompts.render("progress/chart_headline", **momentum_facts)),
        debriefs=prompts.label("progress.chart_debriefs"),
        mood=prompts.label("progress.chart_mood"),
        goals=prompts.label("progress.chart_goals"),
        stages=stages,
        at_debrief=prompts.label("progress.at_debrief"),
        at_checkin=prompts.label("progress.at_checkin"),
        goal_words=goal_words,
        no_goals=prompts.label("progress.no_goals"),
        nothing_yet=prompts.label("progress.no_moods"),
    )


def _momentum_facts(journey: Journey, today: date) -> dict[str, object]:
    """What the momentum headline says: the last days, and the whole journey."""
    return {
        "recent": momentum(journey, today),
        "overall": momentum(journey, today, days=None),
        "momentum_days": MOMENTUM_DAYS,
        "debriefs": len(journey.debriefs),
    }


def _facts(prompts: Prompts, journey: Journey, today: date) -> dict[str, object]:
    """What the caption and the text fallback say."""
    stages = [d.stage for d in journey.debriefs if d.stage is not None]
    furthest = max(stages, key=lambda s: s.depth) if stages else None
    moods = journey.moods
    return {
        **_momentum_facts(journey, today),
        "first_day": min(d.rejected_on for d in journey.debriefs),
        "furthest": prompts.label(f"progress.stage_{furthest.value}") if furthest else None,
        "moods": len(moods),
        "first_mood": moods[0].score if moods else None,
        "last_mood": moods[-1].score if moods else None,
        "goal_tally": tally_goals(journey.goals, today),
        "min_debriefs": MIN_DEBRIEFS,
    }


def goal_text(prompts: Prompts, goal: GoalFact) -> str:
    """The goal in one plain line, e.g. "Apply to 5 roles by Fri 4 Dec"."""
    try:
        if goal.kind is None or goal.deadline is None:
            raise ValueError("an unknown kind or no deadline")
        retry = RetryGoal(
            kind=goal.kind,
            target=None if goal.kind is GoalKind.CUSTOM else goal.target,
            custom_text=goal.custom_text,
            deadline=goal.deadline,
        )
    except ValueError:
        return goal.custom_text or prompts.label(f"goal.{(goal.kind or GoalKind.CUSTOM).value}")
    return describe_goal(retry, prompts)


def goal_lines(prompts: Prompts, journey: Journey, today: date) -> list[dict[str, object]]:
    """Every goal shown (replaced ones left out), oldest first: its line, state and numbers."""
    return [
        {
            "line": goal_text(prompts, goal),
            "state": goal.state(today).value,
            "progress": goal.progress,
            "target": goal.target,
        }
        for goal in journey.shown_goals()
    ]


def _pattern_resources(patterns: list[Pattern]) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    for pattern in patterns:
        if pattern.resource_id is None:
            continue
        resource = get_resource(pattern.resource_id)
        if resource is None:  # a catalog edit removed it: a unit test guards against this
            raise LookupError(f"pattern resource {pattern.resource_id!r} not in the catalog")
        found[resource.id] = resource
    return found


async def on_progress(update: Update, context: CoachContext) -> None:
    """/progress: a chart of the journey with a short caption (momentum first), the goals by
    state, then the patterns in words."""
    chat = Chat(update, context)
    services = chat.services
    tz = await _user_zone(chat)
    today = services.clock.now().astimezone(tz).date()
    journey = await services.progress.journey(chat.user_id, tz)
    if not journey.debriefs:
        await chat.say("progress/none")
        return
    facts = _facts(services.prompts, journey, today)
    text = chart_text(services.prompts, _momentum_facts(journey, today))
    png: bytes | None
    try:
        # CPU-bound: drawn on a worker thread so other chats are answered meanwhile.
        png = await asyncio.to_thread(draw_progress, journey, text, today)
    except Exception:
        _LOGGER.exception("Could not draw the progress chart of user %s", chat.user_id)
        png = None
    caption = chat.render("progress/caption", **facts)
    if png is not None and len(caption) <= CAPTION_LIMIT:
        await send_photo_html(context.bot, chat.chat_id, png, CHART_FILENAME, caption)
    else:
        await send_html(context.bot, chat.chat_id, chat.render("progress/summary", **facts))
    goals = goal_lines(services.prompts, journey, today)
    if goals:
        shown = goals[-GOALS_SHOWN:]
        await chat.say("progress/goals", goal_lines=shown, earlier=len(goals) - len(shown))
    patterns = find_patterns(journey, today)
    if patterns:
        await chat.say(
            "progress/patterns",
            patterns=patterns,
            resources=_pattern_resources(patterns),
            gap_names={g: chat.label(f"gap.{g.value}") for g in Gap},
        )


async def on_history(update: Update, context: CoachContext) -> None:
    """/history: every debrief (company, role, stage, date), each button opening its plan."""
    chat = Chat(update, context)
    shown, total = await chat.services.progress.history(chat.user_id, HISTORY_LIMIT)
    if not shown:
        await chat.say("progress/history_none")
        return
    items = [
        {
            "rejection": r,
            "stage_name": chat.label(f"progress.stage_{r.stage}")
            if r.stage in Stage.__members__.values()
            else None,
        }
        for r in shown
    ]
    buttons: list[Button] = [
        (
            chat.label("progress.open", number=i, company=r.company),
            callback(HISTORY_PREFIX, r.id, HISTORY_STEP),
        )
        for i, r in enumerate(shown, 1)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    await chat.say("progress/history", markup=keyboard(*rows), shown=items, total=total)


async def on_history_button(update: Update, context: CoachContext) -> None:
    """A /history button: the plan of that debrief, only for the person whose debrief it is."""
    chat = Chat(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    rejection = None
    if press is not None and press.step == HISTORY_STEP:
        rejection = await chat.services.debriefs.get(press.owner)
    if rejection is None or rejection.user_id != chat.user_id:
        _LOGGER.info("Refused a history button of user %s: stale or not theirs", chat.user_id)
        await chat.acknowledge(chat.label("common.stale"), keep_buttons=True)
        return
    await chat.acknowledge(keep_buttons=True)
    await send_long_html(context.bot, chat.chat_id, await render_plan(chat.services, rejection))


async def on_personal_in_group(update: Update, context: CoachContext) -> None:
    """/progress, /history, /export or /delete in a group: offer the private chat instead."""
    chat = Chat(update, context)
    link = f"https://t.me/{context.bot.username}"
    await chat.say(
        "progress/group_private", markup=url_button(chat.label("progress.open_private"), link)
    )


def handlers() -> list[BaseHandler[Update, CoachContext, object]]:
    """The /progress and /history commands and the history buttons."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("progress", on_progress, filters=private),
        CommandHandler("history", on_history, filters=private),
        CallbackQueryHandler(on_history_button, pattern=rf"^{HISTORY_PREFIX}:"),
        CommandHandler(PERSONAL_COMMANDS, on_personal_in_group, filters=filters.ChatType.GROUPS),
    ]
