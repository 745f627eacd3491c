"""Conversation states: which step each conversation is on (see conversations/routing.py).

A key is stored as a JSON array of its chat and user ids, which is how the privacy export and
erasure find a user's conversations (bot.storage.privacy KEYED); a state as the JSON text the
router writes (conversations/routing.py).
"""

from __future__ import annotations

from bot.storage.database import SqlStore
from bot.storage.interfaces import ConversationKey
from bot.storage.update_record import encode_key as _encode_key
from bot.storage.update_record import this_update


class SqlConversationStateRepository:
    """Reads and writes `conversation_states`."""

    def __init__(self, db: SqlStore) -> None:
        self._db = db

    async def states_of(self, key: ConversationKey) -> dict[str, str]:
        """The states of every conversation at `key` (a chat and a person): name -> state
        (read with the person's row when the update is theirs: bot.storage.update_record)."""
        record = this_update()
        if record is not None and _encode_key(key) in record.states:
            return dict(record.states[_encode_key(key)])
        rows = await self._db.fetch_all(
            "SELECT name, state FROM conversation_states WHERE key = ?", (_encode_key(key),)
        )
        return {str(row["name"]): str(row["state"]) for row in rows}

    async def save(self, name: str, key: ConversationKey, state: str) -> None:
        """Store (insert or replace) one conversation's state (JSON text)."""
        _forget_states(key)
        await self._db.execute(
            "INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)"
            " ON CONFLICT(name, key) DO UPDATE SET state = excluded.state",
            (name, _encode_key(key), state),
        )

    async def forget(self, name: str, key: ConversationKey) -> None:
        """Drop one conversation's state (the conversation ended)."""
        _forget_states(key)
        await self._db.execute(
            "DELETE FROM conversation_states WHERE name = ? AND key = ?",
            (name, _encode_key(key)),
        )


def _forget_states(key: ConversationKey) -> None:
    """Drop the states at `key` from the current update's record (one of them is written)."""
    record = this_update()
    if record is not None:
        record.states.pop(_encode_key(key), None)
