"""What no flow should see: edits of old messages, and updates with no person behind them.

Registered first in the conversations' handler group, so a match here is the only handler of
that group to run (the safety and presence groups still see the update):

* an edited message never re-answers a question (a debrief would otherwise take the edited
  company name for the role asked now); in a private chat it gets a short note, in a group
  nothing;
* a message in a private chat without a sender, or from a bot, and any channel post, is
  ignored: there is nobody to coach, and every flow assumes a person.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.services import CoachContext
from conversations.flow import Chat


class _NoPerson(filters.UpdateFilter):
    """The update has no sender, or the sender is a bot."""

    def filter(self, update: Update) -> bool:
        message = update.message
        sender_chat = message.sender_chat if message is not None else None
        if message is not None and sender_chat is not None and sender_chat.id == message.chat.id:
            return False  # an anonymous admin, posting as the group (conversations.group)
        user = update.effective_user
        return user is None or user.is_bot


NO_PERSON = _NoPerson(name="NoPerson")


async def on_edited(update: Update, context: CoachContext) -> None:
    """An edited message in a private chat: say edits change nothing."""
    await Chat(update, context).say("common/edited")


async def ignore(update: Update, context: CoachContext) -> None:
    """Take the update so no flow sees it, and do nothing."""


def handlers() -> list[BaseHandler[Update, CoachContext, object]]:
    """The guards, in order; they go before every other handler of their group."""
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(filters.UpdateType.CHANNEL_POSTS, ignore),
        MessageHandler(NO_PERSON, ignore),
        MessageHandler(private & filters.UpdateType.EDITED, on_edited),
        MessageHandler(filters.UpdateType.EDITED, ignore),
    ]
