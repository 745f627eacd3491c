"""Messages whose buttons a press took away: a second press on one of them is a double tap.

Kept in the database, not in memory, so a double tap split by a restart is still recognised.
Each chat keeps its last `KEPT_PER_CHAT` messages; older ones are pruned at about one press in
`KEPT_PER_CHAT` (a press on a message whose id is a multiple of it), not at every press: the
prune would double the statements of every button press (issue 22). A chat holds a few more
rows between prunes; an older message's second press is still a double tap, or stale.
"""

from __future__ import annotations

from bot.clock import Clock, to_db
from bot.storage.database import SqlStore

KEPT_PER_CHAT = 8


class SqlClearedButtons:
    """Reads and writes `cleared_buttons`."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def remember(self, chat_id: int, message_id: int, user_id: int, update_id: int) -> None:
        """Record that a press (`update_id`) took this message's buttons away."""
        await self._db.execute(
            "INSERT INTO cleared_buttons"
            " (chat_id, message_id, user_id, update_id, cleared_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id, message_id) DO UPDATE SET user_id = excluded.user_id,"
            " update_id = excluded.update_id, cleared_at = excluded.cleared_at",
            (chat_id, message_id, user_id, update_id, to_db(self._clock.now())),
        )
        if message_id % KEPT_PER_CHAT == 0:
            await self._db.execute(
                "DELETE FROM cleared_buttons WHERE chat_id = ? AND message_id NOT IN"
                " (SELECT message_id FROM cleared_buttons WHERE chat_id = ?"
                "  ORDER BY message_id DESC LIMIT ?)",
                (chat_id, chat_id, KEPT_PER_CHAT),
            )

    async def were_cleared(self, chat_id: int, message_id: int, update_id: int) -> bool:
        """Whether another press than `update_id` took this message's buttons away (the same
        press handled again, after a storage fault or a crash, is no double tap)."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM cleared_buttons WHERE chat_id = ? AND message_id = ? AND update_id <> ?",
            (chat_id, message_id, update_id),
        )
        return row is not None
