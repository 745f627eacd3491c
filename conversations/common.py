"""Commands that work everywhere: /help, /plan, and kind answers to anything unexpected."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.keyboards import keyboard, url_button
from bot.messages import query_expired, send_html
from bot.services import CoachContext
from coaching.language import ENGLISH, speaking
from conversations import plan
from conversations.flow import Chat

_LOGGER = logging.getLogger(__name__)


async def on_help(update: Update, context: CoachContext) -> None:
    """/help: what the bot does and every command, different in groups and private chats."""
    chat = Chat(update, context)
    in_group = update.effective_chat is not None and update.effective_chat.type != ChatType.PRIVATE
    await chat.say("help/group" if in_group else "help/private")


async def on_plan(update: Update, context: CoachContext) -> None:
    """/plan: the latest finished plan (and its feedback request, while drafted, not sent)."""
    chat = Chat(update, context)
    running = await chat.services.debriefs.in_progress(chat.user_id)
    if running is not None:
        await chat.say(
            "plan/in_progress",
            company=running.company,
            markup=keyboard([(chat.label("debrief.continue"), "start:new")]),
        )
    latest = await chat.services.debriefs.latest_completed(chat.user_id)
    if latest is None:
        if running is None:
            await chat.say("plan/none")
        return
    await plan.show_plan(chat, latest)


async def on_group_debrief(update: Update, context: CoachContext) -> None:
    """/start or /rejected in a group: nothing personal here, offer the private chat."""
    chat = Chat(update, context)
    link = f"https://t.me/{context.bot.username}?start=g{chat.chat_id}"
    await chat.say("group/go_private", markup=url_button(chat.label("group.open_private"), link))


FEEDBACK_LIMIT = 2000


async def on_feedback(update: Update, context: CoachContext) -> None:
    """/feedback <note>: pass a note to the operators (ADMIN_USER_IDS), with a short thanks.

    The note was screened like every other text before it got here (conversations.crisis).
    """
    chat = Chat(update, context)
    note = " ".join(context.args or ()).strip()
    if not note:
        await chat.say("common/feedback_how")
        return
    length = len(note.encode("utf-16-le")) // 2  # as Telegram counts (an emoji is often two)
    if length > FEEDBACK_LIMIT:
        await chat.say("common/too_long", limit=FEEDBACK_LIMIT, length=length)
        return
    operators = chat.services.settings.admin_user_ids
    user = update.effective_user
    delivered = 0
    for operator_id in operators:
        try:
            # In the operator's language, not the sender's.
            with speaking(await chat.services.users.locale_of(operator_id) or ENGLISH):
                text = chat.render(
                    "admin/feedback_note",
                    name=user.first_name if user else "",
                    user_id=chat.user_id,
                    note=note,
                )
            await send_html(context.bot, operator_id, text)
            delivered += 1
        except (Forbidden, BadRequest) as exc:
            _LOGGER.warning("Could not pass a /feedback note to an operator: %s", exc.message)
    await chat.say("common/feedback_thanks", delivered=delivered > 0)


async def on_unknown_command(update: Update, context: CoachContext) -> None:
    """A command we do not have."""
    await Chat(update, context).say("common/unknown_command")


async def on_other_message(update: Update, context: CoachContext) -> None:
    """A sticker, photo or voice note with no debrief running."""
    await Chat(update, context).say("common/text_please")


async def on_stale_callback(update: Update, context: CoachContext) -> None:
    """A button nobody is waiting for (old, pressed twice, or forged). Said in a pop-up; when
    the press waited too long for one (the bot was away), said in a private chat instead of
    leaving the person with a button that does nothing."""
    query = update.callback_query
    assert query is not None
    chat = Chat(update, context)
    try:
        await query.answer(chat.label("common.stale"))
    except BadRequest as exc:
        if not query_expired(exc):
            raise
        if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
            return  # a whole group need not hear about one person's old button
        await chat.say("common/stale_button")


def handlers_before() -> list[BaseHandler[Update, CoachContext, object]]:
    """Handlers that must see their commands before any conversation does."""
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("help", on_help),
        CommandHandler("plan", on_plan, filters=filters.ChatType.PRIVATE),
        *plan.handlers(),
        CommandHandler("feedback", on_feedback, filters=filters.ChatType.PRIVATE),
        CommandHandler(["start", "rejected"], on_group_debrief, filters=groups),
    ]


def handlers_after() -> list[BaseHandler[Update, CoachContext, object]]:
    """Catch-alls for what no conversation took, so nothing goes unanswered."""
    private = filters.ChatType.PRIVATE
    return [
        CallbackQueryHandler(on_stale_callback),
        MessageHandler(private & filters.COMMAND, on_unknown_command),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_other_message),
    ]
