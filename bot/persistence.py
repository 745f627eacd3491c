"""python-telegram-bot persistence through storage: conversation states only.

Everything the coaching flows collect is written to its own tables as it is given; what this
class keeps is which step each user's conversation is on, so a restarted bot resumes them. The
states go to a ConversationStateRepository (bot/storage/conversation_states.py on SQLite).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage.interfaces import ConversationKey, ConversationStateRepository

# The shapes BasePersistence hands over (python-telegram-bot names them only in a private module).
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


class SQLitePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Keeps ConversationHandler states in a ConversationStateRepository (on SQLite, the
    `conversation_states` table)."""

    def __init__(self, states: ConversationStateRepository) -> None:
        # update_interval is only the fallback: the application flushes after every update.
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            update_interval=5,
        )
        self._states = states
        # What the repository holds, per handler: key -> JSON state (interned: a few distinct
        # values). The application flushes after every update, and python-telegram-bot hands
        # over every conversation a handler *set*, changed or not; only changes are written.
        self._stored: dict[str, dict[ConversationKey, str]] = {}

    async def get_conversations(self, name: str) -> ConversationDict:
        """Load every stored state of one conversation handler."""
        found = await self._states.load(name)
        stored = self._stored.setdefault(name, {})
        conversations: ConversationDict = {}
        for key, state in found.items():
            stored[key] = sys.intern(state)
            conversations[key] = json.loads(state)
        return conversations

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store (or forget, when the conversation ended) one conversation's state."""
        stored = self._stored.setdefault(name, {})
        encoded = None if new_state is None else sys.intern(json.dumps(new_state))
        if key in stored and stored[key] == encoded:
            return
        if encoded is None:
            await self._states.forget(name, key)
            stored.pop(key, None)
            return
        await self._states.save(name, key, encoded)
        stored[key] = encoded

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Not stored."""
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Not stored."""
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        """Not stored."""
        return {}

    async def get_callback_data(self) -> CDCData | None:
        """Not stored."""
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Not stored."""

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def flush(self) -> None:
        """Every write is already committed."""
