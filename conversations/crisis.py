"""The safety screen in front of everything, and the pause that follows a crisis reply.

One handler group, run before every flow (after only the redelivery guard), sees every update:

* Every text a person sends in any chat the bot reads (a message, an edited message, a photo
  caption, a command's arguments such as `/win ...`) is screened
  (`coaching.safety.detect_crisis`). A crisis line gets the caring reply with help
  lines for where the person is, the fact is recorded (never the words), the coaching is held
  and a gentle check is planned for the next day; an ambiguous line gets a gentle question
  first. Either way nothing else handles that update: no flow stores, echoes or publishes it.
  In a group the help lines go to the person privately; when the bot cannot write to them
  there, the group gets one neutral line with a button that opens the private chat.
* While the coaching is held, a private chat shows "paused, tap to go on" instead of coaching;
  /help, /privacy, /export, /delete and /cancel still work, and /resume or the "go on" button
  release the hold. Check-ins stay pending (held, not deleted) until then.

Buttons of this module carry `care:<check-in id or 0>:<choice>`.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, TypeHandler

from bot import intake
from bot.intake import screened_signal
from bot.keyboards import column, url_button
from bot.messages import send_html
from bot.services import CoachContext, Services
from coaching.helplines import Helpline, helplines_for_person
from coaching.language import speaking
from coaching.safety import CrisisSignal, detect_crisis
from conversations.debrief import ask_current_step
from conversations.flow import ButtonPress, Chat, Prefix, callback, parse_callback, readable

_LOGGER = logging.getLogger(__name__)

PREFIX = Prefix.CARE
# The start-link payload of the group's "open a private chat" button.
START_PAYLOAD = "care"
# Commands that still work while the coaching is held: they are about the person's data and
# the bot itself, not coaching. /resume releases the hold and then runs as usual.
_WHILE_HELD = frozenset({"help", "privacy", "export", "delete", "cancel"})
# Buttons that still work while held (privacy's delete confirmation).
_BUTTONS_WHILE_HELD = frozenset({"p"})


def words_of(update: Update) -> str | None:
    """Everything a person wrote in this update that a flow could read, or None."""
    words = intake.words_of(update)
    return readable(words) if words else None


def _is_person(update: Update) -> bool:
    user = update.effective_user
    return user is not None and not user.is_bot and update.channel_post is None


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def _command(text: str | None) -> tuple[str, str] | None:
    """('resume', args) for '/resume@comeback_bot args'; None if not a command."""
    if not text or not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    return head.split("@", 1)[0].casefold(), rest.strip()


async def helplines(services: Services, user_id: int, language: str | None) -> list[Helpline]:
    """Help lines for where the person is: their time zone, their language as a hint."""
    user = await services.users.get(user_id)
    return helplines_for_person(
        user.timezone if user else None,
        language or (user.language if user else None),
        services.settings.helpline_countries,
    )


def _buttons(services: Services, *choices: tuple[str, str], owner: int = 0) -> InlineKeyboardMarkup:
    return column(
        [
            (services.prompts.label(label), callback(PREFIX, owner, "c", value))
            for label, value in choices
        ]
    )


async def show_crisis_reply(
    services: Services, context: CoachContext, user_id: int, language: str | None, kind: str
) -> None:
    """The caring reply with help lines, in the person's private chat; the coaching is held,
    the fact recorded and tomorrow's gentle check planned. Raises Forbidden/BadRequest when
    the bot cannot write to them there."""
    await _send_help_lines(services, context, user_id, language)
    await services.debriefs.record_safety_event(user_id, kind)
    await services.planner.schedule_wellbeing_check(user_id)


async def _send_help_lines(
    services: Services, context: CoachContext, user_id: int, language: str | None
) -> None:
    """The crisis reply with help lines and its buttons, privately; the coaching is held."""
    lines = await helplines(services, user_id, language)
    await send_html(
        context.bot,
        user_id,
        services.prompts.render("safety/crisis", helplines=lines),
        _buttons(services, ("safety.go_on", "resume"), ("safety.pause", "later")),
    )
    await services.users.hold_for_safety(user_id)


async def on_update(update: Update, context: CoachContext) -> None:
    """Screen the words of every update; hold the coaching while a person is paused."""
    if not _is_person(update):
        return
    text = words_of(update)
    signal = screened_signal(update) or (detect_crisis(text) if text else CrisisSignal.NONE)
    if signal is not CrisisSignal.NONE:
        await _on_signal(update, context, signal)
        raise ApplicationHandlerStop
    if _private(update) and update.message is not None:
        command = _command(update.message.text)
        if command == ("start", START_PAYLOAD):
            await _on_care_link(update, context)
            raise ApplicationHandlerStop
    if _private(update):
        await _gate(update, context)


async def _on_signal(update: Update, context: CoachContext, signal: CrisisSignal) -> None:
    chat = Chat(update, context)
    services = chat.services
    user = update.effective_user
    assert user is not None
    _LOGGER.info("Safety screen: %s signal in a %s chat", signal.value, chat_kind(update))
    person = await chat.ensure_user()
    if _private(update):
        if signal is CrisisSignal.CRISIS:
            await show_crisis_reply(services, context, user.id, user.language_code, "crisis")
        else:
            await chat.say(
                "safety/gentle_check",
                markup=_buttons(services, ("safety.yes", "yes"), ("safety.no", "no")),
            )
        return
    # A group: nothing is stored or echoed there; the person hears from us privately, in
    # their own language (the group may speak another).
    try:
        with speaking(person.locale):
            if signal is CrisisSignal.CRISIS:
                await show_crisis_reply(services, context, user.id, user.language_code, "group")
            else:
                await send_html(
                    context.bot,
                    user.id,
                    services.prompts.render("safety/gentle_check_private"),
                    _buttons(services, ("safety.yes", "yes"), ("safety.no", "no")),
                )
    except (Forbidden, BadRequest) as exc:
        _LOGGER.info("Cannot write privately after a group safety signal: %s", exc)
        if signal is CrisisSignal.CRISIS:
            await services.users.hold_for_safety(user.id)
            await services.debriefs.record_safety_event(user.id, "group")
        link = f"https://t.me/{context.bot.username}?start={START_PAYLOAD}"
        await send_html(
            context.bot,
            chat.chat_id,
            services.prompts.render("safety/group_line", name=user.first_name or ""),
            url_button(services.prompts.label("safety.open_private"), link),
            message_thread_id=_thread(update),
        )


def _thread(update: Update) -> int | None:
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


def chat_kind(update: Update) -> str:
    """'private', 'group', 'supergroup' (for logs: never who or what)."""
    chat = update.effective_chat
    return chat.type if chat is not None else "unknown"


async def _on_care_link(update: Update, context: CoachContext) -> None:
    """/start care: the private chat opened from the group's button: the help lines."""
    chat = Chat(update, context)
    user = update.effective_user
    assert user is not None
    await chat.ensure_user()
    # The event was recorded when the words were seen in the group.
    await _send_help_lines(chat.services, context, user.id, user.language_code)


async def _gate(update: Update, context: CoachContext) -> None:
    """While held, coaching updates get 'paused, tap to go on'; data commands pass."""
    user = update.effective_user
    assert user is not None
    services = context.services
    found = await services.users.get(user.id)
    if found is None or found.safety_hold_since is None:
        return
    if update.callback_query is not None:
        press = parse_callback(update.callback_query.data)
        if press is not None and press.prefix in _BUTTONS_WHILE_HELD:
            return
        await update.callback_query.answer(services.prompts.label("safety.paused_notice"))
        await _still_paused(update, context)
        raise ApplicationHandlerStop
    if update.message is None:
        return
    command = _command(update.message.text)
    if command is not None and command[0] in _WHILE_HELD:
        return
    if command is not None and command[0] == "resume":
        await services.users.release_safety_hold(user.id)
        await Chat(update, context).say("safety/resumed")
        return  # /resume then continues the debrief as usual
    await _still_paused(update, context)
    raise ApplicationHandlerStop


async def _still_paused(update: Update, context: CoachContext) -> None:
    services = context.services
    await Chat(update, context).say(
        "safety/still_paused", markup=_buttons(services, ("safety.go_on", "resume"))
    )


# --- The buttons -----------------------------------------------------------------------------


async def on_button(update: Update, context: CoachContext) -> None:
    """The crisis reply's, the gentle question's and the wellbeing check's buttons."""
    query = update.callback_query
    assert query is not None
    press = parse_callback(query.data)
    chat = Chat(update, context)
    if press is None or not _private(update):
        await query.answer()
        raise ApplicationHandlerStop
    user = update.effective_user
    assert user is not None
    services = chat.services
    stale = press.owner and not await _answer_check(services, press, user.id)
    if stale or await chat.is_double_tap():
        await query.answer(chat.label("common.already"))
        raise ApplicationHandlerStop
    await chat.acknowledge()
    match press.value:
        case "resume":
            await services.users.release_safety_hold(user.id)
            await _go_on(chat)
        case "later":
            await chat.say("safety/paused")
        case "yes":
            await show_crisis_reply(services, context, user.id, user.language_code, "crisis")
        case "no":
            await chat.say("safety/thanks_for_saying")
            await _go_on(chat, quiet=True)
        case "okay":
            held = await services.users.get(user.id)
            if held is not None and held.safety_hold_since is not None:
                await chat.say(
                    "safety/glad",
                    markup=_buttons(
                        services, ("safety.go_on", "resume"), ("safety.not_yet", "later")
                    ),
                )
            else:
                await chat.say("safety/glad_going")
        case "struggling":
            await chat.say(
                "safety/still_struggling",
                helplines=await helplines(services, user.id, user.language_code),
            )
        case _:
            pass
    raise ApplicationHandlerStop


async def _answer_check(services: Services, press: ButtonPress, user_id: int) -> bool:
    """Record the answer to a wellbeing check; False if it is not theirs or already answered."""
    checkin = await services.checkins.get(press.owner)
    if checkin is None or checkin.user_id != user_id:
        return False
    return await services.checkins.answer(checkin.id, press.value)


async def _go_on(chat: Chat, quiet: bool = False) -> None:
    """Back to where they were: the debrief's current question, else a short note."""
    if await ask_current_step(chat):
        return
    if not quiet:
        await chat.say("safety/resumed")


# --- The wellbeing check (a check-in kind) ----------------------------------------------------


def wellbeing_message(services: Services, checkin_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """'How are you today?' with 'I'm okay' / 'Still struggling'."""
    return services.prompts.render("safety/wellbeing"), _buttons(
        services, ("safety.okay", "okay"), ("safety.struggling", "struggling"), owner=checkin_id
    )


def handlers() -> list[BaseHandler[Update, CoachContext, Any]]:
    """The screen and the pause, for a handler group of their own that runs before the flows."""
    return [
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
        TypeHandler(Update, on_update),
    ]
