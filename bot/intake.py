"""What the inbox keeps of an update: its row, with the words left out when the safety screen
flags them (bot/polling.py, bot/webhook.py), and what the screen said of such a row later."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.storage.inbox import Incoming
from coaching.safety import CrisisSignal, detect_crisis

# Where a restored update says the screen flagged it (its words were not stored).
SCREENED_KEY = "comeback_screened"


def words_of(update: Update) -> str | None:
    """The text or caption a person sent in this update, if any."""
    message = update.message or update.edited_message
    if message is None:
        return None
    return message.text if message.text is not None else message.caption


def screened_signal(update: Update) -> CrisisSignal | None:
    """What the screen said of a restored update whose words were left out, or None."""
    value = update.api_kwargs.get(SCREENED_KEY)
    known = {signal.value for signal in CrisisSignal}
    return CrisisSignal(value) if isinstance(value, str) and value in known else None


_WORDS = ("text", "caption", "entities", "caption_entities")


def incoming(update: Update, sent: dict[str, Any] | None = None) -> Incoming:
    """The inbox row of a fetched update: `sent`, the update as Telegram sent it (else the
    parsed update written out again), with the words left out when the screen flags them."""
    user = update.effective_user
    chat = update.effective_chat
    user_id = user.id if user else None
    chat_key = chat.id if chat else user_id
    payload = sent if sent is not None else update.to_dict()
    words = words_of(update)
    signal = detect_crisis(words) if words else CrisisSignal.NONE
    if signal is CrisisSignal.NONE:
        return Incoming(update.update_id, user_id, payload, chat_key=chat_key)
    payload = dict(payload)  # `sent` stays as it came
    for kind in ("message", "edited_message"):
        message = payload.get(kind)
        if isinstance(message, dict):
            payload[kind] = {k: v for k, v in message.items() if k not in _WORDS}
    return Incoming(update.update_id, user_id, payload, signal.value, chat_key)
