"""What happened next (applied again, an interview, an offer), and the goals it moves on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.clock import Clock, from_db, to_db
from bot.storage.database import Row, SqlStore
from bot.storage.debriefs import GoalRecord
from coaching.outcomes import OpenGoal, Outcome, goal_changes


@dataclass(frozen=True)
class OutcomeRecord:
    """One outcome the person recorded."""

    id: int
    user_id: int
    kind: str
    goal_id: int | None
    company: str | None
    event_on: date | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Row) -> OutcomeRecord:
        """Build from an `outcomes` row."""
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            kind=row["kind"],
            goal_id=row["goal_id"],
            company=row["company"],
            event_on=date.fromisoformat(row["event_on"]) if row["event_on"] else None,
            created_at=from_db(row["created_at"]),
        )


@dataclass(frozen=True)
class Recorded:
    """An outcome as stored, with the goals it moved on (as they are now)."""

    outcome: OutcomeRecord
    goals: tuple[GoalRecord, ...]
    """The open goals it changed; `status` 'done' for those it ended."""


class SqlOutcomeRepository:
    """The `outcomes` table, and the goals each outcome moves on, in one transaction."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self, user_id: int, kind: Outcome, event_on: date | None, update_id: int | None
    ) -> Recorded:
        """Store an outcome and apply it to the person's active goals (coaching.outcomes):
        counts moved on, goals ended as done with their pending check-ins cancelled; all or
        nothing. The same update recorded again (handled again after a crash) changes nothing
        and returns what it recorded the first time."""
        now = to_db(self._clock.now())
        async with self._db.transaction() as conn:
            if update_id is not None:
                async with conn.execute(
                    "SELECT * FROM outcomes WHERE user_id = ? AND update_id = ?",
                    (user_id, update_id),
                ) as cursor:
                    earlier = await cursor.fetchone()
                if earlier is not None:
                    return Recorded(OutcomeRecord.from_row(earlier), ())
            async with conn.execute(
                "SELECT * FROM goals WHERE user_id = ? AND status = 'active' ORDER BY id",
                (user_id,),
            ) as cursor:
                open_goals = [GoalRecord.from_row(row) for row in await cursor.fetchall()]
            changes = goal_changes(
                kind, (OpenGoal(g.id, g.kind, g.target, g.progress) for g in open_goals)
            )
            for change in changes:
                await conn.execute(
                    "UPDATE goals SET progress = ?, updated_at = ?,"
                    " status = CASE WHEN ? = 1 THEN 'done' ELSE status END,"
                    " completed_at = CASE WHEN ? = 1 THEN ? ELSE completed_at END"
                    " WHERE id = ? AND status = 'active'",
                    (change.progress, now, change.done, change.done, now, change.goal_id),
                )
                if change.done:
                    await conn.execute(
                        "UPDATE check_ins SET status = 'cancelled', updated_at = ?"
                        " WHERE goal_id = ? AND status = 'pending'",
                        (now, change.goal_id),
                    )
            ended = next((c.goal_id for c in changes if c.done), None)
            moved = ended if ended is not None else changes[0].goal_id if changes else None
            async with conn.execute(
                "INSERT INTO outcomes (user_id, kind, goal_id, event_on, update_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    user_id,
                    kind.value,
                    moved,
                    event_on.isoformat() if event_on else None,
                    update_id,
                    now,
                ),
            ) as cursor:
                row = await cursor.fetchone()
            assert row is not None
            changed = {c.goal_id for c in changes}
            async with conn.execute(
                "SELECT * FROM goals WHERE user_id = ? ORDER BY id", (user_id,)
            ) as cursor:
                goals = tuple(
                    GoalRecord.from_row(g) for g in await cursor.fetchall() if g["id"] in changed
                )
        return Recorded(OutcomeRecord.from_row(row), goals)

    async def of_user(self, user_id: int) -> list[OutcomeRecord]:
        """Every outcome the person recorded, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM outcomes WHERE user_id = ? ORDER BY created_at, id", (user_id,)
        )
        return [OutcomeRecord.from_row(row) for row in rows]

    async def interview_on(self, user_id: int, day: date) -> OutcomeRecord | None:
        """The newest interview the person recorded for local `day`."""
        row = await self._db.fetch_one(
            "SELECT * FROM outcomes WHERE user_id = ? AND kind = 'interview' AND event_on = ?"
            " ORDER BY id DESC LIMIT 1",
            (user_id, day.isoformat()),
        )
        return OutcomeRecord.from_row(row) if row else None
