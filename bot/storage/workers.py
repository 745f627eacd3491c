"""Worker heartbeats: which `python -m bot` processes are alive on this database.

Each worker writes its heartbeat every `HEARTBEAT`; one unseen for `GONE_AFTER` is
counted as gone (killed, or its machine lost). The count of the living sets each worker's fair
share of Telegram's message rate (bot/scheduling/ratelimit.py), and /metrics shows it.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock, to_db
from bot.storage.database import SqlStore

HEARTBEAT = timedelta(seconds=1)
GONE_AFTER = timedelta(seconds=5)


class SqlWorkerRepository:
    """Reads and writes `workers`."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def beat(self, worker_id: str) -> int:
        """Record that `worker_id` is alive; return how many workers are (this one included)."""
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO workers (worker_id, started_at, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (worker_id) DO UPDATE SET seen_at = excluded.seen_at",
                (worker_id, to_db(now), to_db(now)),
            )
            await conn.execute(
                "DELETE FROM workers WHERE seen_at < ?", (to_db(now - GONE_AFTER * 4),)
            )
            cursor = await conn.execute(
                "SELECT COUNT(*) AS n FROM workers WHERE seen_at >= ?",
                (to_db(now - GONE_AFTER),),
            )
            row = await cursor.fetchone()
        return max(1, int(row["n"])) if row is not None else 1

    async def forget(self, worker_id: str) -> None:
        """`worker_id` stopped cleanly: the others' shares grow at their next heartbeat."""
        await self._db.execute("DELETE FROM workers WHERE worker_id = ?", (worker_id,))
