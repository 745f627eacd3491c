"""Conversation states: which step each conversation is on (see bot/persistence.py).

A key is stored as a JSON array of its chat and user ids, which is how the privacy export and
erasure find a user's conversations (bot.storage.privacy KEYED); a state as the JSON text the
persistence hands over.
"""

from __future__ import annotations

import json

from bot.storage.database import Database
from bot.storage.interfaces import ConversationKey


def _encode_key(key: ConversationKey) -> str:
    return json.dumps(list(key))


class SqliteConversationStateRepository:
    """Reads and writes `conversation_states`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def load(self, name: str) -> dict[ConversationKey, str]:
        """Every stored state of one conversation handler: key -> state (JSON text)."""
        rows = await self._db.fetch_all(
            "SELECT key, state FROM conversation_states WHERE name = ?", (name,)
        )
        return {tuple(json.loads(row["key"])): str(row["state"]) for row in rows}

    async def save(self, name: str, key: ConversationKey, state: str) -> None:
        """Store (insert or replace) one conversation's state (JSON text)."""
        await self._db.execute(
            "INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)"
            " ON CONFLICT(name, key) DO UPDATE SET state = excluded.state",
            (name, _encode_key(key), state),
        )

    async def forget(self, name: str, key: ConversationKey) -> None:
        """Drop one conversation's state (the conversation ended)."""
        await self._db.execute(
            "DELETE FROM conversation_states WHERE name = ? AND key = ?",
            (name, _encode_key(key)),
        )
