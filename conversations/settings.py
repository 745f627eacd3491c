"""/settings (and its shortcuts /timezone and /checkins): how and when check-ins arrive.

Time zone, preferred hour, quiet hours, a pause of 1, 3 or 7 days, stopping and resuming all
check-ins. Every change that moves due times reschedules the user's pending check-ins from
their local dates (see docs/flows/settings.mmd).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.keyboards import Button, keyboard
from bot.redelivery import hand_back
from bot.scheduling.planner import Profile
from bot.services import CoachContext
from bot.storage import User
from bot.storage.checkins import STOPPED
from coaching.deadlines import COMMON_ZONES, TimezoneError, parse_timezone
from conversations.checkin import when_text
from conversations.flow import Chat, Prefix, callback, parse_callback, persisted_conversation
from conversations.routing import StoredConversation

_LOGGER = logging.getLogger(__name__)

PREFIX = Prefix.SETTINGS
TEXT_LIMIT = 80
HOUR_CHOICES = (7, 8, 9, 12, 17, 18, 19, 20)
QUIET_CHOICES = ((22, 8), (23, 7), (21, 9), (0, 0))
PAUSE_DAYS = (1, 3, 7)


class State(StrEnum):
    """Where the settings conversation stands."""

    MENU = "menu"
    TIMEZONE = "timezone"
    HOUR = "hour"
    QUIET = "quiet"
    PAUSE = "pause"


class Step(StrEnum):
    """Which buttons a press comes from (the third field of the callback data)."""

    MENU = "m"
    ZONE = "z"
    HOUR = "h"
    QUIET = "q"
    PAUSE = "p"


Next = State | int | None
Handler = Callable[[Update, CoachContext], Coroutine[Any, Any, object]]

_HOUR = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.ASCII)
# "22-8", "22 to 8", "22 a 8", "de 22 a 8", "de 22 hasta 8", "с 22 до 8", "22 по 8".
_RANGE = re.compile(r"\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b|\ba\b|\bhasta\b|\bдо\b|\bпо\b)\s*")
_FROM = re.compile(r"^(?:from|de|desde|с|со)\s+")
_NO_QUIET = frozenset({
    "none", "no", "off", "never", "no quiet hours", "0-0",
    "ninguna", "ningunas", "nunca", "sin horas de silencio", "nada",
    "нет", "никогда", "выкл", "без тихих часов", "не надо",
})  # fmt: skip
_NAMED_HOURS = {
    "noon": 12, "midday": 12, "midnight": 0,
    "mediodía": 12, "mediodia": 12, "medianoche": 0,
    "полдень": 12, "полночь": 0,
}  # fmt: skip


def parse_hour(text: str) -> int | None:
    """An hour 0-23 from "18", "18:00", "6pm", "6:00 pm", "noon" or "midnight" (also
    "mediodía", "medianoche", "полдень", "полночь"); None if not."""
    cleaned = " ".join(text.strip().casefold().split())
    if cleaned in _NAMED_HOURS:
        return _NAMED_HOURS[cleaned]
    match = _HOUR.match(cleaned)
    if match is None or match.group(2) not in (None, "00"):
        return None
    hour = int(match.group(1))
    meridiem = (match.group(3) or "").replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return hour if 0 <= hour <= 23 else None


def parse_quiet(text: str) -> tuple[int, int] | None:
    """Quiet hours from "22-8", "22:00 – 08:00", "10pm to 7am", "de 22 a 8", "с 22 до 8" or
    "none" / "ninguna" / "нет" (0, 0); None if not."""
    cleaned = " ".join(text.strip().casefold().split())
    if cleaned in _NO_QUIET:
        return (0, 0)
    parts = _RANGE.split(_FROM.sub("", cleaned))
    if len(parts) != 2:
        return None
    start, end = parse_hour(parts[0]), parse_hour(parts[1])
    if start is None or end is None:
        return None
    return (start, end)


class SettingsTurn(Chat):
    """One update of the settings conversation."""

    def button(self, step: Step, value: str, label_key: str, **values: object) -> Button:
        """A settings button, owned by the person talking."""
        return self.label(label_key, **values), callback(PREFIX, self.user_id, step, value)

    async def show_card(self) -> State:
        """The current settings, with a button for each."""
        user = await self.ensure_user()
        profile = self.services.planner.profile_of(user)
        now = self.services.clock.now()
        paused = user.paused_until is not None and user.paused_until > now
        upcoming = await self.services.checkins.next_pending(user.id)
        await self.say(
            "settings/card",
            zone=profile.zone_name,
            local_time=f"{now.astimezone(profile.tz):%H:%M}",
            hour=profile.hour,
            quiet_start=profile.quiet.start,
            quiet_end=profile.quiet.end,
            status="off" if not user.checkins_enabled else "paused" if paused else "on",
            paused_until=self._when(profile, user.paused_until) if user.paused_until else None,
            upcoming=self._when(profile, upcoming.due_at) if upcoming else None,
            markup=self._card_markup(user, paused),
        )
        return State.MENU

    def _when(self, profile: Profile, moment: datetime) -> str:
        return when_text(self.services, profile, moment)

    def _card_markup(self, user: User, paused: bool) -> InlineKeyboardMarkup:
        switch = [self.button(Step.MENU, "stop", "settings.stop")]
        if not user.checkins_enabled:
            switch = [self.button(Step.MENU, "resume", "settings.resume")]
        elif paused:
            switch.insert(0, self.button(Step.MENU, "resume", "settings.resume"))
        return keyboard(
            [
                self.button(Step.MENU, "tz", "settings.timezone"),
                self.button(Step.MENU, "hour", "settings.hour"),
            ],
            [
                self.button(Step.MENU, "quiet", "settings.quiet"),
                self.button(Step.MENU, "pause", "settings.pause"),
            ],
            switch,
            [self.button(Step.MENU, "done", "settings.done")],
        )

    def back_row(self) -> list[Button]:
        """Back to the settings card."""
        return [self.button(Step.MENU, "back", "settings.back")]

    async def saved(self, what: str) -> State:
        """Reschedule the pending check-ins, confirm, and show the card again; if the check-in
        hour now falls in the quiet hours, say so and offer the choices first."""
        moved = await self.services.planner.reschedule_user(self.user_id)
        _LOGGER.info("User %s changed %s; %d check-ins rescheduled", self.user_id, what, moved)
        await self.say("settings/saved", what=what)
        profile = self.services.planner.profile_of(await self.ensure_user())
        if what in ("hour", "quiet") and profile.quiet.contains(time(profile.hour)):
            await self.say(
                "settings/hour_in_quiet",
                hour=profile.hour,
                quiet_start=profile.quiet.start,
                quiet_end=profile.quiet.end,
                markup=keyboard(
                    [self.button(Step.MENU, "hour", "settings.other_hour")],
                    [self.button(Step.MENU, "quiet", "settings.quiet")],
                    [self.button(Step.MENU, "back", "settings.keep_it")],
                ),
            )
            return State.MENU
        return await self.show_card()


# --- Entry points -----------------------------------------------------------------------------


async def on_settings(update: Update, context: CoachContext) -> object:
    """/settings or /checkins: the settings card."""
    return await SettingsTurn(update, context).show_card()


async def on_timezone_command(update: Update, context: CoachContext) -> object:
    """/timezone: straight to the time zone question."""
    turn = SettingsTurn(update, context)
    await turn.ensure_user()
    return await ask_timezone(turn)


# --- Questions --------------------------------------------------------------------------------


async def ask_timezone(turn: SettingsTurn) -> Next:
    """Common zones as buttons, or type a city or UTC offset."""
    buttons = [turn.button(Step.ZONE, z, "settings.zone", zone=z) for z in COMMON_ZONES]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    await turn.say("settings/ask_timezone", markup=keyboard(*rows, turn.back_row()))
    return State.TIMEZONE


async def ask_hour(turn: SettingsTurn) -> Next:
    """The preferred check-in hour."""
    buttons = [turn.button(Step.HOUR, str(h), "settings.hour_value", hour=h) for h in HOUR_CHOICES]
    await turn.say("settings/ask_hour", markup=keyboard(buttons[:4], buttons[4:], turn.back_row()))
    return State.HOUR


async def ask_quiet(turn: SettingsTurn) -> Next:
    """Quiet hours: no check-ins between these local hours."""
    buttons = [
        turn.button(Step.QUIET, f"{start}-{end}", "settings.quiet_value", start=start, end=end)
        if start != end
        else turn.button(Step.QUIET, "0-0", "settings.quiet_none")
        for start, end in QUIET_CHOICES
    ]
    await turn.say("settings/ask_quiet", markup=keyboard(buttons[:2], buttons[2:], turn.back_row()))
    return State.QUIET


async def ask_pause(turn: SettingsTurn) -> Next:
    """Pause check-ins for a few days."""
    buttons = [turn.button(Step.PAUSE, str(d), "settings.pause_days", days=d) for d in PAUSE_DAYS]
    await turn.say("settings/ask_pause", markup=keyboard(buttons, turn.back_row()))
    return State.PAUSE


# --- Saving -----------------------------------------------------------------------------------


async def save_timezone(turn: SettingsTurn, raw: str) -> Next:
    """A zone from a button or typed text."""
    try:
        name = parse_timezone(raw)
    except TimezoneError:
        await turn.say("settings/timezone_error")
        return State.TIMEZONE
    await turn.services.users.update(turn.user_id, timezone=name)
    return await turn.saved("timezone")


async def save_hour(turn: SettingsTurn, raw: str) -> Next:
    """The preferred hour from a button or typed text."""
    hour = parse_hour(raw)
    if hour is None:
        await turn.say("settings/hour_error")
        return State.HOUR
    await turn.services.users.update(turn.user_id, checkin_hour=hour)
    return await turn.saved("hour")


async def save_quiet(turn: SettingsTurn, raw: str) -> Next:
    """Quiet hours from a button or typed text."""
    quiet = parse_quiet(raw)
    if quiet is None:
        await turn.say("settings/quiet_error")
        return State.QUIET
    await turn.services.users.update(turn.user_id, quiet_start=quiet[0], quiet_end=quiet[1])
    return await turn.saved("quiet")


async def save_pause(turn: SettingsTurn, raw: str) -> Next:
    """Pause for 1, 3 or 7 days: due check-ins wait for the first slot after the pause."""
    if raw not in {str(d) for d in PAUSE_DAYS}:
        return await turn.show_card()
    until = turn.services.clock.now() + timedelta(days=int(raw))
    await turn.services.users.update(turn.user_id, paused_until=until)
    return await turn.saved("pause")


async def confirm_stop(turn: SettingsTurn) -> Next:
    """Stopping every check-in is a big step: ask once more, with a pause offered instead."""
    await turn.say(
        "settings/confirm_stop",
        markup=keyboard(
            [turn.button(Step.MENU, "stop_yes", "settings.stop_yes")],
            [turn.button(Step.MENU, "pause", "settings.pause_instead")],
            turn.back_row(),
        ),
    )
    return State.MENU


async def stop_all(turn: SettingsTurn) -> Next:
    """No more check-ins until the user resumes them (Resume brings back what still makes
    sense of what this cancels)."""
    await turn.services.users.update(turn.user_id, checkins_enabled=0)
    cancelled = await turn.services.checkins.cancel_pending_for_user(turn.user_id, STOPPED)
    _LOGGER.info("User %s stopped check-ins; %d cancelled", turn.user_id, cancelled)
    await turn.say("settings/stopped")
    return await turn.show_card()


async def resume(turn: SettingsTurn) -> Next:
    """Check-ins back on: no pause; a stopped user gets back every kind Stop cancelled that
    still makes sense, and their goals' check-ins (CheckinPlanner.resume_user)."""
    user = await turn.ensure_user()
    await turn.services.users.update(turn.user_id, checkins_enabled=1, paused_until=None)
    if not user.checkins_enabled:
        await turn.services.planner.resume_user(turn.user_id)
    return await turn.saved("resume")


# --- Handlers ---------------------------------------------------------------------------------


async def on_button(update: Update, context: CoachContext) -> object:
    """A settings button: only its owner's presses count."""
    turn = SettingsTurn(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    if press is None or press.owner != turn.user_id or press.step not in _STEPS:
        return await stale(turn)
    await turn.acknowledge()
    return await _STEPS[press.step](turn, press.value)


async def on_menu(turn: SettingsTurn, value: str) -> Next:
    """A button of the settings card."""
    if value == "done":
        await turn.say("settings/done")
        return ConversationHandler.END
    actions: dict[str, Callable[[SettingsTurn], Awaitable[Next]]] = {
        "tz": ask_timezone,
        "hour": ask_hour,
        "quiet": ask_quiet,
        "pause": ask_pause,
        "stop": confirm_stop,
        "stop_yes": stop_all,
        "resume": resume,
        "back": lambda t: t.show_card(),
    }
    return await actions.get(value, actions["back"])(turn)


async def stale(turn: SettingsTurn) -> Next:
    """A button that is not (or no longer) this user's: say so, change nothing."""
    query = turn.update.callback_query
    if query is not None:
        await query.answer(turn.label("settings.not_yours"))
    return None


_STEPS: dict[str, Callable[[SettingsTurn, str], Awaitable[Next]]] = {
    Step.MENU: on_menu,
    Step.ZONE: save_timezone,
    Step.HOUR: save_hour,
    Step.QUIET: save_quiet,
    Step.PAUSE: save_pause,
}


def typed(save: Callable[[SettingsTurn, str], Awaitable[Next]], state: State) -> Handler:
    """A text answer for `state`, passed to `save` once it fits the length limit."""

    async def handler(update: Update, context: CoachContext) -> object:
        turn = SettingsTurn(update, context)
        text = (turn.text or "").strip()
        if not text or len(text) > TEXT_LIMIT:
            await turn.say("settings/use_buttons")
            return state
        return await save(turn, text)

    handler.__doc__ = f"Typed answer to the {state.value} question."
    return handler


async def on_cancel(update: Update, context: CoachContext) -> object:
    """/cancel: close the settings; nothing unsaved is lost (every change saves at once)."""
    await Chat(update, context).say("settings/cancelled")
    return ConversationHandler.END


async def step_aside(update: Update, context: CoachContext) -> object:
    """Something the settings are not asking for (a command, another flow's button, words while
    the card shows): leave the settings and hand the update back to the rest of the bot."""
    await hand_back(update, context)
    return ConversationHandler.END


def build_handler() -> StoredConversation:
    """The settings conversation, persisted under the name 'settings'."""
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    buttons = CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:")
    typed_steps = {
        State.TIMEZONE: typed(save_timezone, State.TIMEZONE),
        State.HOUR: typed(save_hour, State.HOUR),
        State.QUIET: typed(save_quiet, State.QUIET),
    }
    states: dict[object, list[BaseHandler[Update, CoachContext, object]]] = {}
    for state in State:
        handlers: list[BaseHandler[Update, CoachContext, object]] = [buttons]
        if state in typed_steps:
            handlers.append(MessageHandler(text, typed_steps[state]))
        states[state] = handlers
    return persisted_conversation(
        "settings",
        allow_reentry=True,
        entry_points=[
            CommandHandler(["settings", "checkins"], on_settings, filters=private),
            CommandHandler("timezone", on_timezone_command, filters=private),
            buttons,
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", on_cancel, filters=private),
            # Anything else (another command, another flow's button, text while the card only
            # takes buttons) means the user moved on: step aside for the rest of the bot.
            MessageHandler(private & ~filters.StatusUpdate.ALL, step_aside),
            CallbackQueryHandler(step_aside),
        ],
    )
